package dev.ipv6lifecycle.server.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipv6lifecycle.server.IntegrationTest;
import java.sql.SQLException;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The application's command gateway, through Axon's command bus, the command's transaction and PostgreSQL:
 * a data error is attempted once, a serialization failure again.
 */
@IntegrationTest
class CommandRetriesIntegrationTests {

    @Autowired
    CommandGateway commands;

    @Test
    void attemptsACommandThatFailsWithADataErrorExactlyOnce() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> commands.sendAndWait(new TestOnlyCommandHandler.FailWithADataError(id)))
                .rootCause().isInstanceOf(SQLException.class)
                .satisfies(root -> assertThat(((SQLException) root).getSQLState()).isEqualTo("22012"));
        assertThat(TestOnlyCommandHandler.attempts(id)).isEqualTo(1);
    }

    @Test
    void attemptsACommandAgainAfterASerializationFailure() {
        UUID id = UUID.randomUUID();

        Integer answer = commands.sendAndWait(new TestOnlyCommandHandler.FailOnceWithASerializationFailure(id));

        assertThat(answer).isEqualTo(2);
        assertThat(TestOnlyCommandHandler.attempts(id)).isEqualTo(2);
    }
}

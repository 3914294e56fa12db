package dev.ipv6lifecycle.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.sql.SQLException;
import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The projections' writes: at once outside a unit of work, in order and batched at its commit inside one. */
class ProjectionWriterTests {

    private JdbcTemplate jdbc;
    private ProjectionWriter writes;

    @BeforeEach
    void freshDatabase() throws SQLException {
        jdbc = new JdbcTemplate(new SingleConnectionDataSource(
                SharedPostgres.dataSource(SharedPostgres.freshDatabase()).getConnection(), true));
        jdbc.execute("CREATE TABLE note (id int PRIMARY KEY, text text NOT NULL)");
        writes = new ProjectionWriter(jdbc);
    }

    @AfterEach
    void close() {
        ((SingleConnectionDataSource) jdbc.getDataSource()).destroy();
    }

    @Test
    void writesAtOnceOutsideAUnitOfWork() {
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");

        assertThat(notes()).containsExactly("1:one");
    }

    @Test
    void writesNothingBeforeTheUnitOfWorkCommitsAndEverythingInOrderWhenItDoes() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");
        writes.update("INSERT INTO note VALUES (?, ?)", 2, "two");
        writes.update("UPDATE note SET text = ? WHERE id = ?", "first", 1);
        writes.update("INSERT INTO note VALUES (?, ?)", 3, "three");
        writes.update("DELETE FROM note WHERE id = ?", 2);
        assertThat(notes()).isEmpty();

        batch.commit();

        // The update saw the row inserted before it, the delete the row inserted two statements earlier.
        assertThat(notes()).containsExactly("1:first", "3:three");
    }

    @Test
    void writesNothingWhenTheUnitOfWorkRollsBack() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");

        batch.rollback();

        assertThat(notes()).isEmpty();
    }

    @Test
    void failsTheCommitWhenAStatementFails() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "the same key again");

        assertThatThrownBy(batch::commit).isInstanceOf(DataAccessException.class);
    }

    @Test
    void writesInTheOuterUnitOfWorkWhenCalledFromANestedOne() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        UnitOfWork<?> nested = DefaultUnitOfWork.startAndGet(null);
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");
        nested.commit();
        assertThat(notes()).isEmpty();

        batch.commit();

        assertThat(notes()).containsExactly("1:one");
    }

    @Test
    void findsAnEventWhoseWritesPostgreSqlRefusesAndHasItsHandlerFailAtTheThirdAttempt() throws SQLException {
        // As a processor runs a batch: one transaction, each event handled in a unit of work of its own.
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            connection.setAutoCommit(false);
            return null;
        });
        EventMessage<?> good = GenericEventMessage.asEventMessage("good");
        EventMessage<?> refused = GenericEventMessage.asEventMessage("refused");

        // 1. The batch's writes go as one JDBC batch; PostgreSQL refuses the NUL, and the batch fails.
        assertThatThrownBy(() -> batch(good, refused)).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("0x00");
        rollback();
        // 2. Retried: statement by statement, which finds the refused event; the batch fails once more.
        assertThatThrownBy(() -> batch(good, refused)).isInstanceOf(ProjectionWriter.UnwritableEventException.class)
                .hasMessageContaining(refused.getIdentifier());
        rollback();
        // 3. Retried again: the refused event's handler throws (a dead-letter queue takes it), the rest commits.
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        handle(good, 1, "good");
        assertThatThrownBy(() -> handle(refused, 2, "bad\u0000text"))
                .isInstanceOf(ProjectionWriter.UnwritableEventException.class).hasMessageContaining("0x00");
        batch.commit();
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            connection.commit();
            return null;
        });

        assertThat(notes()).containsExactly("1:good");
    }

    private void batch(EventMessage<?> good, EventMessage<?> refused) {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        handle(good, 1, "good");
        handle(refused, 2, "bad\u0000text");
        batch.commit();
    }

    private void handle(EventMessage<?> event, int id, String text) {
        UnitOfWork<?> handling = DefaultUnitOfWork.startAndGet(event);
        try {
            writes.update("INSERT INTO note VALUES (?, ?)", id, text);
            handling.commit();
        } catch (RuntimeException e) {
            handling.rollback(e);
            throw e;
        }
    }

    private void rollback() {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            connection.rollback();
            return null;
        });
    }

    private List<String> notes() {
        return jdbc.queryForList("SELECT id || ':' || text FROM note ORDER BY id", String.class);
    }
}

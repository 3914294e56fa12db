package dev.ipv6lifecycle.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class SharedPostgresTests {

    @Test
    void migratesTheSharedDatabaseWithTheProjectsOwnScripts() {
        var jdbc = new JdbcTemplate(SharedPostgres.dataSource(SharedPostgres.jdbcUrl()));

        assertThat(jdbc.queryForObject("SHOW server_version_num", Integer.class)).isGreaterThanOrEqualTo(170000);
        assertThat(jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
                String.class))
                .contains("domain_event_entry", "token_entry", "saga_entry", "dead_letter_entry", "scheduled_tasks");
        assertThat(jdbc.queryForObject(
                "SELECT increment_by FROM pg_sequences WHERE sequencename = 'domain_event_entry_seq'", Long.class))
                .isEqualTo(1L);
    }

    @Test
    void storesSerializedPayloadsAsByteaNotLargeObjects() {
        var jdbc = new JdbcTemplate(SharedPostgres.dataSource(SharedPostgres.jdbcUrl()));

        assertThat(jdbc.queryForList(
                "SELECT table_name || '.' || column_name FROM information_schema.columns "
                        + "WHERE table_schema = 'public' AND data_type = 'oid'", String.class)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT data_type FROM information_schema.columns "
                + "WHERE table_name = 'domain_event_entry' AND column_name = 'payload'", String.class))
                .isEqualTo("bytea");
    }

    @Test
    void givesEachFreshDatabaseItsOwnRows() {
        var first = new JdbcTemplate(SharedPostgres.dataSource(SharedPostgres.freshDatabase()));
        var second = new JdbcTemplate(SharedPostgres.dataSource(SharedPostgres.freshDatabase()));

        first.update("INSERT INTO token_entry (processor_name, segment, timestamp) VALUES ('p', 0, 'now')");

        assertThat(first.queryForObject("SELECT count(*) FROM token_entry", Long.class)).isEqualTo(1L);
        assertThat(second.queryForObject("SELECT count(*) FROM token_entry", Long.class)).isZero();
        assertThatThrownBy(() -> first.update(
                "INSERT INTO token_entry (processor_name, segment, timestamp) VALUES ('p', 0, 'again')"))
                .hasRootCauseInstanceOf(SQLException.class);
    }
}

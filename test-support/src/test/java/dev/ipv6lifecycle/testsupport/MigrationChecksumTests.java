package dev.ipv6lifecycle.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An installation that applied V8 while its first comment line still named a document outside the
 * repository starts as before; any other change to an applied migration is still refused.
 */
class MigrationChecksumTests {

    /** V8's checksum as Flyway computed it before the comment changed (CRC-32 of its lines, as an int). */
    private static final int V8_BEFORE = -1240600109;

    @Test
    void anInstallationThatAppliedTheEarlierV8ValidatesAndKeepsTheCurrentChecksum() {
        String url = SharedPostgres.freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(url));
        int current = checksumOfV8(jdbc);
        jdbc.update("UPDATE flyway_schema_history SET checksum = ? WHERE version = '8'", V8_BEFORE);

        flyway(url).migrate();

        assertThat(checksumOfV8(jdbc)).isEqualTo(current).isNotEqualTo(V8_BEFORE);
    }

    @Test
    void anyOtherChecksumOfAnAppliedMigrationIsStillRefused() {
        String url = SharedPostgres.freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(url));
        jdbc.update("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '8'");

        assertThatThrownBy(() -> flyway(url).migrate()).isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("checksum mismatch");
    }

    private static int checksumOfV8(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT checksum FROM flyway_schema_history WHERE version = '8'", Integer.class);
    }

    private static Flyway flyway(String url) {
        return Flyway.configure().dataSource(url, SharedPostgres.USER, null).locations("classpath:db/migration").load();
    }
}

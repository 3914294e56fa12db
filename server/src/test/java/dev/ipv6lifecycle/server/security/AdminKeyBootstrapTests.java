package dev.ipv6lifecycle.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipv6lifecycle.testsupport.SharedPostgres;
import dev.ipv6lifecycle.server.persistence.StorageSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The admin key a new installation starts with, on a database of its own for each test. */
@ExtendWith(OutputCaptureExtension.class)
class AdminKeyBootstrapTests {

    private static final String CONFIGURED = "configured-admin-key-0123456789abcdef";

    @TempDir
    Path dataDir;

    private JdbcTemplate jdbc;
    private ApiKeys keys;
    private TransactionTemplate transactions;

    @BeforeEach
    void freshDatabase() {
        DataSource dataSource = SharedPostgres.dataSource(SharedPostgres.freshDatabase());
        jdbc = new JdbcTemplate(dataSource);
        // A cache that is never started never serves: every key is looked up, as these tests read the table.
        keys = new ApiKeys(jdbc, new ApiKeyCache(new ApiKeyCacheSettings(Duration.ofSeconds(60), 100,
                Duration.ofMillis(500)), null));
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Test
    void writesTheFirstKeyToAFileOnlyItsOwnerMayReadAndLogsWhereNeverWhat(CapturedOutput output) throws Exception {
        bootstrap("").afterSingletonsInstantiated();

        Path file = dataDir.resolve("admin-api-key");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String key = Files.readString(file).strip();
        ApiKeys.StoredKey stored = keys.authenticate(key).orElseThrow();
        assertThat(stored.tenantId()).isEqualTo("default");
        assertThat(stored.role()).isEqualTo(Role.ADMIN);
        assertThat(output.getAll()).contains(file.toAbsolutePath().toString()).doesNotContain(key)
                .doesNotContain(key.substring(6));
    }

    @Test
    void createsNoFileWhenAKeyExistsAlready() {
        keys.create("acme", Role.VIEWER, "someone's", "test");

        bootstrap("").afterSingletonsInstantiated();
        bootstrap("").afterSingletonsInstantiated();

        assertThat(dataDir.resolve("admin-api-key")).doesNotExist();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_key", Long.class)).isEqualTo(1L);
    }

    @Test
    void seedsTheConfiguredKeyOnceAndAChangedValueReplacesIt(CapturedOutput output) {
        bootstrap(CONFIGURED).afterSingletonsInstantiated();
        bootstrap(CONFIGURED).afterSingletonsInstantiated();
        assertThat(keys.authenticate(CONFIGURED)).get().extracting(ApiKeys.StoredKey::role).isEqualTo(Role.ADMIN);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_key", Long.class)).isEqualTo(1L);
        assertThat(dataDir.resolve("admin-api-key")).doesNotExist();

        String rotated = CONFIGURED + "-rotated";
        bootstrap(rotated).afterSingletonsInstantiated();

        assertThat(keys.authenticate(rotated)).isPresent();
        assertThat(keys.authenticate(CONFIGURED)).as("the value seeded before").isEmpty();
        assertThat(output.getAll()).doesNotContain(CONFIGURED);
    }

    @Test
    void keepsARevokedConfiguredKeyRevoked() {
        bootstrap(CONFIGURED).afterSingletonsInstantiated();
        keys.revoke(keys.authenticate(CONFIGURED).orElseThrow().id(), "api-key:someone");

        bootstrap(CONFIGURED).afterSingletonsInstantiated();

        assertThat(keys.authenticate(CONFIGURED)).isEmpty();
    }

    @Test
    void refusesAConfiguredKeyTooShortToBeSecret() {
        assertThatThrownBy(() -> bootstrap("admin").afterSingletonsInstantiated())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("IPV6_ADMIN_API_KEY")
                .hasMessageNotContaining("admin,");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_key", Long.class)).isZero();
    }

    private AdminKeyBootstrap bootstrap(String configured) {
        return new AdminKeyBootstrap(keys, jdbc, transactions, new SecuritySettings(configured),
                new StorageSettings(dataDir, new StorageSettings.EmbeddedPostgres(0)));
    }
}

package dev.ipv6lifecycle.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.ipv6lifecycle.Ipv6LifecycleApplication;
import dev.ipv6lifecycle.server.SilentNasInitializer;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two nodes on one database: the whole application (node A, whose REST API creates and revokes keys) and a
 * second node's key authentication, with its own cache and listening connection (node B). A key revoked
 * through A is refused by B within one second, also when B's listening connection was killed just before;
 * and B's cache is what answered before, bounded by its maximum age.
 */
class ApiKeyRevocationAcrossNodesIntegrationTests {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static String database;
    private static ConfigurableApplicationContext nodeA;
    private static Api admin;
    private static HikariDataSource nodeBPool;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startNodeA() {
        // A database of its own: one test below switches the trigger off for a statement.
        database = SharedPostgres.freshDatabase();
        nodeA = new SpringApplicationBuilder(Ipv6LifecycleApplication.class)
                .initializers(new SilentNasInitializer())
                .run("--spring.datasource.url=" + database, "--spring.datasource.username=" + SharedPostgres.USER,
                        "--spring.datasource.password=", "--server.port=0");
        admin = new Api(Integer.parseInt(nodeA.getEnvironment().getProperty("local.server.port")));
        nodeBPool = new HikariDataSource();
        nodeBPool.setJdbcUrl(database);
        nodeBPool.setUsername(SharedPostgres.USER);
        nodeBPool.setMaximumPoolSize(2);
        jdbc = new JdbcTemplate(nodeBPool);
    }

    @AfterAll
    static void stop() {
        nodeBPool.close();
        nodeA.close();
    }

    @Test
    void aKeyRevokedThroughOneNodeIsRefusedByAnotherWithinOneSecond() {
        try (Node nodeB = new Node(settings(Duration.ofSeconds(60)))) {
            Created key = createKeyHeardBy(nodeB, "node-b");
            assertThat(nodeB.keys.authenticate(key.key())).as("accepted before").isPresent();
            assertThat(nodeB.cache.size()).as("cached").isEqualTo(1);
            assertThat(admin.as(key.key()).get("/api/v1/pools").status()).as("accepted by node A").isEqualTo(200);

            assertThat(admin.delete("/api/v1/admin/api-keys/" + key.id()).status()).isEqualTo(204);

            assertRefusedWithinOneSecond(nodeB, key.key());
            admin.as(key.key()).get("/api/v1/pools").assertProblem(401, "unauthorized");
        }
    }

    @Test
    void aNodeWhoseListeningConnectionWasKilledStillRefusesAKeyRevokedMeanwhileAndListensAgain() {
        try (Node nodeB = new Node(settings(Duration.ofSeconds(60)))) {
            Created key = createKeyHeardBy(nodeB, "killed listener");
            assertThat(nodeB.keys.authenticate(key.key())).as("accepted before").isPresent();
            assertThat(nodeB.cache.size()).as("cached").isEqualTo(1);
            int killed = nodeB.cache.listenerPid();

            assertThat(jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, killed)).isTrue();
            assertThat(admin.delete("/api/v1/admin/api-keys/" + key.id()).status()).isEqualTo(204);

            assertRefusedWithinOneSecond(nodeB, key.key());
            await().atMost(Duration.ofSeconds(10)).until(() -> nodeB.cache.trusted()
                    && nodeB.cache.listenerPid() != 0 && nodeB.cache.listenerPid() != killed);
            // Listening again, it caches again, and hears the next revocation.
            Created next = createKeyHeardBy(nodeB, "after reconnecting");
            assertThat(nodeB.keys.authenticate(next.key())).isPresent();
            assertThat(nodeB.cache.size()).isEqualTo(1);
            assertThat(admin.delete("/api/v1/admin/api-keys/" + next.id()).status()).isEqualTo(204);
            assertRefusedWithinOneSecond(nodeB, next.key());
        }
    }

    @Test
    void aCachedKeyIsServedWithoutALookupButNoLongerThanItsMaximumAge() throws Exception {
        Duration maxAge = Duration.ofSeconds(2);
        try (Node nodeB = new Node(settings(maxAge))) {
            Created key = createKeyHeardBy(nodeB, "silently revoked");
            assertThat(nodeB.keys.authenticate(key.key())).isPresent();
            // A revocation that no trigger announces (replication role "replica" fires no ordinary trigger):
            // only a cached answer can still accept the key.
            try (Connection connection = nodeBPool.getConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("SET LOCAL session_replication_role = replica");
                statement.execute("UPDATE api_key SET revoked_at = now(), revoked_by = 'test' WHERE id = '" + key.id() + "'");
                connection.commit();
            }
            long revokedAt = System.nanoTime();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM api_key WHERE id = ?::uuid AND revoked_at IS NULL",
                    Long.class, key.id())).isZero();

            assertThat(nodeB.keys.authenticate(key.key())).as("served from the cache").isPresent();
            await().atMost(maxAge.plusSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> nodeB.keys.authenticate(key.key()).isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(maxAge.plusSeconds(1));
        }
    }

    private static void assertRefusedWithinOneSecond(Node node, String key) {
        long revokedAt = System.nanoTime();
        Supplier<Optional<ApiKeys.StoredKey>> attempt = () -> node.keys.authenticate(key);
        await().atMost(ONE_SECOND).pollInterval(Duration.ofMillis(10)).until(() -> attempt.get().isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(ONE_SECOND);
        // And it stays refused.
        assertThat(attempt.get()).isEmpty();
    }

    private static ApiKeyCacheSettings settings(Duration maxAge) {
        return new ApiKeyCacheSettings(maxAge, 100, Duration.ofMillis(500));
    }

    /**
     * A new key, once node B has heard of its creation: the creation's NOTIFY empties B's cache too, and a
     * test that needs the key cached caches it after that.
     */
    private static Created createKeyHeardBy(Node node, String name) {
        long before = node.cache.generation();
        Created created = createKey(name);
        await().atMost(Duration.ofSeconds(5)).until(() -> node.cache.generation() > before);
        return created;
    }

    private static Created createKey(String name) {
        Api.Answer created = admin.post("/api/v1/admin/api-keys",
                "{\"tenant\": \"acme\", \"role\": \"viewer\", \"name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Created(created.json().get("id").asString(), created.json().get("key").asString());
    }

    private record Created(String id, String key) {
    }

    /** Node B's share of authentication: its own cache, listening on its own connection, and its own lookups. */
    private static final class Node implements AutoCloseable {

        final ApiKeyCache cache;
        final ApiKeys keys;

        Node(ApiKeyCacheSettings settings) {
            cache = new ApiKeyCache(settings, ApiKeyCache.connectorFor(nodeBPool));
            keys = new ApiKeys(jdbc, cache);
            cache.start();
            await().atMost(Duration.ofSeconds(10)).until(cache::trusted);
        }

        @Override
        public void close() {
            cache.stop();
        }
    }
}

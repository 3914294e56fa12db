package dev.ipv6lifecycle.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Migration V8: delegation_view's statement triggers keep the counts per (tenant, pool, state) through any
 * kind of write, and folding the deltas into the totals moves each delta exactly once, even when folds run
 * at the same time as each other and as the writers.
 */
class DelegationCountTriggersTests {

    private static final List<String> STATES = List.of("ALLOCATED", "ACTIVE", "SUSPENDED", "REVOKING", "REVOKED", "FAILED");

    private final UUID pool = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private String database;
    private JdbcTemplate jdbc;

    @BeforeEach
    void freshDatabase() {
        database = SharedPostgres.freshDatabase();
        jdbc = new JdbcTemplate(SharedPostgres.dataSource(database));
    }

    @Test
    void anInstallationUpgradingWithDelegationsStartsFromItsRows() {
        jdbc.execute("DROP SCHEMA public CASCADE");
        jdbc.execute("CREATE SCHEMA public");
        flyway("7").migrate();
        insert(pool, 12, "ACTIVE");
        insert(pool, 3, "REVOKED");
        insert(other, 5, "ACTIVE");

        flyway("latest").migrate();

        assertThat(totals()).isEqualTo(Map.of(key(pool, "ACTIVE"), 12L, key(pool, "REVOKED"), 3L, key(other, "ACTIVE"), 5L));
        insert(other, 1, "ACTIVE");
        assertThat(totals()).isEqualTo(expectedFromTheTable());
    }

    @Test
    void countsFollowAMultiRowInsertStateUpdatesAndDeletes() {
        jdbc.update("""
                INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state, allocated_at,
                                             state_changed_at, last_sequence)
                SELECT gen_random_uuid(), 'isp-a', 'sub-' || i, CASE WHEN i % 3 = 0 THEN ?::uuid ELSE ?::uuid END,
                       ('2001:db8:0:' || to_hex(i) || '::/64')::cidr, 'ALLOCATED', now(), now(), 0
                FROM generate_series(1, 300) AS i""", other, pool);
        assertThat(totals()).isEqualTo(Map.of(key(pool, "ALLOCATED"), 200L, key(other, "ALLOCATED"), 100L));

        jdbc.update("UPDATE delegation_view SET state = 'ACTIVE' WHERE subscriber_id IN ('sub-1', 'sub-2', 'sub-3', 'sub-4')");
        jdbc.update("UPDATE delegation_view SET state = 'SUSPENDED' WHERE subscriber_id = 'sub-4'");
        jdbc.update("UPDATE delegation_view SET reason = 'no state change' WHERE subscriber_id = 'sub-5'");
        jdbc.update("DELETE FROM delegation_view WHERE subscriber_id IN ('sub-1', 'sub-5', 'sub-6')");

        assertThat(totals()).isEqualTo(expectedFromTheTable()).isEqualTo(Map.of(key(pool, "ALLOCATED"), 196L,
                key(pool, "ACTIVE"), 1L, key(pool, "SUSPENDED"), 1L, key(other, "ALLOCATED"), 98L, key(other, "ACTIVE"), 1L));
    }

    @Test
    void aJdbcBatchRewrittenIntoMultiRowInsertsAppendsADeltaPerStatementNotPerRow() throws SQLException {
        PGSimpleDataSource rewriting = (PGSimpleDataSource) SharedPostgres.dataSource(database);
        rewriting.setReWriteBatchedInserts(true);
        try (Connection connection = rewriting.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state,
                                                  allocated_at, state_changed_at, last_sequence)
                     VALUES (?, 'isp-a', ?, ?, ?::cidr, 'ALLOCATED', now(), now(), 0)""")) {
            for (int i = 0; i < 1_000; i++) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, "sub-" + i);
                insert.setObject(3, pool);
                insert.setString(4, "2001:db8:0:" + Integer.toHexString(i) + "::/64");
                insert.addBatch();
            }
            insert.executeBatch();
        }

        // The driver sends at most 128 rows per statement: 1,000 rows are 8 statements, and one delta each.
        assertThat(jdbc.queryForObject("SELECT count(*) FROM delegation_count_delta", Long.class)).isBetween(1L, 16L);
        assertThat(totals()).isEqualTo(Map.of(key(pool, "ALLOCATED"), 1_000L));
    }

    @Test
    void aTruncateEmptiesTheCounts() {
        insert(pool, 20, "ACTIVE");
        new ReadSideMetricsQueries(jdbc).fold();
        insert(pool, 5, "REVOKED");

        jdbc.execute("TRUNCATE delegation_view");

        assertThat(totals()).isEmpty();
        insert(pool, 3, "FAILED");
        assertThat(totals()).isEqualTo(Map.of(key(pool, "FAILED"), 3L));
    }

    @Test
    void twoFoldsAtOnceMoveEachDeltaOnce() throws Exception {
        insert(pool, 40, "ACTIVE");
        insert(other, 7, "SUSPENDED");
        try (Connection first = SharedPostgres.dataSource(database).getConnection();
             Connection second = SharedPostgres.dataSource(database).getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            ReadSideMetricsQueries firstFold = foldsOn(first);
            ReadSideMetricsQueries secondFold = foldsOn(second);
            assertThat(firstFold.fold()).isEqualTo(2);

            ExecutorService thread = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> blocked = thread.submit(secondFold::fold);
                // The second fold waits on the delta rows the first one deleted but has not committed.
                await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                        Long.class) == 1);
                first.commit();
                assertThat(blocked.get()).as("deltas left for the second fold").isZero();
                second.commit();
            } finally {
                thread.shutdownNow();
            }
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM delegation_count_delta", Long.class)).isZero();
        assertThat(totals()).isEqualTo(Map.of(key(pool, "ACTIVE"), 40L, key(other, "SUSPENDED"), 7L));
    }

    @Test
    void foldsRacingWithWritersNeitherLoseNorDoubleADelta() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int writer = 0; writer < 3; writer++) {
                UUID ofWriter = writer == 0 ? pool : other;
                String subscriberPrefix = "w" + writer + "-";
                running.add(threads.submit(() -> {
                    for (int round = 0; round < 40; round++) {
                        insertAs(ofWriter, subscriberPrefix + round, 10);
                        jdbc.update("UPDATE delegation_view SET state = ? WHERE subscriber_id LIKE ? AND random() < 0.5",
                                STATES.get(ThreadLocalRandom.current().nextInt(STATES.size())), subscriberPrefix + "%");
                        if (round % 7 == 0) {
                            jdbc.update("DELETE FROM delegation_view WHERE subscriber_id LIKE ? AND random() < 0.2",
                                    subscriberPrefix + "%");
                        }
                    }
                    return null;
                }));
            }
            for (int folder = 0; folder < 2; folder++) {
                running.add(threads.submit(() -> {
                    ReadSideMetricsQueries folds = new ReadSideMetricsQueries(jdbc);
                    for (int round = 0; round < 60; round++) {
                        folds.fold();
                    }
                    return null;
                }));
            }
            for (Future<?> task : running) {
                task.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(totals()).isEqualTo(expectedFromTheTable()).isNotEmpty();
    }

    /** The totals after folding what is pending, without the zeros a count may have come down to. */
    private Map<String, Long> totals() {
        new ReadSideMetricsQueries(jdbc).fold();
        Map<String, Long> totals = new TreeMap<>();
        jdbc.query("SELECT pool_id, state, n FROM delegation_count WHERE n <> 0", row -> {
            totals.put(row.getString("pool_id") + " " + row.getString("state"), row.getLong("n"));
        });
        return totals;
    }

    private Map<String, Long> expectedFromTheTable() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query("SELECT pool_id, state, count(*) AS n FROM delegation_view GROUP BY pool_id, state", row -> {
            counts.put(row.getString("pool_id") + " " + row.getString("state"), row.getLong("n"));
        });
        return counts;
    }

    private Flyway flyway(String target) {
        return Flyway.configure().dataSource(database, SharedPostgres.USER, null).locations("classpath:db/migration")
                .target(target).load();
    }

    private static String key(UUID poolId, String state) {
        return poolId + " " + state;
    }

    private static ReadSideMetricsQueries foldsOn(Connection connection) {
        return new ReadSideMetricsQueries(new JdbcTemplate(new SingleConnectionDataSource(connection, true)));
    }

    private void insert(UUID poolId, int rows, String state) {
        jdbc.update("""
                INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state, allocated_at,
                                             state_changed_at, last_sequence)
                SELECT gen_random_uuid(), 'isp-a', 'sub-' || gen_random_uuid(), ?,
                       ('2001:db8:' || to_hex((random() * 65535)::int) || ':' || to_hex(i) || '::/64')::cidr, ?, now(), now(), 0
                FROM generate_series(1, ?) AS i""", poolId, state, rows);
    }

    private void insertAs(UUID poolId, String subscriber, int rows) {
        jdbc.update("""
                INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state, allocated_at,
                                             state_changed_at, last_sequence)
                SELECT gen_random_uuid(), 'isp-a', ? || '-' || i, ?, '2001:db8::/64'::cidr, 'ALLOCATED', now(), now(), 0
                FROM generate_series(1, ?) AS i""", subscriber, poolId, rows);
    }
}

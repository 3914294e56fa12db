package dev.ipv6lifecycle.query.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.AfterContainer;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Migration V14: delegation_view's statement triggers keep the held prefixes per (pool, length,
 * quarantined) equal to what the {@code held_prefix} view counts by scanning (the oracle, the pool API's SQL
 * before V14), folded or not, through any sequence of writes: inserts that reclaim
 * rows present, absent or ended, state changes, quarantine ends, single and multi-row deletes and the
 * projection's reset; and when a row and its reclaimer are written by two transactions at once.
 */
class HeldCountTriggersPropertyTests {

    private static final List<String> STATES = List.of("ALLOCATED", "ACTIVE", "SUSPENDED", "REVOKING", "REVOKED", "FAILED");
    private static final List<String> PREFIXES = List.of("2001:db8:0:100::/56", "2001:db8:0:200::/56",
            "2001:db8:0:300::/64", "2001:db8:0:301::/64", "2001:db8:0:400::/60");

    private static String database;
    private static JdbcTemplate jdbc;

    @BeforeContainer
    static void connect() {
        database = SharedPostgres.freshDatabase();
        // One connection for every statement of the properties: opening one per statement costs more.
        try {
            jdbc = new JdbcTemplate(new SingleConnectionDataSource(SharedPostgres.dataSource(database).getConnection(), true));
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to the test database", e);
        }
    }

    @AfterContainer
    static void disconnect() {
        ((SingleConnectionDataSource) jdbc.getDataSource()).destroy();
    }

    @Property(tries = 100)
    void theCountsEqualTheHeldPrefixViewAfterEveryWrite(@ForAll Random random) {
        jdbc.update("DELETE FROM delegation_view");
        UUID[] pools = {UUID.randomUUID(), UUID.randomUUID()};
        List<UUID> rows = new ArrayList<>();
        for (int step = 0; step < 40; step++) {
            int choice = random.nextInt(100);
            if (rows.isEmpty() || choice < 30) {
                UUID reclaimed = rows.isEmpty() || random.nextBoolean() ? null
                        : random.nextInt(5) == 0 ? UUID.randomUUID() : rows.get(random.nextInt(rows.size()));
                rows.add(insert(pools[random.nextInt(2)], PREFIXES.get(random.nextInt(PREFIXES.size())),
                        STATES.get(random.nextInt(STATES.size())), reclaimed));
            } else if (choice < 60) {
                jdbc.update("UPDATE delegation_view SET state = ? WHERE delegation_id = ?",
                        STATES.get(random.nextInt(STATES.size())), rows.get(random.nextInt(rows.size())));
            } else if (choice < 70) {
                jdbc.update("UPDATE delegation_view SET quarantine_ended_at = now() WHERE delegation_id = ?",
                        rows.get(random.nextInt(rows.size())));
            } else if (choice < 78) {
                // Many rows in one statement, as a projection's batch or an operator's fix does.
                jdbc.update("UPDATE delegation_view SET state = ? WHERE pool_id = ?",
                        STATES.get(random.nextInt(STATES.size())), pools[random.nextInt(2)]);
            } else if (choice < 92) {
                rows.remove(deleteOne(rows.get(random.nextInt(rows.size()))));
            } else if (choice < 96) {
                jdbc.update("DELETE FROM delegation_view WHERE state = 'REVOKED'");
                rows.retainAll(jdbc.queryForList("SELECT delegation_id FROM delegation_view", UUID.class));
            } else {
                jdbc.update("DELETE FROM delegation_view");
                rows.clear();
            }
            // Folded now and then, as the gauges' refresh does: the counts are exact either way.
            if (random.nextInt(4) == 0) {
                new HeldCounts(jdbc).fold();
            }
            assertThat(counted()).as("after step %d (%d), rows %s, reclaims %s", step, choice,
                    jdbc.queryForList("SELECT delegation_id, masklen(prefix), state, quarantine_ended_at, reclaimed_from FROM delegation_view"),
                    jdbc.queryForList("SELECT reclaimer_id, reclaimed_id FROM held_count_reclaim")).isEqualTo(scanned());
        }
    }

    /**
     * Two segments' transactions, one writing a row and the other its reclaimer, each unable to see the
     * other's row until it commits: in either order of commit, the counts equal the view's once both have.
     */
    @Example
    void aRowAndItsReclaimerWrittenByConcurrentTransactionsCountAsTheViewDoesInEitherOrder() throws SQLException {
        for (boolean reclaimerCommitsFirst : new boolean[] {true, false}) {
            for (String change : List.of("INSERT", "UPDATE delegation_view SET quarantine_ended_at = now() WHERE delegation_id = ?",
                    "UPDATE delegation_view SET state = 'REVOKED' WHERE delegation_id = ?",
                    "DELETE FROM delegation_view WHERE delegation_id = ?")) {
                jdbc.update("DELETE FROM delegation_view");
                UUID pool = UUID.randomUUID();
                UUID reclaimed = change.equals("INSERT") ? UUID.randomUUID() : insert(pool, PREFIXES.get(0), "REVOKING", null);
                DataSource data = SharedPostgres.dataSource(database);
                try (Connection reclaiming = data.getConnection(); Connection changing = data.getConnection()) {
                    reclaiming.setAutoCommit(false);
                    changing.setAutoCommit(false);
                    if (change.equals("INSERT")) {
                        insert(changing, reclaimed, pool, "REVOKED", null);
                    } else {
                        execute(changing, change, reclaimed);
                    }
                    insert(reclaiming, UUID.randomUUID(), pool, "ALLOCATED", reclaimed);
                    (reclaimerCommitsFirst ? reclaiming : changing).commit();
                    (reclaimerCommitsFirst ? changing : reclaiming).commit();
                }
                assertThat(counted()).as("reclaimer commits first: %s, %s", reclaimerCommitsFirst, change)
                        .isEqualTo(scanned()).isNotEmpty();
            }
        }
    }

    @Example
    void anInstallationUpgradingWithDelegationsStartsFromItsHeldPrefixes() {
        String upgraded = SharedPostgres.freshDatabase();
        JdbcTemplate old = new JdbcTemplate(SharedPostgres.dataSource(upgraded));
        old.execute("DROP SCHEMA public CASCADE");
        old.execute("CREATE SCHEMA public");
        Flyway.configure().dataSource(upgraded, SharedPostgres.USER, null).locations("classpath:db/migration")
                .target("10").load().migrate();
        UUID pool = UUID.randomUUID();
        UUID quarantined = insert(old, pool, PREFIXES.get(0), "REVOKED", null);
        insert(old, pool, PREFIXES.get(0), "ACTIVE", quarantined);
        insert(old, pool, PREFIXES.get(2), "FAILED", null);
        insert(old, pool, PREFIXES.get(3), "SUSPENDED", null);

        Flyway.configure().dataSource(upgraded, SharedPostgres.USER, null).locations("classpath:db/migration").load()
                .migrate();

        assertThat(counted(old)).isEqualTo(scanned(old))
                .isEqualTo(Map.of(pool + " /56 live", 1L, pool + " /64 quarantined", 1L, pool + " /64 live", 1L));
    }

    private static Map<String, Long> counted() {
        return counted(jdbc);
    }

    /**
     * Totals plus pending deltas less the reclaimed rows still counted, as the pool query adds them up,
     * without the zeros a count came down to.
     */
    private static Map<String, Long> counted(JdbcTemplate jdbc) {
        return keyed(jdbc, """
                SELECT pool_id, length, quarantined, sum(n) AS n
                FROM (SELECT pool_id, length, quarantined, n FROM held_count
                      UNION ALL SELECT pool_id, length, quarantined, delta FROM held_count_delta
                      UNION ALL SELECT d.pool_id, masklen(d.prefix), d.state IN ('REVOKED', 'FAILED'), -1
                                FROM delegation_view d
                                WHERE d.delegation_id IN (SELECT reclaimed_id FROM held_count_reclaim)
                                  AND d.quarantine_ended_at IS NULL) AS c
                GROUP BY pool_id, length, quarantined HAVING sum(n) <> 0""");
    }

    private static Map<String, Long> scanned() {
        return scanned(jdbc);
    }

    private static Map<String, Long> scanned(JdbcTemplate jdbc) {
        return keyed(jdbc, "SELECT pool_id, length, quarantined, count(*) AS n FROM held_prefix GROUP BY pool_id, length, quarantined");
    }

    private static Map<String, Long> keyed(JdbcTemplate jdbc, String sql) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query(sql, row -> {
            counts.put(row.getString("pool_id") + " /" + row.getInt("length") + " "
                    + (row.getBoolean("quarantined") ? "quarantined" : "live"), row.getLong("n"));
        });
        return counts;
    }

    private static UUID insert(UUID pool, String prefix, String state, UUID reclaimedFrom) {
        return insert(jdbc, pool, prefix, state, reclaimedFrom);
    }

    private static UUID insert(JdbcTemplate jdbc, UUID pool, String prefix, String state, UUID reclaimedFrom) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state, allocated_at,
                                             state_changed_at, reclaimed_from, last_sequence)
                VALUES (?, 'isp-a', 'sub', ?, ?::cidr, ?, now(), now(), ?, 0)""", id, pool, prefix, state, reclaimedFrom);
        return id;
    }

    private static UUID deleteOne(UUID id) {
        jdbc.update("DELETE FROM delegation_view WHERE delegation_id = ?", id);
        return id;
    }

    private static void insert(Connection connection, UUID id, UUID pool, String state, UUID reclaimedFrom)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state, allocated_at,
                                             state_changed_at, reclaimed_from, last_sequence)
                VALUES (?, 'isp-a', 'sub', ?, ?::cidr, ?, now(), now(), ?, 0)""")) {
            insert.setObject(1, id);
            insert.setObject(2, pool);
            insert.setString(3, PREFIXES.get(0));
            insert.setString(4, state);
            insert.setObject(5, reclaimedFrom);
            insert.executeUpdate();
        }
    }

    private static void execute(Connection connection, String sql, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.executeUpdate();
        }
    }
}

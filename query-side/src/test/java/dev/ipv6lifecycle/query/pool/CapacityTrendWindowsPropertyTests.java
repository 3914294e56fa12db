package dev.ipv6lifecycle.query.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Migration V17: the forecast's windows that the fold writes are a shortcut, never a source. Through any
 * sequence of deltas (of today, of days inside the windows and older), folds, and changes written straight into
 * capacity_trend (inserts, updates, deletes of days inside the windows and outside, truncation), the net change
 * read equals the sum of the days and deltas (the oracle, the read before V17); and so it does when a fold and
 * such a change run in concurrent transactions, in either order; and in an installation upgrading with a trend.
 */
class CapacityTrendWindowsPropertyTests {

    private static final int LENGTH = 56;

    private static String database;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transaction;

    @BeforeContainer
    static void connect() {
        database = SharedPostgres.freshDatabase();
        try {
            SingleConnectionDataSource connection =
                    new SingleConnectionDataSource(SharedPostgres.dataSource(database).getConnection(), true);
            jdbc = new JdbcTemplate(connection);
            transaction = new TransactionTemplate(new DataSourceTransactionManager(connection));
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to the test database", e);
        }
    }

    @AfterContainer
    static void disconnect() {
        ((SingleConnectionDataSource) jdbc.getDataSource()).destroy();
    }

    @Property(tries = 60)
    void theNetChangeReadEqualsTheSumOfTheDaysAfterEveryWriteAndFold(@ForAll Random random) {
        jdbc.update("TRUNCATE capacity_trend, capacity_trend_delta");
        List<UUID> pools = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (int step = 0; step < 30; step++) {
            UUID pool = pools.get(random.nextInt(pools.size()));
            // Days 0 (today, in no window) to 35 back (older than the long window).
            Date day = daysAgo(random.nextInt(36));
            int choice = random.nextInt(100);
            if (choice < 35) {
                jdbc.update("INSERT INTO capacity_trend_delta (pool_id, length, day, taken, returned) VALUES (?, ?, ?, ?, ?)",
                        pool, LENGTH, day, random.nextInt(50), random.nextInt(20));
            } else if (choice < 60) {
                fold();
            } else if (choice < 72) {
                jdbc.update("""
                        INSERT INTO capacity_trend (pool_id, length, day, taken, returned) VALUES (?, ?, ?, ?, 0)
                        ON CONFLICT (pool_id, length, day) DO NOTHING""", pool, LENGTH, day, random.nextInt(50));
            } else if (choice < 84) {
                jdbc.update("UPDATE capacity_trend SET taken = taken + ? WHERE pool_id = ? AND day = ?",
                        1 + random.nextInt(9), pool, day);
            } else if (choice < 96) {
                jdbc.update("DELETE FROM capacity_trend WHERE pool_id = ? AND day = ?", pool, day);
            } else {
                jdbc.update("TRUNCATE capacity_trend");
            }
            assertThat(read(pools)).as("after step %d (%d), windows %s", step, choice,
                    jdbc.queryForList("SELECT * FROM capacity_trend_window")).isEqualTo(summed(pools));
        }
    }

    @Example
    void aFoldWritesOneWindowPerPoolAndLengthAndTheEverydayFoldOfTodayKeepsThem() {
        jdbc.update("TRUNCATE capacity_trend, capacity_trend_delta");
        UUID pool = UUID.randomUUID();
        for (int ago = 1; ago <= 30; ago++) {
            jdbc.update("INSERT INTO capacity_trend (pool_id, length, day, taken, returned) VALUES (?, ?, ?, 10, 1)",
                    pool, LENGTH, daysAgo(ago));
        }
        fold();
        assertThat(jdbc.queryForList("SELECT as_of, net_short, net_long FROM capacity_trend_window WHERE pool_id = ?", pool))
                .containsExactly(Map.of("as_of", daysAgo(0), "net_short", 63L, "net_long", 270L));

        jdbc.update("INSERT INTO capacity_trend_delta (pool_id, length, day, taken, returned) VALUES (?, ?, ?, 5, 0)",
                pool, LENGTH, daysAgo(0));
        fold();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM capacity_trend_window WHERE pool_id = ?", Long.class, pool))
                .as("today is in no window: folding it leaves the windows").isEqualTo(1);
        assertThat(read(List.of(pool))).isEqualTo(summed(List.of(pool)));
    }

    @Example
    void anInstallationUpgradingWithATrendReadsItsDaysUntilTheFirstFoldAndTheSameAfter() {
        String upgraded = SharedPostgres.freshDatabase();
        JdbcTemplate old = new JdbcTemplate(SharedPostgres.dataSource(upgraded));
        old.execute("DROP SCHEMA public CASCADE");
        old.execute("CREATE SCHEMA public");
        Flyway.configure().dataSource(upgraded, SharedPostgres.USER, null).locations("classpath:db/migration")
                .target("16").load().migrate();
        UUID pool = UUID.randomUUID();
        for (int ago = 1; ago <= 35; ago++) {
            old.update("INSERT INTO capacity_trend (pool_id, length, day, taken, returned) VALUES (?, ?, ?, ?, 2)",
                    pool, LENGTH, daysAgo(ago), ago);
        }

        Flyway.configure().dataSource(upgraded, SharedPostgres.USER, null).locations("classpath:db/migration").load()
                .migrate();

        // Days 1 to 7 net 28 - 14, days 1 to 30 net 465 - 60; days 31 to 35 are older than the long window.
        Map<UUID, CapacityTrend.Net> expected = Map.of(pool, new CapacityTrend.Net(Map.of(LENGTH, 14L), Map.of(LENGTH, 405L)));
        CapacityTrend trend = new CapacityTrend(old);
        assertThat(trend.net(List.of(pool))).as("before the first fold").isEqualTo(expected);
        new TransactionTemplate(new DataSourceTransactionManager(old.getDataSource())).executeWithoutResult(status -> trend.fold());
        assertThat(old.queryForObject("SELECT count(*) FROM capacity_trend_window WHERE pool_id = ?", Long.class, pool))
                .isEqualTo(1);
        assertThat(trend.net(List.of(pool))).as("from the windows").isEqualTo(expected);
    }

    /**
     * A change to a day inside the windows, written by a transaction that commits before or after a fold's, the
     * fold having written its windows from what it could see: once both have committed, the read is the sum.
     */
    @Example
    void aFoldAndAConcurrentChangeInsideTheWindowsReadAsTheSumInEitherOrder() throws Exception {
        for (boolean foldFirst : new boolean[] {true, false}) {
            jdbc.update("TRUNCATE capacity_trend, capacity_trend_delta");
            UUID pool = UUID.randomUUID();
            for (int ago = 1; ago <= 10; ago++) {
                jdbc.update("INSERT INTO capacity_trend (pool_id, length, day, taken, returned) VALUES (?, ?, ?, 10, 0)",
                        pool, LENGTH, daysAgo(ago));
            }
            jdbc.update("INSERT INTO capacity_trend_delta (pool_id, length, day, taken, returned) VALUES (?, ?, ?, 3, 0)",
                    pool, LENGTH, daysAgo(12));
            DataSource data = SharedPostgres.dataSource(database);
            try (Connection changing = data.getConnection(); Connection folding = data.getConnection()) {
                changing.setAutoCommit(false);
                SingleConnectionDataSource foldingSource = new SingleConnectionDataSource(folding, true);
                CapacityTrend trend = new CapacityTrend(new JdbcTemplate(foldingSource));
                TransactionTemplate foldTransaction = new TransactionTemplate(new DataSourceTransactionManager(foldingSource));
                CountDownLatch folded = new CountDownLatch(1);
                CountDownLatch commitFold = new CountDownLatch(1);
                Runnable foldAndWait = () -> foldTransaction.executeWithoutResult(status -> {
                    trend.fold();
                    folded.countDown();
                    await(commitFold);
                });
                CompletableFuture<Void> fold;
                CompletableFuture<Void> change;
                if (foldFirst) {
                    fold = CompletableFuture.runAsync(foldAndWait);
                    assertThat(folded.await(10, TimeUnit.SECONDS)).isTrue();
                    // Its trigger waits for the fold's lock: the fold's windows are committed by the time it deletes.
                    change = CompletableFuture.runAsync(() -> changeAndCommit(changing, pool));
                    Thread.sleep(200);
                    commitFold.countDown();
                } else {
                    update(changing, pool);
                    fold = CompletableFuture.runAsync(foldAndWait);
                    // The fold waits for the change's lock, then writes its windows from the committed change.
                    Thread.sleep(200);
                    assertThat(folded.getCount()).as("the fold waits for the change's transaction").isEqualTo(1);
                    changing.commit();
                    change = CompletableFuture.completedFuture(null);
                    commitFold.countDown();
                }
                fold.get(10, TimeUnit.SECONDS);
                change.get(10, TimeUnit.SECONDS);
            }
            assertThat(read(List.of(pool))).as(foldFirst ? "fold first" : "change first").isEqualTo(summed(List.of(pool)));
            fold();
            assertThat(read(List.of(pool))).as(foldFirst ? "fold first, folded again" : "change first, folded again")
                    .isEqualTo(summed(List.of(pool)));
        }
    }

    private static void changeAndCommit(Connection changing, UUID pool) {
        try {
            update(changing, pool);
            changing.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(Connection connection, UUID pool) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE capacity_trend SET taken = taken + 100 WHERE pool_id = ? AND day = ?")) {
            statement.setObject(1, pool);
            statement.setDate(2, daysAgo(3));
            statement.executeUpdate();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fold() {
        transaction.executeWithoutResult(status -> new CapacityTrend(jdbc).fold());
    }

    private static Map<UUID, CapacityTrend.Net> read(List<UUID> pools) {
        return new CapacityTrend(jdbc).net(pools);
    }

    /** The read before V17: the sum of the days and the deltas in each window. */
    private static Map<UUID, CapacityTrend.Net> summed(List<UUID> pools) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<UUID, CapacityTrend.Net> net = new HashMap<>();
        jdbc.query("""
                SELECT pool_id, length,
                       coalesce(sum(taken - returned) FILTER (WHERE day >= ?), 0) AS net_short,
                       sum(taken - returned) AS net_long
                FROM (SELECT pool_id, length, day, taken, returned FROM capacity_trend
                      UNION ALL
                      SELECT pool_id, length, day, taken, returned FROM capacity_trend_delta) AS days
                WHERE pool_id = ANY (?::uuid[]) AND day >= ? AND day < ?
                GROUP BY pool_id, length""", row -> {
            CapacityTrend.add(net, row.getObject("pool_id", UUID.class), row.getInt("length"), row.getLong("net_short"),
                    row.getLong("net_long"));
        }, Date.valueOf(today.minusDays(7)), "{" + String.join(",", pools.stream().map(UUID::toString).toList()) + "}",
                Date.valueOf(today.minusDays(30)), Date.valueOf(today));
        return net;
    }

    private static Date daysAgo(int days) {
        return Date.valueOf(LocalDate.now(ZoneOffset.UTC).minusDays(days));
    }
}

package dev.ipv6lifecycle.query.pool;

import dev.ipv6lifecycle.api.pool.LengthForecast;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The capacity trend that delegation_view's triggers keep (migration V15): prefixes taken and returned per
 * pool, length and UTC day. A read covers the last 30 complete days: one row per pool and length from the
 * windows the fold wrote for the current day (V17), or else about 30 rows per pool and length after a fold,
 * plus the deltas appended since, however many delegations the pool holds.
 * Folded with every refresh of the gauges ({@code ReadSideMetricsQueries}); the reads are exact whether the
 * fold ran or not.
 */
public class CapacityTrend {

    /** As V14's fold: a delta row is moved by one fold only, and the days are upserted in key order. */
    private static final String FOLD = """
            WITH moved AS (DELETE FROM capacity_trend_delta RETURNING pool_id, length, day, taken, returned)
            INSERT INTO capacity_trend AS total (pool_id, length, day, taken, returned)
            SELECT pool_id, length, day, sum(taken), sum(returned) FROM moved
            GROUP BY pool_id, length, day
            ORDER BY pool_id, length, day
            ON CONFLICT (pool_id, length, day)
                DO UPDATE SET taken = total.taken + excluded.taken, returned = total.returned + excluded.returned""";

    /** Days older than the long window are never read again. */
    private static final String PRUNE = "DELETE FROM capacity_trend WHERE day < ?";

    /**
     * The advisory lock ("ipv6trnd" as 8 bytes) on which the fold's new windows and V17's triggers, which delete
     * the windows a change to capacity_trend makes stale, take turns.
     */
    private static final long WINDOW_LOCK = 0x6970763674726e64L;

    /** Windows of an earlier day are never read again. */
    private static final String DROP_OLD_WINDOWS = "DELETE FROM capacity_trend_window WHERE as_of <> ?";

    /** The windows of every pool that has none for the current day (arguments: today, short start, long start). */
    private static final String WRITE_WINDOWS = """
            WITH dates AS (SELECT ?::date AS today, ?::date AS short_start, ?::date AS long_start)
            INSERT INTO capacity_trend_window (pool_id, length, as_of, net_short, net_long)
            SELECT t.pool_id, t.length, dates.today,
                   sum(CASE WHEN t.day >= dates.short_start THEN t.taken - t.returned ELSE 0 END),
                   sum(t.taken - t.returned)
            FROM capacity_trend t, dates
            WHERE t.day >= dates.long_start AND t.day < dates.today
              AND NOT EXISTS (SELECT 1 FROM capacity_trend_window w WHERE w.pool_id = t.pool_id)
            GROUP BY t.pool_id, t.length, dates.today""";

    /**
     * The net change per pool and length over the two windows, for the pools of a CTE {@code ids}
     * ({@code pool_id}), joined as a set: the pool queries put it into their one statement per page.
     * A pool's windows (V17) when the fold has written them for the current day, otherwise the sum of its days;
     * plus the deltas not folded yet. Arguments: {@link #windowArguments()}.
     */
    static final String NET_OF_IDS = """
            WITH dates AS (SELECT ?::date AS today, ?::date AS short_start, ?::date AS long_start)
            SELECT pool_id, length::int AS length, sum(net_short) AS net_short, sum(net_long) AS net_long
            FROM (SELECT w.pool_id, w.length, w.net_short, w.net_long
                  FROM capacity_trend_window w, dates
                  WHERE w.pool_id IN (SELECT pool_id FROM ids) AND w.as_of = dates.today
                  UNION ALL
                  SELECT t.pool_id, t.length,
                         CASE WHEN t.day >= dates.short_start THEN t.taken - t.returned ELSE 0 END, t.taken - t.returned
                  FROM capacity_trend t, dates
                  WHERE t.pool_id IN (SELECT i.pool_id FROM ids i, dates k
                                      WHERE NOT EXISTS (SELECT 1 FROM capacity_trend_window w
                                                        WHERE w.pool_id = i.pool_id AND w.as_of = k.today))
                    AND t.day >= dates.long_start AND t.day < dates.today
                  UNION ALL
                  SELECT d.pool_id, d.length,
                         CASE WHEN d.day >= dates.short_start THEN d.taken - d.returned ELSE 0 END, d.taken - d.returned
                  FROM capacity_trend_delta d, dates
                  WHERE d.pool_id IN (SELECT pool_id FROM ids) AND d.day >= dates.long_start AND d.day < dates.today) AS days
            GROUP BY pool_id, length""";

    private static final String NET = "WITH ids AS (SELECT DISTINCT unnest(?::uuid[]) AS pool_id) SELECT * FROM ("
            + NET_OF_IDS + ") AS net";

    private final JdbcTemplate jdbc;

    public CapacityTrend(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The net change per length over the last 7 and the last 30 complete UTC days. */
    public record Net(Map<Integer, Long> lastShortWindow, Map<Integer, Long> lastLongWindow) {

        public static final Net NONE = new Net(Map.of(), Map.of());
    }

    /**
     * Folds the deltas into the days, drops the days no window reads any more, and writes the windows of the
     * pools that have none for the current day (V17). In the caller's transaction (the gauges' snapshot), which
     * holds the windows' lock until it commits: a transaction-scoped lock outside one would end with its statement.
     */
    public void fold() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("the capacity trend is folded in a transaction");
        }
        LocalDate today = today();
        jdbc.queryForObject("SELECT 1 FROM pg_advisory_xact_lock(?)", Integer.class, WINDOW_LOCK);
        jdbc.update(FOLD);
        jdbc.update(PRUNE, Date.valueOf(today.minusDays(LengthForecast.LONG_WINDOW_DAYS)));
        jdbc.update(DROP_OLD_WINDOWS, Date.valueOf(today));
        jdbc.update(WRITE_WINDOWS, windowArguments(today));
    }

    /** Per pool of {@code poolIds}: its net change per length; pools without a history are left out. */
    public Map<UUID, Net> net(Collection<UUID> poolIds) {
        if (poolIds.isEmpty()) {
            return Map.of();
        }
        String ids = poolIds.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
        Object[] window = windowArguments();
        Object[] arguments = new Object[window.length + 1];
        arguments[0] = ids;
        System.arraycopy(window, 0, arguments, 1, window.length);
        Map<UUID, Net> net = new HashMap<>();
        jdbc.query(NET, row -> {
            add(net, row.getObject("pool_id", UUID.class), row.getInt("length"), row.getLong("net_short"),
                    row.getLong("net_long"));
        }, arguments);
        return net;
    }

    /**
     * The arguments of {@link #NET_OF_IDS}, in order: the current UTC day, the first of the last 7 complete days
     * and the first of the last 30.
     */
    Object[] windowArguments() {
        return windowArguments(today());
    }

    private static Object[] windowArguments(LocalDate today) {
        return new Object[] {Date.valueOf(today), Date.valueOf(today.minusDays(LengthForecast.SHORT_WINDOW_DAYS)),
                Date.valueOf(today.minusDays(LengthForecast.LONG_WINDOW_DAYS))};
    }

    /** Records one row of {@link #NET_OF_IDS} in {@code net}. */
    static void add(Map<UUID, Net> net, UUID poolId, int length, long netShort, long netLong) {
        Net ofPool = net.computeIfAbsent(poolId, id -> new Net(new HashMap<>(), new HashMap<>()));
        ofPool.lastShortWindow().put(length, netShort);
        ofPool.lastLongWindow().put(length, netLong);
    }

    private LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}

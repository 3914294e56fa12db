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

/**
 * The capacity trend that delegation_view's triggers keep (migration V15): prefixes taken and returned per
 * pool, length and UTC day. A read covers the last 30 complete days: about 30 rows per pool and length
 * after a fold, plus the deltas appended since, however many delegations the pool holds.
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
     * The net change per pool and length over the two windows, for the pools of a CTE {@code ids}
     * ({@code pool_id}), joined as a set: the pool queries put it into their one statement per page.
     * Arguments: {@link #windowArguments()}.
     */
    static final String NET_OF_IDS = """
            SELECT pool_id, length::int AS length,
                   coalesce(sum(taken - returned) FILTER (WHERE day >= ?), 0) AS net_short,
                   sum(taken - returned) AS net_long
            FROM (SELECT pool_id, length, day, taken, returned FROM capacity_trend
                  WHERE pool_id IN (SELECT pool_id FROM ids) AND day >= ? AND day < ?
                  UNION ALL
                  SELECT pool_id, length, day, taken, returned FROM capacity_trend_delta
                  WHERE pool_id IN (SELECT pool_id FROM ids) AND day >= ? AND day < ?) AS days
            GROUP BY pool_id, length""";

    private static final String NET = "WITH ids AS (SELECT DISTINCT unnest(?::uuid[]) AS pool_id) " + NET_OF_IDS;

    private final JdbcTemplate jdbc;

    public CapacityTrend(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The net change per length over the last 7 and the last 30 complete UTC days. */
    public record Net(Map<Integer, Long> lastShortWindow, Map<Integer, Long> lastLongWindow) {

        public static final Net NONE = new Net(Map.of(), Map.of());
    }

    public void fold() {
        jdbc.update(FOLD);
        jdbc.update(PRUNE, Date.valueOf(today().minusDays(LengthForecast.LONG_WINDOW_DAYS)));
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

    /** The arguments of {@link #NET_OF_IDS}, in order: the last 7 and the last 30 complete UTC days. */
    Object[] windowArguments() {
        LocalDate today = today();
        Date shortStart = Date.valueOf(today.minusDays(LengthForecast.SHORT_WINDOW_DAYS));
        Date longStart = Date.valueOf(today.minusDays(LengthForecast.LONG_WINDOW_DAYS));
        Date end = Date.valueOf(today);
        return new Object[] {shortStart, longStart, end, longStart, end};
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

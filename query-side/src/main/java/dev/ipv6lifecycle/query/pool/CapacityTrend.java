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

    private static final String NET = """
            SELECT pool_id, length,
                   coalesce(sum(taken - returned) FILTER (WHERE day >= ?), 0) AS net_short,
                   sum(taken - returned) AS net_long
            FROM (SELECT pool_id, length, day, taken, returned FROM capacity_trend
                  WHERE pool_id = ANY (?::uuid[]) AND day >= ? AND day < ?
                  UNION ALL
                  SELECT pool_id, length, day, taken, returned FROM capacity_trend_delta
                  WHERE pool_id = ANY (?::uuid[]) AND day >= ? AND day < ?) AS days
            GROUP BY pool_id, length""";

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
        LocalDate today = today();
        Date shortStart = Date.valueOf(today.minusDays(LengthForecast.SHORT_WINDOW_DAYS));
        Date longStart = Date.valueOf(today.minusDays(LengthForecast.LONG_WINDOW_DAYS));
        Date end = Date.valueOf(today);
        Map<UUID, Net> net = new HashMap<>();
        jdbc.query(NET, row -> {
            Net ofPool = net.computeIfAbsent(row.getObject("pool_id", UUID.class), id -> new Net(new HashMap<>(), new HashMap<>()));
            ofPool.lastShortWindow().put(row.getInt("length"), row.getLong("net_short"));
            ofPool.lastLongWindow().put(row.getInt("length"), row.getLong("net_long"));
        }, shortStart, ids, longStart, end, ids, longStart, end);
        return net;
    }

    private LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}

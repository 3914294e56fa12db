package dev.ipv6lifecycle.query.pool;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.api.pool.FindPoolQuery;
import dev.ipv6lifecycle.api.pool.LengthCapacity;
import dev.ipv6lifecycle.api.pool.LengthForecast;
import dev.ipv6lifecycle.api.pool.ListPoolsQuery;
import dev.ipv6lifecycle.api.pool.PoolState;
import dev.ipv6lifecycle.api.pool.PoolView;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers the pool queries from {@code pool_view}, with capacity and utilisation in a few queries per page
 * whose cost grows with the pools and their lengths, never with the delegations (migration V14):
 * <ul>
 * <li>free prefixes per length and utilisation from the command side's {@code free_block}, the buddy
 * system's maximal free blocks: current, and exact because free blocks and held prefixes tile the pool;</li>
 * <li>live and quarantined prefixes per length from the counts that delegation_view's triggers keep
 * (V14) of what the {@code held_prefix} view would count: these follow the read side, milliseconds
 * behind the events.</li>
 * <li>the exhaustion forecast per length from the capacity trend (V15), a few rows per pool and length.</li>
 * </ul>
 */
@Component
class PoolQueryHandler {

    private static final String POOL_COLUMNS = """
            SELECT p.pool_id, p.name, p.prefix::text AS prefix, p.delegated_lengths, p.default_length,
            (extract(epoch FROM p.quarantine) * 1000000)::bigint AS quarantine_micros,
            (extract(epoch FROM p.stale_after) * 1000000)::bigint AS stale_after_micros,
            p.state""";

    private static final String SELECT_POOLS = POOL_COLUMNS + " FROM pool_view p";

    private static final String SELECT_PAGE = POOL_COLUMNS + """
            , count(*) OVER () AS total
            FROM pool_view p
            WHERE p.tenant_id = ? ORDER BY p.created_at, p.pool_id LIMIT ? OFFSET ?""";

    /**
     * Everything a page of pools needs beyond their rows, in one statement, as rows of four kinds:
     * <ul>
     * <li>0: the free blocks per pool and length ({@code a}: how many);</li>
     * <li>1: the utilisation computed from them in {@code numeric} as
     * {@code PoolSpaceQueries} does for the gauge (the pool's size less its free blocks, times 100, over its
     * size), so that the API and the gauge show the same double; a pool without free blocks is full. One
     * division per pool, not one per block row;</li>
     * <li>2: what held_prefix counts ({@code a}: 1 when quarantined, {@code b}: how many): the
     * folded totals of the rows whose quarantine has not ended, plus the deltas appended since the last fold,
     * less the reclaimed rows among them (one primary-key lookup each, about the reclaims of one quarantine
     * period);</li>
     * <li>3: the net change per length over the forecast's two windows ({@code a}: the short
     * one, {@code b}: the long one), see {@link CapacityTrend}.</li>
     * </ul>
     * The page's pools are joined as a set ({@code ids}), never matched against an array row by row: with
     * {@code pool_id = ANY (array)} a page of 50 pools compared every trend, block and count row with each of
     * the 50 ids, which took most of the list's time.
     */
    private static final String CAPACITY = """
            WITH ids AS (SELECT DISTINCT unnest(?::uuid[]) AS pool_id),
            free AS (SELECT f.pool_id, f.length, count(*) AS blocks FROM free_block f
                     WHERE f.pool_id IN (SELECT pool_id FROM ids) GROUP BY f.pool_id, f.length)
            SELECT 0 AS kind, pool_id, length::int AS length, blocks AS a, NULL::bigint AS b,
                   NULL::float8 AS utilization_percent
            FROM free
            UNION ALL
            SELECT 1, p.pool_id, NULL, NULL, NULL,
                   (100 * (power(2::numeric, 128 - masklen(p.prefix))
                           - coalesce(sum(b.blocks * power(2::numeric, 128 - b.length)), 0))
                        / power(2::numeric, 128 - masklen(p.prefix)))::float8
            FROM pool_view p LEFT JOIN free b ON b.pool_id = p.pool_id
            WHERE p.pool_id IN (SELECT pool_id FROM ids)
            GROUP BY p.pool_id, p.prefix
            UNION ALL
            SELECT 2, pool_id, length, quarantined::int, sum(n), NULL
            FROM (SELECT pool_id, length, quarantined, n FROM held_count WHERE pool_id IN (SELECT pool_id FROM ids)
                  UNION ALL
                  SELECT pool_id, length, quarantined, delta FROM held_count_delta WHERE pool_id IN (SELECT pool_id FROM ids)
                  UNION ALL
                  SELECT d.pool_id, masklen(d.prefix), d.state IN ('REVOKED', 'FAILED'), -1
                  FROM delegation_view d
                  WHERE d.delegation_id IN (SELECT reclaimed_id FROM held_count_reclaim
                                            WHERE pool_id IN (SELECT pool_id FROM ids))
                    AND d.quarantine_ended_at IS NULL) AS c
            GROUP BY pool_id, length, quarantined
            UNION ALL
            SELECT 3, pool_id, length, net_short, net_long, NULL
            FROM (""" + CapacityTrend.NET_OF_IDS + ") AS trend";

    private final JdbcTemplate jdbc;
    private final CapacityTrend trend;

    PoolQueryHandler(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.trend = new CapacityTrend(jdbc);
    }

    @QueryHandler
    Optional<PoolView> handle(FindPoolQuery query) {
        return jdbc.query(SELECT_POOLS + " WHERE p.tenant_id = ? AND p.pool_id = ?",
                (row, i) -> pool(row), query.tenantId(), query.poolId()).stream().findFirst()
                .map(pool -> withCapacity(List.of(pool)).get(0));
    }

    /**
     * Declared with the raw {@code Page}: Axon matches a caller's response type against the declared
     * return type, and no {@code ResponseTypes.instanceOf(Page.class)} matches a parameterized one.
     */
    @QueryHandler
    @SuppressWarnings("rawtypes")
    Page handle(ListPoolsQuery query) {
        if (query.page() < 0 || query.size() < 1) {
            throw new IllegalArgumentException("page must be 0 or more and size 1 or more, not page " + query.page()
                    + " and size " + query.size());
        }
        // The total comes with the page's rows (a window is computed before LIMIT); only a page past the end,
        // which has no row to carry it, counts on its own.
        long[] total = {-1};
        List<PoolView> rows = jdbc.query(SELECT_PAGE, (row, i) -> {
            total[0] = row.getLong("total");
            return pool(row);
        }, query.tenantId(), query.size(), (long) query.page() * query.size());
        if (total[0] < 0) {
            total[0] = jdbc.queryForObject("SELECT count(*) FROM pool_view WHERE tenant_id = ?", Long.class,
                    query.tenantId());
        }
        return new Page<>(withCapacity(rows), query.page(), query.size(), total[0]);
    }

    /** The pool without its capacity and utilisation, which the page reads together once its rows are read. */
    private static PoolView pool(ResultSet row) throws SQLException {
        List<Integer> lengths = Arrays.stream((Object[]) row.getArray("delegated_lengths").getArray())
                .map(length -> ((Number) length).intValue()).toList();
        return new PoolView(row.getObject("pool_id", UUID.class), row.getString("name"),
                Ipv6Prefix.parse(row.getString("prefix")), lengths, row.getInt("default_length"),
                Duration.of(row.getLong("quarantine_micros"), ChronoUnit.MICROS),
                Duration.of(row.getLong("stale_after_micros"), ChronoUnit.MICROS),
                PoolState.valueOf(row.getString("state")), Map.of(), 0.0, null);
    }

    /** The pools with their capacity, utilisation and forecasts: one statement for the whole page. */
    private List<PoolView> withCapacity(List<PoolView> pools) {
        if (pools.isEmpty()) {
            return pools;
        }
        String ids = pools.stream().map(pool -> pool.id().toString()).collect(Collectors.joining(",", "{", "}"));
        Object[] window = trend.windowArguments();
        Object[] arguments = new Object[window.length + 1];
        arguments[0] = ids;
        System.arraycopy(window, 0, arguments, 1, window.length);
        Map<UUID, Map<Integer, Long>> freeBlocks = new HashMap<>();
        Map<UUID, Double> utilization = new HashMap<>();
        Map<UUID, Map<Integer, Held>> held = new HashMap<>();
        Map<UUID, CapacityTrend.Net> trends = new HashMap<>();
        jdbc.query(CAPACITY, row -> {
            UUID poolId = row.getObject("pool_id", UUID.class);
            switch (row.getInt("kind")) {
                case 0 -> freeBlocks.computeIfAbsent(poolId, key -> new HashMap<>())
                        .put(row.getInt("length"), row.getLong("a"));
                case 1 -> utilization.put(poolId, row.getDouble("utilization_percent"));
                case 2 -> {
                    long n = row.getLong("b");
                    Held count = row.getInt("a") == 1 ? new Held(0, n) : new Held(n, 0);
                    held.computeIfAbsent(poolId, key -> new HashMap<>()).merge(row.getInt("length"), count, Held::plus);
                }
                case 3 -> CapacityTrend.add(trends, poolId, row.getInt("length"), row.getLong("a"), row.getLong("b"));
                default -> throw new IllegalStateException("unknown row kind " + row.getInt("kind"));
            }
        }, arguments);
        return pools.stream().map(pool -> {
            Map<Integer, Long> blocks = freeBlocks.getOrDefault(pool.id(), Map.of());
            return new PoolView(pool.id(), pool.name(), pool.prefix(), pool.delegatedLengths(),
                    pool.defaultLength(), pool.quarantine(), pool.staleAfter(), pool.state(),
                    capacity(pool, blocks, held.getOrDefault(pool.id(), Map.of()),
                            trends.getOrDefault(pool.id(), CapacityTrend.Net.NONE)),
                    utilization.getOrDefault(pool.id(), 0.0),
                    blocks.keySet().stream().min(Integer::compare).orElse(null));
        }).toList();
    }

    /**
     * Capacity per delegated length L: {@code free(L) = sum over free blocks of length b <= L of 2^(L-b)}.
     * Exact because the blocks are maximal (two free buddies are always merged): a /L with nothing held in
     * it lies inside one free block of length L or less, and a free block longer than L leaves its /L
     * partly held.
     */
    private static Map<Integer, LengthCapacity> capacity(PoolView pool, Map<Integer, Long> freeBlocks,
                                                         Map<Integer, Held> held, CapacityTrend.Net trend) {
        Map<Integer, LengthCapacity> capacity = new TreeMap<>();
        for (int length : pool.delegatedLengths()) {
            BigInteger free = BigInteger.ZERO;
            for (Map.Entry<Integer, Long> blocks : freeBlocks.entrySet()) {
                if (blocks.getKey() <= length) {
                    free = free.add(BigInteger.valueOf(blocks.getValue()).shiftLeft(length - blocks.getKey()));
                }
            }
            Held same = held.getOrDefault(length, new Held(0, 0));
            capacity.put(length, new LengthCapacity(pool.prefix().count(length), same.live(), same.quarantined(), free,
                    LengthForecast.of(length, free, trend.lastShortWindow(), trend.lastLongWindow())));
        }
        return capacity;
    }

    /** How many held prefixes of one length are live and how many in quarantine. */
    private record Held(long live, long quarantined) {

        Held plus(Held other) {
            return new Held(live + other.live, quarantined + other.quarantined);
        }
    }
}

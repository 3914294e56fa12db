package dev.ipv6lifecycle.query.pool;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.api.pool.FindPoolQuery;
import dev.ipv6lifecycle.api.pool.LengthCapacity;
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
 * Answers the pool queries from {@code pool_view}, with capacity computed at query time from the
 * {@code held_prefix} view (live delegations and unreclaimed quarantines) and utilisation from the
 * {@code pool_utilization} view.
 */
@Component
class PoolQueryHandler {

    private static final String SELECT_POOLS = """
            SELECT p.pool_id, p.name, p.prefix::text AS prefix, p.delegated_lengths, p.default_length,
            (extract(epoch FROM p.quarantine) * 1000000)::bigint AS quarantine_micros,
            (extract(epoch FROM p.stale_after) * 1000000)::bigint AS stale_after_micros,
            p.state, u.utilization_percent
            FROM pool_view p JOIN pool_utilization u ON u.tenant_id = p.tenant_id AND u.pool_id = p.pool_id""";

    private final JdbcTemplate jdbc;

    PoolQueryHandler(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    Optional<PoolView> handle(FindPoolQuery query) {
        return jdbc.query(SELECT_POOLS + " WHERE p.tenant_id = ? AND p.pool_id = ?",
                (row, i) -> pool(row), query.tenantId(), query.poolId()).stream().findFirst().map(this::withCapacity);
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
        long total = jdbc.queryForObject("SELECT count(*) FROM pool_view WHERE tenant_id = ?", Long.class,
                query.tenantId());
        List<PoolView> content = jdbc.query(SELECT_POOLS
                                + " WHERE p.tenant_id = ? ORDER BY p.created_at, p.pool_id LIMIT ? OFFSET ?",
                        (row, i) -> pool(row), query.tenantId(), query.size(), (long) query.page() * query.size())
                .stream().map(this::withCapacity).toList();
        return new Page<>(content, query.page(), query.size(), total);
    }

    /** The pool without its capacity, which takes queries of its own once the row is read. */
    private static PoolView pool(ResultSet row) throws SQLException {
        List<Integer> lengths = Arrays.stream((Object[]) row.getArray("delegated_lengths").getArray())
                .map(length -> ((Number) length).intValue()).toList();
        return new PoolView(row.getObject("pool_id", UUID.class), row.getString("name"),
                Ipv6Prefix.parse(row.getString("prefix")), lengths, row.getInt("default_length"),
                Duration.of(row.getLong("quarantine_micros"), ChronoUnit.MICROS),
                Duration.of(row.getLong("stale_after_micros"), ChronoUnit.MICROS),
                PoolState.valueOf(row.getString("state")), Map.of(), row.getDouble("utilization_percent"));
    }

    private PoolView withCapacity(PoolView pool) {
        return new PoolView(pool.id(), pool.name(), pool.prefix(), pool.delegatedLengths(), pool.defaultLength(),
                pool.quarantine(), pool.staleAfter(), pool.state(),
                capacity(pool.id(), pool.prefix(), pool.delegatedLengths()), pool.utilizationPercent());
    }

    /**
     * Capacity per delegated length L of a pool of length P, exact because held prefixes never overlap:
     * {@code free(L) = 2^(L-P) - sum over held r with len(r) <= L of 2^(L-len(r)) - the number of distinct
     * /L blocks that contain a held r with len(r) > L} (a /64 cuts its whole /56 out of the /56 capacity).
     */
    private Map<Integer, LengthCapacity> capacity(UUID poolId, Ipv6Prefix pool, List<Integer> lengths) {
        Map<Integer, Held> heldByLength = new HashMap<>();
        jdbc.query("""
                SELECT length, count(*) FILTER (WHERE NOT quarantined) AS live,
                       count(*) FILTER (WHERE quarantined) AS quarantined
                FROM held_prefix WHERE pool_id = ? GROUP BY length""",
                row -> {
                    heldByLength.put(row.getInt("length"), new Held(row.getLong("live"), row.getLong("quarantined")));
                }, poolId);
        Map<Integer, Long> blocksCut = new HashMap<>();
        jdbc.query("""
                SELECT l.length, count(DISTINCT set_masklen(h.prefix, l.length)) AS blocks
                FROM unnest(?::int[]) AS l(length)
                JOIN held_prefix h ON h.pool_id = ? AND h.length > l.length
                GROUP BY l.length""",
                row -> {
                    blocksCut.put(row.getInt("length"), row.getLong("blocks"));
                }, lengths.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}")), poolId);

        Map<Integer, LengthCapacity> capacity = new TreeMap<>();
        for (int length : lengths) {
            BigInteger covered = BigInteger.ZERO;
            for (Map.Entry<Integer, Held> held : heldByLength.entrySet()) {
                int heldLength = held.getKey();
                if (heldLength <= length) {
                    covered = covered.add(BigInteger.valueOf(held.getValue().total()).shiftLeft(length - heldLength));
                }
            }
            BigInteger total = pool.count(length);
            BigInteger free = total.subtract(covered).subtract(BigInteger.valueOf(blocksCut.getOrDefault(length, 0L)));
            Held same = heldByLength.getOrDefault(length, new Held(0, 0));
            capacity.put(length, new LengthCapacity(total, same.live(), same.quarantined(), free));
        }
        return capacity;
    }

    /** How many held prefixes of one length are live and how many in quarantine. */
    private record Held(long live, long quarantined) {

        long total() {
            return live + quarantined;
        }
    }
}

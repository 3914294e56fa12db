package dev.ipv6lifecycle.query.metrics;

import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.FreePrefixes;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.PoolUtilization;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.PrefixCount;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the gauges' numbers from the read side's own tables, with a handful of aggregate queries over all
 * pools at once (not one per pool). The projections keep these tables current and every node shares them,
 * so every node computes the same numbers, and a restarted node has them again with its first snapshot.
 *
 * <p>Free prefixes per length follow the same rule as the pool capacity of {@code GET /api/v1/pools/{id}}:
 * {@code free(L) = 2^(L-P) - sum over held r with len(r) <= L of 2^(L-len(r)) - the number of distinct
 * /L blocks containing a held r with len(r) > L}, exact because held prefixes never overlap.
 */
@Component
public class ReadSideMetricsQueries {

    /** The states a delegation can be in: PENDING only describes a subscriber without one. */
    private static final List<String> STATES = List.of(LifecycleState.values()).stream()
            .filter(state -> state != LifecycleState.PENDING).map(Enum::name).toList();

    private final JdbcTemplate jdbc;

    ReadSideMetricsQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One consistent snapshot: the queries run in one read-only transaction (REPEATABLE READ). */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ReadSideSnapshot snapshot() {
        Instant takenAt = Instant.now();
        Map<PoolKey, Integer> poolLengths = new LinkedHashMap<>();
        Map<PoolKey, List<Integer>> delegatedLengths = new HashMap<>();
        jdbc.query("SELECT tenant_id, pool_id, masklen(prefix) AS length, delegated_lengths FROM pool_view", row -> {
            PoolKey pool = new PoolKey(row.getString("tenant_id"), row.getObject("pool_id", UUID.class));
            poolLengths.put(pool, row.getInt("length"));
            List<Integer> lengths = new ArrayList<>();
            for (Object length : (Object[]) row.getArray("delegated_lengths").getArray()) {
                lengths.add(((Number) length).intValue());
            }
            delegatedLengths.put(pool, lengths);
        });
        return new ReadSideSnapshot(prefixCounts(poolLengths.keySet()), utilization(),
                freePrefixes(poolLengths, delegatedLengths), takenAt);
    }

    /** Every state of every known pool, zeros included, so that a series does not vanish when it empties. */
    private List<PrefixCount> prefixCounts(Iterable<PoolKey> pools) {
        Map<PoolKey, Map<String, Long>> counts = new LinkedHashMap<>();
        pools.forEach(pool -> counts.put(pool, new HashMap<>()));
        jdbc.query("SELECT tenant_id, pool_id, state, count(*) AS n FROM delegation_view GROUP BY tenant_id, pool_id, state",
                row -> {
                    PoolKey pool = new PoolKey(row.getString("tenant_id"), row.getObject("pool_id", UUID.class));
                    counts.computeIfAbsent(pool, key -> new HashMap<>()).put(row.getString("state"), row.getLong("n"));
                });
        List<PrefixCount> result = new ArrayList<>();
        counts.forEach((pool, byState) -> STATES.forEach(state ->
                result.add(new PrefixCount(pool.tenantId(), pool.poolId(), state, byState.getOrDefault(state, 0L)))));
        return result;
    }

    private List<PoolUtilization> utilization() {
        return jdbc.query("SELECT tenant_id, pool_id, utilization_percent FROM pool_utilization",
                (row, i) -> new PoolUtilization(row.getString("tenant_id"), row.getObject("pool_id", UUID.class),
                        row.getDouble("utilization_percent")));
    }

    private List<FreePrefixes> freePrefixes(Map<PoolKey, Integer> poolLengths, Map<PoolKey, List<Integer>> delegatedLengths) {
        Map<UUID, Map<Integer, Long>> held = new HashMap<>();
        jdbc.query("SELECT pool_id, length, count(*) AS n FROM held_prefix GROUP BY pool_id, length", row -> {
            held.computeIfAbsent(row.getObject("pool_id", UUID.class), key -> new HashMap<>())
                    .put(row.getInt("length"), row.getLong("n"));
        });
        // Per pool and delegated length L: the distinct /L blocks that longer held prefixes cut into.
        Map<UUID, Map<Integer, Long>> blocksCut = new HashMap<>();
        jdbc.query("""
                SELECT p.pool_id, l.length, count(DISTINCT set_masklen(h.prefix, l.length)) AS blocks
                FROM pool_view p
                CROSS JOIN LATERAL unnest(p.delegated_lengths) AS l(length)
                JOIN held_prefix h ON h.pool_id = p.pool_id AND h.length > l.length
                GROUP BY p.pool_id, l.length""", row -> {
            blocksCut.computeIfAbsent(row.getObject("pool_id", UUID.class), key -> new HashMap<>())
                    .put(row.getInt("length"), row.getLong("blocks"));
        });
        List<FreePrefixes> result = new ArrayList<>();
        poolLengths.forEach((pool, poolLength) -> {
            Map<Integer, Long> heldByLength = held.getOrDefault(pool.poolId(), Map.of());
            Map<Integer, Long> cut = blocksCut.getOrDefault(pool.poolId(), Map.of());
            for (int length : delegatedLengths.get(pool)) {
                BigInteger free = BigInteger.ONE.shiftLeft(length - poolLength);
                for (Map.Entry<Integer, Long> entry : heldByLength.entrySet()) {
                    if (entry.getKey() <= length) {
                        free = free.subtract(BigInteger.valueOf(entry.getValue()).shiftLeft(length - entry.getKey()));
                    }
                }
                free = free.subtract(BigInteger.valueOf(cut.getOrDefault(length, 0L)));
                result.add(new FreePrefixes(pool.tenantId(), pool.poolId(), length, free.doubleValue()));
            }
        });
        return result;
    }

    private record PoolKey(String tenantId, UUID poolId) {
    }
}

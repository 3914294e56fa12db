package dev.ipv6lifecycle.query.metrics;

import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.KnownPool;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.PrefixCount;
import dev.ipv6lifecycle.query.pool.CapacityTrend;
import dev.ipv6lifecycle.query.pool.HeldCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The read side's share of the gauges, in O(pools x states) whatever the number of delegations: the pools
 * of {@code pool_view}, and the delegations per pool and state from {@code delegation_count}, which
 * delegation_view's triggers keep in the projections' own transactions (migration V8) as deltas appended to
 * {@code delegation_count_delta}. Each snapshot first folds the deltas appended since the last one into the
 * totals. Every node shares these tables, so every node shows the same numbers, and a restarted node has
 * them with its first snapshot.
 */
@Component
public class ReadSideMetricsQueries {

    /** The states a delegation can be in: PENDING only describes a subscriber without one. */
    private static final List<String> STATES = List.of(LifecycleState.values()).stream()
            .filter(state -> state != LifecycleState.PENDING).map(Enum::name).toList();

    /**
     * Moves the deltas into the totals. Two nodes folding at once is safe: a delta row is deleted by one
     * of them only (the other waits on its row lock and then skips it), and the totals are upserted in key
     * order, so that two folds cannot deadlock on them.
     */
    private static final String FOLD = """
            WITH moved AS (DELETE FROM delegation_count_delta RETURNING tenant_id, pool_id, state, delta)
            INSERT INTO delegation_count AS total (tenant_id, pool_id, state, n)
            SELECT tenant_id, pool_id, state, sum(delta) FROM moved
            GROUP BY tenant_id, pool_id, state
            ORDER BY tenant_id, pool_id, state
            ON CONFLICT (tenant_id, pool_id, state) DO UPDATE SET n = total.n + excluded.n""";

    private final JdbcTemplate jdbc;
    private final HeldCounts heldCounts;
    private final CapacityTrend capacityTrend;

    ReadSideMetricsQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.heldCounts = new HeldCounts(jdbc);
        this.capacityTrend = new CapacityTrend(jdbc);
    }

    /**
     * Folds the pending deltas, then reads the pools and the totals. One READ COMMITTED transaction: the
     * reads see the fold, and deltas committed meanwhile wait for the next snapshot.
     */
    @Transactional
    public ReadSideSnapshot snapshot() {
        Instant takenAt = Instant.now();
        fold();
        // The pool queries' counts (V14) are kept with the same refresh.
        heldCounts.fold();
        // And the capacity trend (V15), for the exhaustion forecasts.
        capacityTrend.fold();
        List<KnownPool> pools = jdbc.query(
                "SELECT tenant_id, pool_id, masklen(prefix) AS length, delegated_lengths FROM pool_view ORDER BY created_at, pool_id",
                (row, i) -> {
                    List<Integer> lengths = new ArrayList<>();
                    for (Object length : (Object[]) row.getArray("delegated_lengths").getArray()) {
                        lengths.add(((Number) length).intValue());
                    }
                    return new KnownPool(row.getString("tenant_id"), row.getObject("pool_id", UUID.class),
                            row.getInt("length"), lengths);
                });
        return new ReadSideSnapshot(pools, prefixCounts(pools),
                capacityTrend.net(pools.stream().map(KnownPool::poolId).toList()), takenAt);
    }

    /** Folds the deltas into the totals; the number of (tenant, pool, state) totals it changed. */
    public int fold() {
        return jdbc.update(FOLD);
    }

    /** Every state of every known pool, zeros included, so that a series does not vanish when it empties. */
    private List<PrefixCount> prefixCounts(List<KnownPool> pools) {
        Map<PoolKey, Map<String, Long>> counts = new LinkedHashMap<>();
        pools.forEach(pool -> counts.put(new PoolKey(pool.tenantId(), pool.poolId()), new HashMap<>()));
        jdbc.query("SELECT tenant_id, pool_id, state, n FROM delegation_count", row -> {
            PoolKey pool = new PoolKey(row.getString("tenant_id"), row.getObject("pool_id", UUID.class));
            counts.computeIfAbsent(pool, key -> new HashMap<>()).put(row.getString("state"), row.getLong("n"));
        });
        List<PrefixCount> result = new ArrayList<>();
        counts.forEach((pool, byState) -> STATES.forEach(state ->
                result.add(new PrefixCount(pool.tenantId(), pool.poolId(), state, byState.getOrDefault(state, 0L)))));
        return result;
    }

    private record PoolKey(String tenantId, UUID poolId) {
    }
}

package dev.ipv6lifecycle.query.metrics;

import dev.ipv6lifecycle.query.pool.CapacityTrend;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the read side contributes to the gauges (docs/monitoring.md) at one moment: the pools it knows (whose
 * series exist) the delegations per pool and state, and each pool's capacity trend. The server adds each pool's free space, which the
 * command side keeps, and holds the result in memory, so that a scrape never reads the database.
 */
public record ReadSideSnapshot(List<KnownPool> pools, List<PrefixCount> prefixes, Map<UUID, CapacityTrend.Net> trends,
                               Instant takenAt) {

    public ReadSideSnapshot {
        pools = List.copyOf(pools);
        prefixes = List.copyOf(prefixes);
        trends = Map.copyOf(trends);
    }

    public static ReadSideSnapshot empty() {
        return new ReadSideSnapshot(List.of(), List.of(), Map.of(), Instant.EPOCH);
    }

    /** The pool's capacity trend (V15); {@link CapacityTrend.Net#NONE} without one. */
    public CapacityTrend.Net trend(UUID poolId) {
        return trends.getOrDefault(poolId, CapacityTrend.Net.NONE);
    }

    /** A pool of {@code pool_view}: its prefix length and the lengths it delegates. */
    public record KnownPool(String tenantId, UUID poolId, int prefixLength, List<Integer> delegatedLengths) {

        public KnownPool {
            delegatedLengths = List.copyOf(delegatedLengths);
        }
    }

    /** Delegations of one pool in one lifecycle state ({@code ipv6_lifecycle_prefixes}). */
    public record PrefixCount(String tenantId, UUID poolId, String state, long count) {
    }
}

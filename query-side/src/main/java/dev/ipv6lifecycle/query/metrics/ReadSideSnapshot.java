package dev.ipv6lifecycle.query.metrics;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the read side contributes to the gauges (docs/monitoring.md) at one moment: the pools it knows (whose
 * series exist) and the delegations per pool and state. The server adds each pool's free space, which the
 * command side keeps, and holds the result in memory, so that a scrape never reads the database.
 */
public record ReadSideSnapshot(List<KnownPool> pools, List<PrefixCount> prefixes, Instant takenAt) {

    public ReadSideSnapshot {
        pools = List.copyOf(pools);
        prefixes = List.copyOf(prefixes);
    }

    public static ReadSideSnapshot empty() {
        return new ReadSideSnapshot(List.of(), List.of(), Instant.EPOCH);
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

package dev.ipv6lifecycle.query.metrics;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The numbers the gauges of DESIGN.md §7 show, read from the read side at one moment. Kept in memory by
 * the server, so that a scrape reads this record and never the database.
 */
public record ReadSideSnapshot(List<PrefixCount> prefixes, List<PoolUtilization> utilization,
                               List<FreePrefixes> freePrefixes, Instant takenAt) {

    public ReadSideSnapshot {
        prefixes = List.copyOf(prefixes);
        utilization = List.copyOf(utilization);
        freePrefixes = List.copyOf(freePrefixes);
    }

    public static ReadSideSnapshot empty() {
        return new ReadSideSnapshot(List.of(), List.of(), List.of(), Instant.EPOCH);
    }

    /** Delegations of one pool in one lifecycle state ({@code ipv6_lifecycle_prefixes}). */
    public record PrefixCount(String tenantId, UUID poolId, String state, long count) {
    }

    /** The reserved share of one pool, in percent ({@code ipv6_pool_utilization_percent}). */
    public record PoolUtilization(String tenantId, UUID poolId, double percent) {
    }

    /** How many more prefixes of one delegated length fit in one pool ({@code ipv6_pool_free_prefixes}). */
    public record FreePrefixes(String tenantId, UUID poolId, int length, double free) {
    }
}

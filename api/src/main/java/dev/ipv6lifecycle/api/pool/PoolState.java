package dev.ipv6lifecycle.api.pool;

/** The life of a pool. */
public enum PoolState {
    /** Serves new allocations. */
    ACTIVE,
    /** Serves no new allocations; delegations it holds are kept. */
    DRAINING,
    /** Closed for good; only an empty pool (no live or quarantined prefix) can be retired. */
    RETIRED
}

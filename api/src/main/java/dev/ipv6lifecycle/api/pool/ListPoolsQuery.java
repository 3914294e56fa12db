package dev.ipv6lifecycle.api.pool;

/** A page of the tenant's pools, oldest first; answers a {@code Page<PoolView>}. */
public record ListPoolsQuery(String tenantId, int page, int size) {
}

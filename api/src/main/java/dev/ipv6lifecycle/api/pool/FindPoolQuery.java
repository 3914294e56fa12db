package dev.ipv6lifecycle.api.pool;

import java.util.UUID;

/** One pool of the tenant; answers an {@code Optional<PoolView>}, empty for another tenant's. */
public record FindPoolQuery(String tenantId, UUID poolId) {
}

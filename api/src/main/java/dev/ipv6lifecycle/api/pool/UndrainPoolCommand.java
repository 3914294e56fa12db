package dev.ipv6lifecycle.api.pool;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Lets a draining pool serve allocations again. Idempotent.
 *
 * @param poolId   the pool
 * @param tenantId the caller's tenant; another tenant's pool is answered as unknown
 * @param reason   why, for the audit trail; may be {@code null}
 */
public record UndrainPoolCommand(@TargetAggregateIdentifier UUID poolId, String tenantId, String reason) {
}

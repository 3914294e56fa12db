package dev.ipv6lifecycle.api.pool;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The pool is now {@link PoolState#DRAINING}: it serves no new allocations.
 *
 * @param reason why, as given by the caller; may be {@code null}
 */
@Revision("1")
public record PoolDrainedEvent(UUID poolId, String tenantId, String reason, Instant occurredAt) {
}

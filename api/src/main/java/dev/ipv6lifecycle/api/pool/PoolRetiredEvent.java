package dev.ipv6lifecycle.api.pool;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The pool is now {@link PoolState#RETIRED}: it was empty and is closed for good.
 *
 * @param reason why, as given by the caller; may be {@code null}
 */
@Revision("1")
public record PoolRetiredEvent(UUID poolId, String tenantId, String reason, Instant occurredAt) {
}

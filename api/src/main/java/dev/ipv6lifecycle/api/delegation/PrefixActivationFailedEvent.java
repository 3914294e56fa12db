package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The delegation is {@link LifecycleState#FAILED}: activation gave up. Its prefix is quarantined as after a revocation.
 *
 * @param reason     why, as given by the caller; may be {@code null}
 * @param quarantineUntil when the prefix returns to free space
 */
@Revision("1")
public record PrefixActivationFailedEvent(UUID delegationId, String tenantId, Ipv6Prefix prefix, Instant quarantineUntil, String reason, Instant occurredAt)
        implements DelegationEvent {
}

package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The quarantine of an ended delegation's prefix is over. Unless the previous subscriber took the prefix
 * back meanwhile, it returns to the pool's free space. The delegation stays in its terminal state.
 */
@Revision("1")
public record PrefixQuarantineEndedEvent(UUID delegationId, String tenantId, Ipv6Prefix prefix, Instant occurredAt)
        implements DelegationEvent {
}

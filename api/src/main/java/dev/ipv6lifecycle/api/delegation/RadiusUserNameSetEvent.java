package dev.ipv6lifecycle.api.delegation;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The delegation is found by Access-Requests with this User-Name from now on. Not a transition: the state
 * stays as it is.
 */
@Revision("1")
public record RadiusUserNameSetEvent(UUID delegationId, String tenantId, String radiusUserName, Instant occurredAt)
        implements DelegationEvent {
}

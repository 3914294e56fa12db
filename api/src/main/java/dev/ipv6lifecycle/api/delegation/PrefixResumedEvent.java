package dev.ipv6lifecycle.api.delegation;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The delegation is {@link LifecycleState#ACTIVE} again after a suspension.
 *
 * @param reason     why, as given by the caller; may be {@code null}
 * @param nas        the NAS session on record after this event; may be {@code null}
 */
@Revision("1")
public record PrefixResumedEvent(UUID delegationId, String tenantId, NasSession nas, String reason, Instant occurredAt)
        implements DelegationEvent {
}

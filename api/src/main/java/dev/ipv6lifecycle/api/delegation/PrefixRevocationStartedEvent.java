package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The delegation is {@link LifecycleState#REVOKING}: the prefix is being withdrawn from the network and the
 * IPAM. It stays reserved until the revocation completes.
 *
 * <p>Revision 2 added {@code previousState}: a revocation starts from ALLOCATED, ACTIVE or SUSPENDED, and
 * readers that count transitions should not have to read the stream back to learn which. Events stored
 * at revision 1 have no such field and read with {@code previousState = null} (no upcaster is needed, and
 * none could know the state without the earlier events).
 *
 * @param reason        why, as given by the caller; may be {@code null}
 * @param nas           the NAS session to disconnect; may be {@code null}
 * @param previousState the state the revocation started from; {@code null} for events of revision 1
 */
@Revision("2")
public record PrefixRevocationStartedEvent(UUID delegationId, String tenantId, String subscriberId, Ipv6Prefix prefix,
                                           NasSession nas, String reason, Instant occurredAt,
                                           LifecycleState previousState) implements DelegationEvent {
}

package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The delegation is {@link LifecycleState#REVOKING}: the prefix is being withdrawn from the network and the IPAM. It stays reserved until the revocation completes.
 *
 * @param reason     why, as given by the caller; may be {@code null}
 * @param nas        the NAS session to disconnect; may be {@code null}
 */
@Revision("1")
public record PrefixRevocationStartedEvent(UUID delegationId, String tenantId, String subscriberId, Ipv6Prefix prefix, NasSession nas, String reason, Instant occurredAt) {
}

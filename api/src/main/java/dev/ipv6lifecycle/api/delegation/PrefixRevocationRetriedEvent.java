package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A REVOKING delegation's revocation is to be driven again at once. It carries what a revocation saga needs,
 * so it can start one when none is running (a saga lost with a node, or one from before sagas existed).
 *
 * @param nas    the NAS session to disconnect; may be {@code null}
 * @param reason why, as given; may be {@code null}
 */
@Revision("1")
public record PrefixRevocationRetriedEvent(UUID delegationId, String tenantId, String subscriberId, Ipv6Prefix prefix,
                                           NasSession nas, String reason, Instant occurredAt) implements DelegationEvent {
}

package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.NasSession;
import java.util.UUID;

/**
 * What a network call needs to know about the delegation it is made for.
 *
 * @param nas the subscriber's NAS session; {@code null} when unknown, and then RADIUS calls are skipped
 */
public record DelegationTarget(UUID delegationId, String tenantId, String subscriberId, Ipv6Prefix prefix,
                               NasSession nas) {
}

package dev.ipv6lifecycle.api.audit;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;
import java.util.UUID;

/**
 * One holding of a prefix: from its allocation until its revocation completed (or activation failed).
 *
 * @param to when the holding ended; null while it lasts
 */
public record Attribution(Ipv6Prefix prefix, String subscriberId, UUID delegationId, Instant from, Instant to) {
}

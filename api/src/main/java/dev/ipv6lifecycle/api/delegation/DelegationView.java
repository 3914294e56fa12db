package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;
import java.util.UUID;

/**
 * A delegation as the read side shows it. Times are null until the event that sets them happened.
 *
 * @param reason          the reason given with the latest transition, if any
 * @param quarantineUntil when an ended delegation's prefix returns to free space; null while live
 */
public record DelegationView(UUID id, String subscriberId, UUID poolId, Ipv6Prefix prefix, int prefixLength,
                             LifecycleState state, Instant allocatedAt, Instant activatedAt, Instant suspendedAt,
                             Instant revokedAt, Instant failedAt, String reason, Instant quarantineUntil) {
}

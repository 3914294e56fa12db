package dev.ipv6lifecycle.query;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixQuarantineEndedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixResumedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent;
import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Events as the aggregates publish them, for one delegation or pool at a time. A delegation's events
 * repeat what the aggregate would carry (tenant, prefix), so a test names them once.
 */
public final class TestEvents {

    public static final Duration QUARANTINE = Duration.ofDays(1);

    private TestEvents() {
    }

    public static PoolCreatedEvent poolCreated(UUID poolId, String tenant, String prefix, List<Integer> lengths,
                                               Instant at) {
        return new PoolCreatedEvent(poolId, tenant, "pool " + prefix, Ipv6Prefix.parse(prefix), lengths, lengths.get(0),
                QUARANTINE, Duration.ofHours(24), at);
    }

    /** One delegation of the tenant, holding {@code prefix} in {@code pool}. */
    public record Delegation(UUID id, String tenant, String subscriber, UUID pool, Ipv6Prefix prefix) {

        public static Delegation of(String tenant, String subscriber, UUID pool, String prefix) {
            return new Delegation(UUID.randomUUID(), tenant, subscriber, pool, Ipv6Prefix.parse(prefix));
        }

        /** A new delegation of the same subscriber that takes this one's quarantined prefix back. */
        public Delegation reclaim() {
            return new Delegation(UUID.randomUUID(), tenant, subscriber, pool, prefix);
        }

        public PrefixAllocatedEvent allocated(Instant at) {
            return new PrefixAllocatedEvent(id, tenant, subscriber, pool, prefix, Placement.BEST_FIT, null, QUARANTINE,
                    false, null, at);
        }

        public PrefixAllocatedEvent reclaimedFrom(Delegation earlier, Instant at) {
            return new PrefixAllocatedEvent(id, tenant, subscriber, pool, prefix, Placement.QUARANTINE_RECLAIM,
                    earlier.id(), QUARANTINE, false, null, at);
        }

        public PrefixActivatedEvent activated(Instant at) {
            return new PrefixActivatedEvent(id, tenant, null, null, at);
        }

        public PrefixSuspendedEvent suspended(String reason, Instant at) {
            return new PrefixSuspendedEvent(id, tenant, null, reason, at);
        }

        public PrefixResumedEvent resumed(Instant at) {
            return new PrefixResumedEvent(id, tenant, null, null, at);
        }

        public PrefixRevocationStartedEvent revocationStarted(String reason, Instant at) {
            return new PrefixRevocationStartedEvent(id, tenant, subscriber, prefix, null, reason, at, null);
        }

        public PrefixRevokedEvent revoked(Instant at) {
            return new PrefixRevokedEvent(id, tenant, prefix, at.plus(QUARANTINE), null, at);
        }

        public PrefixActivationFailedEvent activationFailed(String reason, Instant at) {
            return new PrefixActivationFailedEvent(id, tenant, prefix, at.plus(QUARANTINE), reason, at);
        }

        public PrefixQuarantineEndedEvent quarantineEnded(Instant at) {
            return new PrefixQuarantineEndedEvent(id, tenant, prefix, at);
        }
    }
}

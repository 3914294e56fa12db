package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A delegation as its events leave it: the one fold of a delegation's stream. The aggregate keeps it as its
 * state, command answers and the activation wait show its {@link #view()}, and the read side's
 * {@code delegation_view} row applies the same {@link DelegationChange} per event in SQL, so every reader
 * agrees on what an event does.
 *
 * @param quarantine        the pool's quarantine period, which starts when the delegation ends
 * @param nas               the subscriber's NAS session as last given; {@code null} when never known
 * @param reclaimedFrom     the earlier delegation whose quarantined prefix this one took back, if any
 * @param stateChangedAt    when the latest transition happened (the allocation, at first)
 * @param reason            the reason given with the latest transition, if any
 * @param quarantineUntil   when the prefix of an ended delegation returns to free space; {@code null} while live
 * @param quarantineEndedAt when that happened; {@code null} until then
 * @param radiusUserName    the User-Name under which Access-Requests find the delegation
 */
public record DelegationState(UUID delegationId, String tenantId, String subscriberId, UUID poolId, Ipv6Prefix prefix,
                              Duration quarantine, NasSession nas, UUID reclaimedFrom, LifecycleState state,
                              Instant allocatedAt, Instant stateChangedAt, Instant activatedAt, Instant suspendedAt,
                              Instant revokedAt, Instant failedAt, String reason, Instant quarantineUntil,
                              Instant quarantineEndedAt, String radiusUserName) {

    /**
     * The delegation after {@code event}. {@code current} is {@code null} before the allocation; an event that
     * changes nothing a reader sees (a recorded network call, a revocation retry) leaves it as it is.
     */
    public static DelegationState when(DelegationState current, DelegationEvent event) {
        if (event instanceof PrefixAllocatedEvent allocated) {
            return new DelegationState(allocated.delegationId(), allocated.tenantId(), allocated.subscriberId(),
                    allocated.poolId(), allocated.prefix(), allocated.quarantine(), allocated.nas(),
                    allocated.reclaimedFrom(), LifecycleState.ALLOCATED, allocated.allocatedAt(),
                    allocated.allocatedAt(), null, null, null, null, null, null, null,
                    allocated.effectiveRadiusUserName());
        }
        return DelegationChange.of(event).map(current::with).orElse(current);
    }

    private DelegationState with(DelegationChange change) {
        if (!change.isTransition()) {
            return new DelegationState(delegationId, tenantId, subscriberId, poolId, prefix, quarantine, nas,
                    reclaimedFrom, state, allocatedAt, stateChangedAt, activatedAt, suspendedAt, revokedAt, failedAt,
                    reason, quarantineUntil,
                    change.stamp() == DelegationChange.Stamp.QUARANTINE_ENDED ? change.at() : quarantineEndedAt,
                    change.radiusUserName() != null ? change.radiusUserName() : radiusUserName);
        }
        DelegationChange.Stamp stamp = change.stamp();
        return new DelegationState(delegationId, tenantId, subscriberId, poolId, prefix, quarantine,
                change.nas() != null ? change.nas() : nas, reclaimedFrom, change.state(), allocatedAt, change.at(),
                stamp == DelegationChange.Stamp.ACTIVATED ? change.at() : activatedAt,
                stamp == DelegationChange.Stamp.SUSPENDED ? change.at() : suspendedAt,
                stamp == DelegationChange.Stamp.REVOKED ? change.at() : revokedAt,
                stamp == DelegationChange.Stamp.FAILED ? change.at() : failedAt,
                change.reason(), change.quarantineUntil() != null ? change.quarantineUntil() : quarantineUntil,
                quarantineEndedAt, radiusUserName);
    }

    /** The delegation as the API shows it. */
    public DelegationView view() {
        return new DelegationView(delegationId, subscriberId, poolId, prefix, prefix.length(), state, allocatedAt,
                activatedAt, suspendedAt, revokedAt, failedAt, reason, quarantineUntil);
    }

    /** Whether the prefix has come out of quarantine (it may be free again). */
    public boolean quarantineOver() {
        return quarantineEndedAt != null;
    }
}

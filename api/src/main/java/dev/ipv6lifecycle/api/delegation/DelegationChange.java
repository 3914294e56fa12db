package dev.ipv6lifecycle.api.delegation;

import java.time.Instant;
import java.util.Optional;

/**
 * What one event does to a delegation, stated once for every reader: {@link DelegationState#when} applies it
 * in memory, the read side's projection in SQL, and the transition counter reads its two states.
 *
 * @param previousState   the state the event leaves; {@code null} for the allocation, the end of a
 *                        quarantine, and a revocation stored before its event carried it
 * @param state           the state the event leaves the delegation in; {@code null} when it stays as it is
 *                        (the end of a quarantine)
 * @param stamp           which of the delegation's times the event sets, besides {@code stateChangedAt}
 * @param at              when it happened
 * @param reason          the reason the transition gives (the latest reason is the delegation's reason)
 * @param quarantineUntil set when the delegation ends; {@code null} otherwise
 * @param nas             the NAS session the event names; {@code null} keeps the one known
 * @param radiusUserName  the RADIUS user name the event sets; {@code null} keeps the one known (the allocation's
 *                        is read from the event itself, by {@link DelegationState#when})
 */
public record DelegationChange(LifecycleState previousState, LifecycleState state, Stamp stamp, Instant at,
                               String reason, Instant quarantineUntil, NasSession nas, String radiusUserName) {

    /** The time, beside {@code stateChangedAt}, that an event records. */
    public enum Stamp { NONE, ACTIVATED, SUSPENDED, REVOKED, FAILED, QUARANTINE_ENDED }

    /** The change {@code event} makes; empty for events that change nothing a reader sees. */
    public static Optional<DelegationChange> of(DelegationEvent event) {
        if (event instanceof PrefixAllocatedEvent e) {
            return transition(null, LifecycleState.ALLOCATED, Stamp.NONE, e.allocatedAt(), null, null, e.nas());
        } else if (event instanceof PrefixActivatedEvent e) {
            return transition(LifecycleState.ALLOCATED, LifecycleState.ACTIVE, Stamp.ACTIVATED, e.occurredAt(),
                    e.reason(), null, e.nas());
        } else if (event instanceof PrefixSuspendedEvent e) {
            return transition(LifecycleState.ACTIVE, LifecycleState.SUSPENDED, Stamp.SUSPENDED, e.occurredAt(),
                    e.reason(), null, e.nas());
        } else if (event instanceof PrefixResumedEvent e) {
            // activatedAt keeps the first activation; stateChangedAt records the resumption.
            return transition(LifecycleState.SUSPENDED, LifecycleState.ACTIVE, Stamp.NONE, e.occurredAt(),
                    e.reason(), null, e.nas());
        } else if (event instanceof PrefixRevocationStartedEvent e) {
            return transition(e.previousState(), LifecycleState.REVOKING, Stamp.NONE, e.occurredAt(), e.reason(),
                    null, e.nas());
        } else if (event instanceof PrefixRevokedEvent e) {
            return transition(LifecycleState.REVOKING, LifecycleState.REVOKED, Stamp.REVOKED, e.occurredAt(),
                    e.reason(), e.quarantineUntil(), null);
        } else if (event instanceof PrefixActivationFailedEvent e) {
            return transition(LifecycleState.ALLOCATED, LifecycleState.FAILED, Stamp.FAILED, e.occurredAt(),
                    e.reason(), e.quarantineUntil(), null);
        } else if (event instanceof PrefixQuarantineEndedEvent e) {
            // Not a transition: the delegation stays REVOKED or FAILED and keeps its reason and quarantineUntil.
            return Optional.of(new DelegationChange(null, null, Stamp.QUARANTINE_ENDED, e.occurredAt(), null, null,
                    null, null));
        } else if (event instanceof RadiusUserNameSetEvent e) {
            // Not a transition either: only the name under which Access-Requests find the delegation changes.
            return Optional.of(new DelegationChange(null, null, Stamp.NONE, e.occurredAt(), null, null, null,
                    e.radiusUserName()));
        }
        return Optional.empty();
    }

    /** Whether the event moves the delegation to a state (the allocation included). */
    public boolean isTransition() {
        return state != null;
    }

    private static Optional<DelegationChange> transition(LifecycleState from, LifecycleState to, Stamp stamp,
                                                         Instant at, String reason, Instant quarantineUntil,
                                                         NasSession nas) {
        return Optional.of(new DelegationChange(from, to, stamp, at, reason, quarantineUntil, nas, null));
    }
}

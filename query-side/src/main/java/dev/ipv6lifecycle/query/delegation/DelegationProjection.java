package dev.ipv6lifecycle.query.delegation;

import static dev.ipv6lifecycle.query.Timestamps.toSql;

import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixQuarantineEndedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixResumedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent;
import dev.ipv6lifecycle.query.ProjectionWriter;
import dev.ipv6lifecycle.query.Projections;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code delegation_view}: one row per delegation, changed only by that delegation's own events.
 *
 * <p>Idempotent: every update applies only while the row's {@code last_sequence} is below the event's
 * aggregate sequence number, so an event delivered again (after a rolled-back batch, or from the
 * dead-letter queue) finds its change already made and leaves the row as it is. A reclaim is recorded on
 * the new row only ({@code reclaimed_from}); the earlier delegation's row is never written by another
 * delegation's event, which keeps the result independent of how segments interleave.
 */
@Component
@ProcessingGroup(Projections.DELEGATIONS)
class DelegationProjection {

    // A null time leaves its column as it is: each transition stamps at most one of them.
    private static final String TRANSITION = """
            UPDATE delegation_view
            SET state = ?, state_changed_at = ?, reason = ?, last_sequence = ?,
                activated_at = coalesce(?::timestamptz, activated_at),
                suspended_at = coalesce(?::timestamptz, suspended_at),
                revoked_at = coalesce(?::timestamptz, revoked_at),
                failed_at = coalesce(?::timestamptz, failed_at),
                quarantine_until = coalesce(?::timestamptz, quarantine_until)
            WHERE delegation_id = ? AND last_sequence < ?""";

    private final ProjectionWriter writes;

    DelegationProjection(ProjectionWriter writes) {
        this.writes = writes;
    }

    @EventHandler
    void on(PrefixAllocatedEvent event, @SequenceNumber long sequence) {
        // Checked here, before any SQL: a malformed event then fails in Java and goes to the dead-letter
        // queue, instead of aborting the PostgreSQL transaction that the queue itself writes in.
        Objects.requireNonNull(event.prefix(), "PrefixAllocatedEvent without a prefix");
        writes.update("""
                INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state,
                                             allocated_at, state_changed_at, reclaimed_from, last_sequence)
                VALUES (?, ?, ?, ?, ?::cidr, 'ALLOCATED', ?, ?, ?, ?)
                ON CONFLICT (delegation_id) DO NOTHING""",
                event.delegationId(), event.tenantId(), event.subscriberId(), event.poolId(),
                event.prefix().canonical(), toSql(event.allocatedAt()), toSql(event.allocatedAt()),
                event.reclaimedFrom(), sequence);
    }

    @EventHandler
    void on(PrefixActivatedEvent event, @SequenceNumber long sequence) {
        transition(event.delegationId(), sequence, LifecycleState.ACTIVE, Stamp.ACTIVATED, event.occurredAt(),
                event.reason(), null);
    }

    @EventHandler
    void on(PrefixSuspendedEvent event, @SequenceNumber long sequence) {
        transition(event.delegationId(), sequence, LifecycleState.SUSPENDED, Stamp.SUSPENDED, event.occurredAt(),
                event.reason(), null);
    }

    @EventHandler
    void on(PrefixResumedEvent event, @SequenceNumber long sequence) {
        // activated_at keeps the first activation; state_changed_at records the resumption.
        transition(event.delegationId(), sequence, LifecycleState.ACTIVE, Stamp.NONE, event.occurredAt(),
                event.reason(), null);
    }

    @EventHandler
    void on(PrefixRevocationStartedEvent event, @SequenceNumber long sequence) {
        transition(event.delegationId(), sequence, LifecycleState.REVOKING, Stamp.NONE, event.occurredAt(),
                event.reason(), null);
    }

    @EventHandler
    void on(PrefixRevokedEvent event, @SequenceNumber long sequence) {
        transition(event.delegationId(), sequence, LifecycleState.REVOKED, Stamp.REVOKED, event.occurredAt(),
                event.reason(), event.quarantineUntil());
    }

    @EventHandler
    void on(PrefixActivationFailedEvent event, @SequenceNumber long sequence) {
        transition(event.delegationId(), sequence, LifecycleState.FAILED, Stamp.FAILED, event.occurredAt(),
                event.reason(), event.quarantineUntil());
    }

    @EventHandler
    void on(PrefixQuarantineEndedEvent event, @SequenceNumber long sequence) {
        // Not a transition: the delegation stays REVOKED or FAILED and keeps its quarantine_until.
        writes.update("""
                UPDATE delegation_view SET quarantine_ended_at = ?, last_sequence = ?
                WHERE delegation_id = ? AND last_sequence < ?""",
                toSql(event.occurredAt()), sequence, event.delegationId(), sequence);
    }

    @ResetHandler
    void reset() {
        writes.update("DELETE FROM delegation_view");
    }

    /** The column, if any, that records when the delegation entered the transition's state. */
    private enum Stamp { NONE, ACTIVATED, SUSPENDED, REVOKED, FAILED }

    private void transition(UUID delegationId, long sequence, LifecycleState state, Stamp stamp, Instant at,
                            String reason, Instant quarantineUntil) {
        OffsetDateTime time = toSql(at);
        writes.update(TRANSITION, state.name(), time, reason, sequence,
                stamp == Stamp.ACTIVATED ? time : null, stamp == Stamp.SUSPENDED ? time : null,
                stamp == Stamp.REVOKED ? time : null, stamp == Stamp.FAILED ? time : null,
                toSql(quarantineUntil), delegationId, sequence);
    }
}

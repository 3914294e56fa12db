package dev.ipv6lifecycle.query.delegation;

import static dev.ipv6lifecycle.query.Timestamps.toSql;

import dev.ipv6lifecycle.api.delegation.DelegationChange;
import dev.ipv6lifecycle.api.delegation.DelegationChange.Stamp;
import dev.ipv6lifecycle.api.delegation.DelegationEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.query.ProjectionWriter;
import dev.ipv6lifecycle.query.Projections;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code delegation_view}: one row per delegation, changed only by that delegation's own events, each
 * applied as {@link DelegationChange} states it: the same effect the aggregate's {@code DelegationState}
 * folds in memory (a property test holds the row and the fold equal over random histories).
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

    // Not a transition: the delegation stays REVOKED or FAILED and keeps its quarantine_until.
    private static final String QUARANTINE_ENDED = """
            UPDATE delegation_view SET quarantine_ended_at = ?, last_sequence = ?
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

    /**
     * Every later event of the delegation, as {@link DelegationChange} states its effect. Axon invokes one
     * handler per event and class, the most specific, so the allocation takes the handler above.
     */
    @EventHandler
    void on(DelegationEvent event, @SequenceNumber long sequence) {
        DelegationChange.of(event).ifPresent(change -> apply(event.delegationId(), sequence, change));
    }

    @ResetHandler
    void reset() {
        writes.update("DELETE FROM delegation_view");
    }

    private void apply(UUID delegationId, long sequence, DelegationChange change) {
        OffsetDateTime at = toSql(change.at());
        Stamp stamp = change.stamp();
        if (stamp == Stamp.QUARANTINE_ENDED) {
            writes.update(QUARANTINE_ENDED, at, sequence, delegationId, sequence);
            return;
        }
        if (!change.isTransition()) {
            return; // a new RADIUS user name: the read model does not show it
        }
        writes.update(TRANSITION, change.state().name(), at, change.reason(), sequence,
                stamp == Stamp.ACTIVATED ? at : null, stamp == Stamp.SUSPENDED ? at : null,
                stamp == Stamp.REVOKED ? at : null, stamp == Stamp.FAILED ? at : null,
                toSql(change.quarantineUntil()), delegationId, sequence);
    }
}

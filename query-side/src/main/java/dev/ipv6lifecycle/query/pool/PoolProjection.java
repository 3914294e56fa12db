package dev.ipv6lifecycle.query.pool;

import static dev.ipv6lifecycle.query.Timestamps.toSql;

import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import dev.ipv6lifecycle.api.pool.PoolDrainedEvent;
import dev.ipv6lifecycle.api.pool.PoolRetiredEvent;
import dev.ipv6lifecycle.api.pool.PoolState;
import dev.ipv6lifecycle.api.pool.PoolUndrainedEvent;
import dev.ipv6lifecycle.query.ProjectionWriter;
import dev.ipv6lifecycle.query.Projections;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code pool_view}: one row per pool. Capacity is not stored here; it is computed when asked, from
 * the held prefixes of {@code delegation_view}. Idempotent as {@code DelegationProjection}: a change
 * applies only while the row's {@code last_sequence} is below the event's sequence number.
 */
@Component
@ProcessingGroup(Projections.POOLS)
class PoolProjection {

    private final ProjectionWriter writes;

    PoolProjection(ProjectionWriter writes) {
        this.writes = writes;
    }

    @EventHandler
    void on(PoolCreatedEvent event, @SequenceNumber long sequence) {
        // Checked before any SQL, so that a malformed event is dead-lettered rather than failing the batch.
        Objects.requireNonNull(event.prefix(), "PoolCreatedEvent without a prefix");
        Objects.requireNonNull(event.delegatedLengths(), "PoolCreatedEvent without delegated lengths");
        writes.update("""
                INSERT INTO pool_view (pool_id, tenant_id, name, prefix, delegated_lengths, default_length, quarantine,
                                       stale_after, state, created_at, state_changed_at, last_sequence)
                VALUES (?, ?, ?, ?::cidr, ?::smallint[], ?, ?::interval, ?::interval, 'ACTIVE', ?, ?, ?)
                ON CONFLICT (pool_id) DO NOTHING""",
                event.poolId(), event.tenantId(), event.name(), event.prefix().canonical(),
                event.delegatedLengths().stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}")),
                event.defaultLength(), event.quarantine().toString(), event.staleAfter().toString(),
                toSql(event.createdAt()), toSql(event.createdAt()), sequence);
    }

    @EventHandler
    void on(PoolDrainedEvent event, @SequenceNumber long sequence) {
        changeState(event.poolId(), sequence, PoolState.DRAINING, event.occurredAt());
    }

    @EventHandler
    void on(PoolUndrainedEvent event, @SequenceNumber long sequence) {
        changeState(event.poolId(), sequence, PoolState.ACTIVE, event.occurredAt());
    }

    @EventHandler
    void on(PoolRetiredEvent event, @SequenceNumber long sequence) {
        changeState(event.poolId(), sequence, PoolState.RETIRED, event.occurredAt());
    }

    @ResetHandler
    void reset() {
        writes.update("DELETE FROM pool_view");
    }

    private void changeState(UUID poolId, long sequence, PoolState state, Instant at) {
        writes.update("""
                UPDATE pool_view SET state = ?, state_changed_at = ?, last_sequence = ?
                WHERE pool_id = ? AND last_sequence < ?""", state.name(), toSql(at), sequence, poolId, sequence);
    }
}

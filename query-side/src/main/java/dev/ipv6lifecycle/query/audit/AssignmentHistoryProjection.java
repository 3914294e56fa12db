package dev.ipv6lifecycle.query.audit;

import static dev.ipv6lifecycle.query.Timestamps.toSql;

import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.query.ProjectionWriter;
import dev.ipv6lifecycle.query.Projections;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code assignment_history}: one holding per delegation, from its allocation until its revocation
 * completed or its activation failed. The quarantine that follows is no holding, and a reclaim after it
 * is a new holding of the new delegation. Both writes set fixed values, so a redelivery changes nothing.
 */
@Component
@ProcessingGroup(Projections.ASSIGNMENT_HISTORY)
class AssignmentHistoryProjection {

    private final ProjectionWriter writes;

    AssignmentHistoryProjection(ProjectionWriter writes) {
        this.writes = writes;
    }

    @EventHandler
    void on(PrefixAllocatedEvent event) {
        // Checked before any SQL, so that a malformed event is dead-lettered rather than failing the batch.
        Objects.requireNonNull(event.prefix(), "PrefixAllocatedEvent without a prefix");
        writes.update("""
                INSERT INTO assignment_history (delegation_id, tenant_id, prefix, subscriber_id, pool_id, held_from)
                VALUES (?, ?, ?::cidr, ?, ?, ?)
                ON CONFLICT (delegation_id) DO NOTHING""",
                event.delegationId(), event.tenantId(), event.prefix().canonical(), event.subscriberId(),
                event.poolId(), toSql(event.allocatedAt()));
    }

    @EventHandler
    void on(PrefixRevokedEvent event) {
        end(event.delegationId(), event.occurredAt());
    }

    @EventHandler
    void on(PrefixActivationFailedEvent event) {
        end(event.delegationId(), event.occurredAt());
    }

    @ResetHandler
    void reset() {
        writes.update("DELETE FROM assignment_history");
    }

    private void end(UUID delegationId, Instant at) {
        writes.update("UPDATE assignment_history SET held_until = ? WHERE delegation_id = ?", toSql(at), delegationId);
    }
}

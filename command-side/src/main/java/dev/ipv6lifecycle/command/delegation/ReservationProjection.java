package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixQuarantineEndedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.command.BatchedWrites;
import dev.ipv6lifecycle.command.InTransactionGroups;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps the reservation ledger in step with delegation events. It runs in a subscribing processor with
 * errors propagated ({@code CommandSideProcessingConfiguration}): in the command's own transaction, so an
 * overlap refused by PostgreSQL fails the command and no event is stored.
 *
 * <p>The allocations of one unit of work (one command's events; a bulk allocation's thousand) are recorded
 * together when the processor's batch prepares to commit, still before the command's transaction commits. Any
 * other event of the batch first records the allocations before it, so the ledger sees them in order.
 */
@Component
@ProcessingGroup(InTransactionGroups.PREFIX_RESERVATIONS)
class ReservationProjection {

    private final ReservationLedger ledger;
    private final BatchedWrites<ReservationLedger.Allocation> allocations;

    ReservationProjection(ReservationLedger ledger) {
        this.ledger = ledger;
        this.allocations = new BatchedWrites<>(ledger::reserveAll);
    }

    @EventHandler
    void on(PrefixAllocatedEvent event) {
        allocations.add(new ReservationLedger.Allocation(event.tenantId(), event.poolId(), event.prefix(),
                event.delegationId(), event.subscriberId(), event.reclaimedFrom()));
    }

    @EventHandler
    void on(PrefixRevokedEvent event) {
        allocations.flush();
        ledger.quarantine(event.delegationId(), event.quarantineUntil());
    }

    @EventHandler
    void on(PrefixActivationFailedEvent event) {
        allocations.flush();
        ledger.quarantine(event.delegationId(), event.quarantineUntil());
    }

    @EventHandler
    void on(PrefixQuarantineEndedEvent event) {
        allocations.flush();
        ledger.release(event.delegationId());
    }
}

package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixQuarantineEndedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.command.InTransactionGroups;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps the reservation ledger in step with delegation events. It runs in a subscribing processor with
 * errors propagated ({@code CommandSideProcessingConfiguration}): in the command's own transaction, so an
 * overlap refused by PostgreSQL fails the command and no event is stored.
 */
@Component
@ProcessingGroup(InTransactionGroups.PREFIX_RESERVATIONS)
class ReservationProjection {

    private final ReservationLedger ledger;

    ReservationProjection(ReservationLedger ledger) {
        this.ledger = ledger;
    }

    @EventHandler
    void on(PrefixAllocatedEvent event) {
        ledger.reserve(event.tenantId(), event.poolId(), event.prefix(), event.delegationId(), event.subscriberId(),
                event.reclaimedFrom());
    }

    @EventHandler
    void on(PrefixRevokedEvent event) {
        ledger.quarantine(event.delegationId(), event.quarantineUntil());
    }

    @EventHandler
    void on(PrefixActivationFailedEvent event) {
        ledger.quarantine(event.delegationId(), event.quarantineUntil());
    }

    @EventHandler
    void on(PrefixQuarantineEndedEvent event) {
        ledger.release(event.delegationId());
    }
}

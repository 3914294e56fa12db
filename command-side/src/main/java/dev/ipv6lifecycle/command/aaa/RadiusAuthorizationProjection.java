package dev.ipv6lifecycle.command.aaa;

import dev.ipv6lifecycle.api.delegation.DelegationChange;
import dev.ipv6lifecycle.api.delegation.DelegationEvent;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.command.BatchedWrites;
import dev.ipv6lifecycle.command.InTransactionGroups;
import java.util.EnumSet;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link RadiusAuthorizations} in step with delegation events, in the command's own transaction (a
 * subscribing processor with errors propagated, {@code CommandSideProcessingConfiguration}): the answer to an
 * Access-Request is never behind a committed command. Each event's effect is read from {@link DelegationChange},
 * the statement every reader of a delegation shares.
 */
@Component
@ProcessingGroup(InTransactionGroups.RADIUS_AUTHORIZATIONS)
class RadiusAuthorizationProjection {

    /** The states in which Access-Requests are given the prefix; leaving them removes the row. */
    static final Set<LifecycleState> AUTHORIZED = EnumSet.of(LifecycleState.ALLOCATED, LifecycleState.ACTIVE,
            LifecycleState.SUSPENDED);

    private final RadiusAuthorizations table;
    private final BatchedWrites<PrefixAllocatedEvent> allocations;

    RadiusAuthorizationProjection(RadiusAuthorizations table) {
        this.table = table;
        this.allocations = new BatchedWrites<>(table::insertAll);
    }

    @EventHandler
    void on(PrefixAllocatedEvent event) {
        allocations.add(event);
    }

    /** Every later event; Axon invokes the most specific handler, so the allocation takes the one above. */
    @EventHandler
    void on(DelegationEvent event) {
        allocations.flush();
        DelegationChange.of(event).ifPresent(change -> {
            if (change.radiusUserName() != null) {
                table.rename(event.delegationId(), change.radiusUserName());
            }
            if (!change.isTransition()) {
                return;
            }
            if (AUTHORIZED.contains(change.state())) {
                table.changeState(event.delegationId(), change.state());
            } else {
                table.remove(event.delegationId());
            }
        });
    }
}

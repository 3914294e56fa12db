package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.ItemOutcome;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixesCommand;
import dev.ipv6lifecycle.api.delegation.DelegationState;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Allocates many prefixes in one unit of work: the allocator chooses them all at once ({@link
 * PrefixAllocator#chooseAll}), each becomes a new {@link Delegation} with the same event a single allocation
 * applies, and their events are appended together and recorded by the ledger together. An allocation that
 * cannot be placed is refused on its own; the others go on.
 */
@Component
class BulkAllocation {

    private final PrefixAllocator allocator;
    private final Repository<Delegation> delegations;

    BulkAllocation(PrefixAllocator allocator, @Qualifier("delegationRepository") Repository<Delegation> delegations) {
        this.allocator = allocator;
        this.delegations = delegations;
    }

    @CommandHandler
    List<ItemOutcome> handle(AllocatePrefixesCommand command) throws Exception {
        for (AllocatePrefixCommand allocation : command.allocations()) {
            if (!command.tenantId().equals(allocation.tenantId())) {
                throw DomainRejection.invalid("every allocation of a bulk allocation is of its tenant");
            }
        }
        List<PrefixAllocator.Chosen> chosen = allocator.chooseAll(command.allocations());
        List<ItemOutcome> outcomes = new ArrayList<>(chosen.size());
        for (int index = 0; index < chosen.size(); index++) {
            PrefixAllocator.Chosen each = chosen.get(index);
            if (each.refusal() != null) {
                outcomes.add(new ItemOutcome(null, each.refusal()));
                continue;
            }
            PrefixAllocatedEvent allocated = Delegation.allocated(command.allocations().get(index), each.choice());
            delegations.newInstance(() -> new Delegation(allocated));
            outcomes.add(new ItemOutcome(Delegation.result(allocated, DelegationState.when(null, allocated)), null));
        }
        return outcomes;
    }
}

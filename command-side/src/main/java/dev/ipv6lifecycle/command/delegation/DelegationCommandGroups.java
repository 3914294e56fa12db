package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.ItemOutcome;
import dev.ipv6lifecycle.api.delegation.DelegationCommand;
import dev.ipv6lifecycle.api.delegation.DelegationCommandGroup;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Commands to delegations that go together ({@link DelegationCommandGroup}), in one unit of work: each delegation
 * is loaded and handles its command exactly as it would alone (the same handler, the same checks), and their
 * events are appended and recorded by the in-transaction handlers together. Alone, each transition was a
 * dispatch, a unit of work and a commit of its own, which cost more than the transition itself (BENCHMARKS.md).
 * A refused command is answered on its own: every handler of {@link Delegation} checks before it applies anything.
 */
@Component
class DelegationCommandGroups {

    private final Repository<Delegation> delegations;

    DelegationCommandGroups(@Qualifier("delegationRepository") Repository<Delegation> delegations) {
        this.delegations = delegations;
    }

    @CommandHandler
    List<ItemOutcome> handle(DelegationCommandGroup command) throws Exception {
        for (DelegationCommand each : command.commands()) {
            if (!command.tenantId().equals(each.tenantId())) {
                throw DomainRejection.invalid("every command of a group is of its tenant");
            }
        }
        List<ItemOutcome> outcomes = new ArrayList<>(command.commands().size());
        for (DelegationCommand each : command.commands()) {
            try {
                // A delegation named twice is loaded once: the unit of work keeps what it loaded.
                Object result = delegations.load(each.delegationId().toString())
                        .handle(GenericCommandMessage.asCommandMessage(each));
                outcomes.add(new ItemOutcome(result, null));
            } catch (AggregateNotFoundException unknown) {
                outcomes.add(new ItemOutcome(null, DomainRejection.unknown(unknown.getAggregateIdentifier())));
            } catch (DomainRejection refused) {
                outcomes.add(new ItemOutcome(null, refused));
            }
        }
        return outcomes;
    }
}

package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.ItemOutcome;
import dev.ipv6lifecycle.api.delegation.TransitionCommand;
import dev.ipv6lifecycle.api.delegation.TransitionsCommand;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Transitions that arrived together, in one unit of work: each delegation is loaded and handles its command
 * exactly as it would alone (the same handler, the same checks), and their events are appended and recorded by
 * the in-transaction handlers together. Alone, each transition was a dispatch, a unit of work and a commit of its
 * own, which cost the request threads more than the transition itself (BENCHMARKS.md). A refused transition is
 * answered on its own: every handler of {@link Delegation} checks before it applies anything.
 */
@Component
class GroupedTransitions {

    private final Repository<Delegation> delegations;

    GroupedTransitions(@Qualifier("delegationRepository") Repository<Delegation> delegations) {
        this.delegations = delegations;
    }

    @CommandHandler
    List<ItemOutcome> handle(TransitionsCommand command) throws Exception {
        for (TransitionCommand transition : command.transitions()) {
            if (!command.tenantId().equals(transition.tenantId())) {
                throw DomainRejection.invalid("every transition of a group is of its tenant");
            }
        }
        List<ItemOutcome> outcomes = new ArrayList<>(command.transitions().size());
        for (TransitionCommand transition : command.transitions()) {
            try {
                // A delegation named twice is loaded once: the unit of work keeps what it loaded.
                Object view = delegations.load(transition.delegationId().toString())
                        .handle(GenericCommandMessage.asCommandMessage(transition));
                outcomes.add(new ItemOutcome(view, null));
            } catch (AggregateNotFoundException unknown) {
                outcomes.add(new ItemOutcome(null, DomainRejection.unknown(unknown.getAggregateIdentifier())));
            } catch (DomainRejection refused) {
                outcomes.add(new ItemOutcome(null, refused));
            }
        }
        return outcomes;
    }
}

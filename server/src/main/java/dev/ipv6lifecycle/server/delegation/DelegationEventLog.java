package dev.ipv6lifecycle.server.delegation;

import dev.ipv6lifecycle.api.delegation.DelegationEvent;
import dev.ipv6lifecycle.api.delegation.DelegationState;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * A delegation read straight from the event store: authoritative, never behind. The history endpoint lists
 * its events, and an allocation with activation waits on its state for the saga (ActivationWait); other
 * command endpoints answer with the view their aggregate returns. Both fold the events with
 * {@link DelegationState#when}, so they cannot disagree.
 */
@Component
public class DelegationEventLog {

    private final EventStore eventStore;

    DelegationEventLog(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The delegation's events, or none when it does not exist for this tenant. */
    public List<? extends DomainEventMessage<?>> events(String tenantId, UUID delegationId) {
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(delegationId.toString()).asStream().toList();
        boolean ours = !events.isEmpty() && events.get(0).getPayload() instanceof PrefixAllocatedEvent allocated
                && allocated.tenantId().equals(tenantId);
        return ours ? events : List.of();
    }

    public Optional<DelegationView> current(String tenantId, UUID delegationId) {
        DelegationState state = null;
        for (DomainEventMessage<?> event : events(tenantId, delegationId)) {
            if (event.getPayload() instanceof DelegationEvent delegationEvent) {
                state = DelegationState.when(state, delegationEvent);
            }
        }
        return Optional.ofNullable(state).map(DelegationState::view);
    }
}

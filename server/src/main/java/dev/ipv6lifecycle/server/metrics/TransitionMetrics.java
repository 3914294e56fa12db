package dev.ipv6lifecycle.server.metrics;

import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixResumedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * {@code ipv6_lifecycle_transitions_total{from,to}}: counted when a delegation's event is published by the
 * node whose command caused it, once its unit of work commits. Not counted by a projection, which would
 * count again at every replay and on every node. An idempotent repeat publishes no event and is no
 * transition. {@code from = none} is the allocation itself.
 */
class TransitionMetrics implements MessageDispatchInterceptor<EventMessage<?>> {

    static final String NONE = "none";

    /** The state a delegation's event leaves it in, for the events a revocation can follow. */
    private static final Map<String, String> STATE_AFTER = Map.of(
            PrefixAllocatedEvent.class.getSimpleName(), LifecycleState.ALLOCATED.name(),
            PrefixActivatedEvent.class.getSimpleName(), LifecycleState.ACTIVE.name(),
            PrefixResumedEvent.class.getSimpleName(), LifecycleState.ACTIVE.name(),
            PrefixSuspendedEvent.class.getSimpleName(), LifecycleState.SUSPENDED.name());

    private final MeterRegistry registry;
    private final EventStore eventStore;

    TransitionMetrics(MeterRegistry registry, EventStore eventStore) {
        this.registry = registry;
        this.eventStore = eventStore;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> {
            Transition transition = transition(message);
            if (transition != null) {
                Counter counter = counter(transition.from(), transition.to());
                if (CurrentUnitOfWork.isStarted()) {
                    CurrentUnitOfWork.get().afterCommit(unitOfWork -> counter.increment());
                } else {
                    counter.increment();
                }
            }
            return message;
        };
    }

    Counter counter(String from, String to) {
        return Counter.builder("ipv6.lifecycle.transitions").description("Delegation state transitions")
                .tags("from", from, "to", to).register(registry);
    }

    private Transition transition(EventMessage<?> message) {
        Object payload = message.getPayload();
        if (payload instanceof PrefixAllocatedEvent) {
            return new Transition(NONE, LifecycleState.ALLOCATED.name());
        } else if (payload instanceof PrefixActivatedEvent) {
            return new Transition(LifecycleState.ALLOCATED.name(), LifecycleState.ACTIVE.name());
        } else if (payload instanceof PrefixSuspendedEvent) {
            return new Transition(LifecycleState.ACTIVE.name(), LifecycleState.SUSPENDED.name());
        } else if (payload instanceof PrefixResumedEvent) {
            return new Transition(LifecycleState.SUSPENDED.name(), LifecycleState.ACTIVE.name());
        } else if (payload instanceof PrefixRevocationStartedEvent) {
            return new Transition(stateBefore(message), LifecycleState.REVOKING.name());
        } else if (payload instanceof PrefixRevokedEvent) {
            return new Transition(LifecycleState.REVOKING.name(), LifecycleState.REVOKED.name());
        } else if (payload instanceof PrefixActivationFailedEvent) {
            return new Transition(LifecycleState.ALLOCATED.name(), LifecycleState.FAILED.name());
        }
        return null;
    }

    /**
     * A revocation starts from ALLOCATED, ACTIVE or SUSPENDED, which its event does not say: the state is
     * the one the delegation's previous event left it in. One indexed read of one event, per revocation.
     */
    private String stateBefore(EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> domainEvent) || domainEvent.getSequenceNumber() == 0) {
            return "unknown";
        }
        DomainEventStream previous = eventStore.readEvents(domainEvent.getAggregateIdentifier(),
                domainEvent.getSequenceNumber() - 1);
        if (!previous.hasNext()) {
            return "unknown";
        }
        String state = STATE_AFTER.get(previous.next().getPayloadType().getSimpleName());
        return state == null ? "unknown" : state;
    }

    private record Transition(String from, String to) {
    }
}

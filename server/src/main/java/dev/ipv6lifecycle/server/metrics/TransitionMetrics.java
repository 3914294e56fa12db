package dev.ipv6lifecycle.server.metrics;

import dev.ipv6lifecycle.api.delegation.DelegationChange;
import dev.ipv6lifecycle.api.delegation.DelegationEvent;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * {@code ipv6_lifecycle_transitions_total{from,to}}: counted when a delegation's event is published by the
 * node whose command caused it, once its unit of work commits. Not counted by a projection, which would
 * count again at every replay and on every node. An idempotent repeat publishes no event and is no
 * transition. {@code from = none} is the allocation itself; {@code from = unknown} a revocation whose event
 * was stored before it carried the state it started from.
 *
 * <p>Both states come from {@link DelegationChange}, the same statement of an event's effect that the
 * aggregate and the read side apply: nothing is read back from the event store.
 */
class TransitionMetrics implements MessageDispatchInterceptor<EventMessage<?>> {

    static final String NONE = "none";
    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;

    TransitionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> {
            if (message.getPayload() instanceof DelegationEvent event) {
                DelegationChange.of(event).filter(DelegationChange::isTransition).ifPresent(change -> {
                    Counter counter = counter(from(change), change.state().name());
                    if (CurrentUnitOfWork.isStarted()) {
                        CurrentUnitOfWork.get().afterCommit(unitOfWork -> counter.increment());
                    } else {
                        counter.increment();
                    }
                });
            }
            return message;
        };
    }

    Counter counter(String from, String to) {
        return Counter.builder("ipv6.lifecycle.transitions").description("Delegation state transitions")
                .tags("from", from, "to", to).register(registry);
    }

    private static String from(DelegationChange change) {
        if (change.state() == LifecycleState.ALLOCATED) {
            return NONE;
        }
        return change.previousState() == null ? UNKNOWN : change.previousState().name();
    }
}

package dev.ipv6lifecycle.server.delegation;

import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixResumedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * A delegation read straight from the event store: authoritative, never behind. The history endpoint lists
 * it, and an allocation with activation waits on it for the saga (ActivationWait); other command endpoints
 * answer with the view their aggregate returns, which this fold agrees with.
 */
@Component
class DelegationEventLog {

    private final EventStore eventStore;

    DelegationEventLog(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The delegation's events, or none when it does not exist for this tenant. */
    List<? extends DomainEventMessage<?>> events(String tenantId, UUID delegationId) {
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(delegationId.toString()).asStream().toList();
        boolean ours = !events.isEmpty() && events.get(0).getPayload() instanceof PrefixAllocatedEvent allocated
                && allocated.tenantId().equals(tenantId);
        return ours ? events : List.of();
    }

    Optional<DelegationView> current(String tenantId, UUID delegationId) {
        List<? extends DomainEventMessage<?>> events = events(tenantId, delegationId);
        if (events.isEmpty()) {
            return Optional.empty();
        }
        Fold fold = new Fold();
        events.forEach(event -> fold.apply(event.getPayload()));
        return Optional.of(fold.view());
    }

    /** The state of a delegation after each event, as the read side's projection computes it too. */
    private static final class Fold {
        private PrefixAllocatedEvent allocation;
        private LifecycleState state;
        private Instant activatedAt;
        private Instant suspendedAt;
        private Instant revokedAt;
        private Instant failedAt;
        private Instant quarantineUntil;
        private String reason;

        void apply(Object event) {
            if (event instanceof PrefixAllocatedEvent allocated) {
                allocation = allocated;
                state = LifecycleState.ALLOCATED;
            } else if (event instanceof PrefixActivatedEvent activated) {
                transition(LifecycleState.ACTIVE, activated.reason());
                activatedAt = activated.occurredAt();
            } else if (event instanceof PrefixSuspendedEvent suspended) {
                transition(LifecycleState.SUSPENDED, suspended.reason());
                suspendedAt = suspended.occurredAt();
            } else if (event instanceof PrefixResumedEvent resumed) {
                transition(LifecycleState.ACTIVE, resumed.reason());
            } else if (event instanceof PrefixRevocationStartedEvent started) {
                transition(LifecycleState.REVOKING, started.reason());
            } else if (event instanceof PrefixRevokedEvent revoked) {
                transition(LifecycleState.REVOKED, revoked.reason());
                revokedAt = revoked.occurredAt();
                quarantineUntil = revoked.quarantineUntil();
            } else if (event instanceof PrefixActivationFailedEvent failed) {
                transition(LifecycleState.FAILED, failed.reason());
                failedAt = failed.occurredAt();
                quarantineUntil = failed.quarantineUntil();
            }
        }

        private void transition(LifecycleState next, String why) {
            state = next;
            reason = why;
        }

        DelegationView view() {
            return new DelegationView(allocation.delegationId(), allocation.subscriberId(), allocation.poolId(),
                    allocation.prefix(), allocation.prefix().length(), state, allocation.allocatedAt(), activatedAt,
                    suspendedAt, revokedAt, failedAt, reason, quarantineUntil);
        }
    }
}

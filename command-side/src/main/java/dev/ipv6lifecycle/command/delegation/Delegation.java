package dev.ipv6lifecycle.command.delegation;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
import dev.ipv6lifecycle.api.delegation.DelegationNotFoundException;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.EndQuarantineCommand;
import dev.ipv6lifecycle.api.delegation.FailActivationCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.NetworkCallRecordedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixQuarantineEndedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixResumedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationRetriedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent;
import dev.ipv6lifecycle.api.delegation.RecordNetworkCallCommand;
import dev.ipv6lifecycle.api.delegation.ResumePrefixCommand;
import dev.ipv6lifecycle.api.delegation.RetryRevocationCommand;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.delegation.SuspendPrefixCommand;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One delegated prefix held by one subscriber, through its lifecycle. Commands are checked against the
 * state table ({@link Lifecycle}); state changes only in the event-sourcing handlers.
 */
@Aggregate
class Delegation {

    static final String QUARANTINE_END = "quarantine-end";

    @AggregateIdentifier
    private UUID delegationId;
    private String tenantId;
    private String subscriberId;
    private Ipv6Prefix prefix;
    private Duration quarantine;
    private NasSession nas;
    private LifecycleState state;
    private Instant quarantineUntil;
    private boolean quarantineOver;
    // Kept only for the answer to a command (view()): the same fields as the read side's row.
    private UUID poolId;
    private Instant allocatedAt;
    private Instant activatedAt;
    private Instant suspendedAt;
    private Instant revokedAt;
    private Instant failedAt;
    private String reason;

    protected Delegation() {
        // Required by Axon to rebuild the aggregate from its events.
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    AllocationResult handle(AllocatePrefixCommand command, PrefixAllocator allocator) {
        PrefixAllocator.Choice choice = allocator.choose(command);
        apply(new PrefixAllocatedEvent(command.delegationId(), command.tenantId(), command.subscriberId(),
                choice.poolId(), choice.prefix(), choice.placement(), choice.reclaimedFrom(), choice.quarantine(),
                command.activate(), command.nas(), now()));
        return new AllocationResult(command.delegationId(), choice.poolId(), choice.prefix(), choice.placement(), view());
    }

    @CommandHandler
    DelegationView handle(ActivatePrefixCommand command) {
        if (changes(command.tenantId(), LifecycleCommand.ACTIVATE)) {
            apply(new PrefixActivatedEvent(delegationId, tenantId, session(command.nas()), command.reason(), now()));
        }
        return view();
    }

    @CommandHandler
    DelegationView handle(SuspendPrefixCommand command) {
        if (changes(command.tenantId(), LifecycleCommand.SUSPEND)) {
            apply(new PrefixSuspendedEvent(delegationId, tenantId, session(command.nas()), command.reason(), now()));
        }
        return view();
    }

    @CommandHandler
    DelegationView handle(ResumePrefixCommand command) {
        if (changes(command.tenantId(), LifecycleCommand.RESUME)) {
            apply(new PrefixResumedEvent(delegationId, tenantId, session(command.nas()), command.reason(), now()));
        }
        return view();
    }

    @CommandHandler
    DelegationView handle(RevokePrefixCommand command) {
        if (changes(command.tenantId(), LifecycleCommand.REVOKE)) {
            apply(new PrefixRevocationStartedEvent(delegationId, tenantId, subscriberId, prefix,
                    session(command.nas()), command.reason(), now()));
        }
        return view();
    }

    @CommandHandler
    DelegationView handle(CompleteRevocationCommand command, DeadlineManager deadlines) {
        if (changes(command.tenantId(), LifecycleCommand.COMPLETE_REVOCATION)) {
            Instant now = now();
            Instant quarantineUntil = now.plus(quarantine);
            apply(new PrefixRevokedEvent(delegationId, tenantId, prefix, quarantineUntil, command.reason(), now));
            deadlines.schedule(quarantineUntil, QUARANTINE_END);
        }
        return view();
    }

    @CommandHandler
    DelegationView handle(FailActivationCommand command, DeadlineManager deadlines) {
        if (changes(command.tenantId(), LifecycleCommand.FAIL)) {
            Instant now = now();
            Instant quarantineUntil = now.plus(quarantine);
            apply(new PrefixActivationFailedEvent(delegationId, tenantId, prefix, quarantineUntil, command.reason(), now));
            deadlines.schedule(quarantineUntil, QUARANTINE_END);
        }
        return view();
    }

    @CommandHandler
    void handle(RetryRevocationCommand command) {
        checkTenant(command.tenantId());
        if (state == LifecycleState.REVOKING) {
            apply(new PrefixRevocationRetriedEvent(delegationId, tenantId, subscriberId, prefix, nas, command.reason(),
                    now()));
        }
    }

    @CommandHandler
    void handle(RecordNetworkCallCommand command) {
        checkTenant(command.tenantId());
        apply(new NetworkCallRecordedEvent(delegationId, tenantId, command.step(), command.result(), command.attempt(),
                command.detail(), now()));
    }

    /** The sweep's repair for a quarantine whose deadline never fired; the deadline's own path otherwise. */
    @CommandHandler
    void handle(EndQuarantineCommand command) {
        checkTenant(command.tenantId());
        if (quarantineUntil != null && !now().isBefore(quarantineUntil)) {
            endQuarantine();
        }
    }

    @DeadlineHandler(deadlineName = QUARANTINE_END)
    void endQuarantine() {
        if (!quarantineOver) {
            apply(new PrefixQuarantineEndedEvent(delegationId, tenantId, prefix, now()));
        }
    }

    /** The delegation as it stands now, as the read side's row will show it once the events reach it. */
    private DelegationView view() {
        return new DelegationView(delegationId, subscriberId, poolId, prefix, prefix.length(), state, allocatedAt,
                activatedAt, suspendedAt, revokedAt, failedAt, reason, quarantineUntil);
    }

    /** Whether the command moves the delegation to another state; false for an idempotent repeat. */
    private boolean changes(String callerTenant, LifecycleCommand command) {
        checkTenant(callerTenant);
        return Lifecycle.next(delegationId, state, command) != state;
    }

    /** Another tenant's delegation is answered exactly as an unknown one. */
    private void checkTenant(String callerTenant) {
        if (!tenantId.equals(callerTenant)) {
            throw new DelegationNotFoundException(delegationId);
        }
    }

    private NasSession session(NasSession given) {
        return given != null ? given : nas;
    }

    /** Event times in microseconds: what PostgreSQL keeps, so every view of an event shows the same time. */
    private static Instant now() {
        return GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @EventSourcingHandler
    void on(PrefixAllocatedEvent event) {
        delegationId = event.delegationId();
        tenantId = event.tenantId();
        subscriberId = event.subscriberId();
        prefix = event.prefix();
        quarantine = event.quarantine();
        nas = event.nas();
        state = LifecycleState.ALLOCATED;
        poolId = event.poolId();
        allocatedAt = event.allocatedAt();
    }

    @EventSourcingHandler
    void on(PrefixActivatedEvent event) {
        nas = event.nas();
        state = LifecycleState.ACTIVE;
        activatedAt = event.occurredAt();
        reason = event.reason();
    }

    @EventSourcingHandler
    void on(PrefixSuspendedEvent event) {
        nas = event.nas();
        state = LifecycleState.SUSPENDED;
        suspendedAt = event.occurredAt();
        reason = event.reason();
    }

    @EventSourcingHandler
    void on(PrefixResumedEvent event) {
        nas = event.nas();
        state = LifecycleState.ACTIVE;
        reason = event.reason();
    }

    @EventSourcingHandler
    void on(PrefixRevocationStartedEvent event) {
        nas = event.nas();
        state = LifecycleState.REVOKING;
        reason = event.reason();
    }

    @EventSourcingHandler
    void on(PrefixRevokedEvent event) {
        state = LifecycleState.REVOKED;
        quarantineUntil = event.quarantineUntil();
        revokedAt = event.occurredAt();
        reason = event.reason();
    }

    @EventSourcingHandler
    void on(PrefixActivationFailedEvent event) {
        state = LifecycleState.FAILED;
        quarantineUntil = event.quarantineUntil();
        failedAt = event.occurredAt();
        reason = event.reason();
    }

    @EventSourcingHandler
    void on(PrefixQuarantineEndedEvent event) {
        quarantineOver = true;
    }
}

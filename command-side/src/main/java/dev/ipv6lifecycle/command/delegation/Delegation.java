package dev.ipv6lifecycle.command.delegation;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocateOnFirstSightCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
import dev.ipv6lifecycle.api.delegation.DelegationEvent;
import dev.ipv6lifecycle.api.delegation.DelegationNotFoundException;
import dev.ipv6lifecycle.api.delegation.DelegationState;
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
import dev.ipv6lifecycle.api.delegation.RadiusUserNameSetEvent;
import dev.ipv6lifecycle.api.delegation.RecordNetworkCallsCommand;
import dev.ipv6lifecycle.api.delegation.ResumePrefixCommand;
import dev.ipv6lifecycle.api.delegation.RetryRevocationCommand;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.delegation.SetRadiusUserNameCommand;
import dev.ipv6lifecycle.api.delegation.SuspendPrefixCommand;
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
 * state table ({@link Lifecycle}); state changes only in the event-sourcing handler, which folds each event
 * into {@link DelegationState} exactly as every other reader of the delegation does.
 */
@Aggregate
class Delegation {

    static final String QUARANTINE_END = "quarantine-end";

    @AggregateIdentifier
    private UUID delegationId;
    /** Everything the commands check and answer with: the fold every reader of a delegation shares. */
    private DelegationState current;

    protected Delegation() {
        // Required by Axon to rebuild the aggregate from its events.
    }

    /** A delegation allocated by a command that allocates many ({@link BulkAllocation}), which chose its prefix. */
    Delegation(PrefixAllocatedEvent allocated) {
        apply(allocated);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    AllocationResult handle(AllocatePrefixCommand command, PrefixAllocator allocator) {
        PrefixAllocatedEvent allocated = allocated(command, allocator.choose(command));
        apply(allocated);
        return result(allocated, current);
    }

    static PrefixAllocatedEvent allocated(AllocatePrefixCommand command, PrefixAllocator.Choice choice) {
        return new PrefixAllocatedEvent(command.delegationId(), command.tenantId(), command.subscriberId(),
                choice.poolId(), choice.prefix(), choice.placement(), choice.reclaimedFrom(), choice.quarantine(),
                command.activate(), command.nas(), now(), command.radiusUserName());
    }

    static AllocationResult result(PrefixAllocatedEvent allocated, DelegationState state) {
        return new AllocationResult(allocated.delegationId(), allocated.poolId(), allocated.prefix(),
                allocated.placement(), state.view());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    AllocationResult handle(AllocateOnFirstSightCommand command, PrefixAllocator allocator) {
        PrefixAllocator.Choice choice = allocator.chooseOnFirstSight(command.tenantId(), command.radiusUserName());
        apply(new PrefixAllocatedEvent(command.delegationId(), command.tenantId(), command.radiusUserName(),
                choice.poolId(), choice.prefix(), choice.placement(), choice.reclaimedFrom(), choice.quarantine(),
                false, null, now(), command.radiusUserName()));
        return new AllocationResult(command.delegationId(), choice.poolId(), choice.prefix(), choice.placement(),
                current.view());
    }

    @CommandHandler
    DelegationView handle(SetRadiusUserNameCommand command) {
        checkTenant(command.tenantId());
        PrefixAllocator.validateRadiusUserName(command.radiusUserName());
        if (!command.radiusUserName().equals(current.radiusUserName())) {
            apply(new RadiusUserNameSetEvent(delegationId, current.tenantId(), command.radiusUserName(), now()));
        }
        return current.view();
    }

    @CommandHandler
    DelegationView handle(ActivatePrefixCommand command) {
        if (changes(command.tenantId(), LifecycleCommand.ACTIVATE)) {
            apply(new PrefixActivatedEvent(delegationId, current.tenantId(), session(command.nas()), command.reason(),
                    now()));
        }
        return current.view();
    }

    @CommandHandler
    DelegationView handle(SuspendPrefixCommand command) {
        if (changes(command.tenantId(), LifecycleCommand.SUSPEND)) {
            apply(new PrefixSuspendedEvent(delegationId, current.tenantId(), session(command.nas()), command.reason(),
                    now()));
        }
        return current.view();
    }

    @CommandHandler
    DelegationView handle(ResumePrefixCommand command) {
        if (changes(command.tenantId(), LifecycleCommand.RESUME)) {
            apply(new PrefixResumedEvent(delegationId, current.tenantId(), session(command.nas()), command.reason(),
                    now()));
        }
        return current.view();
    }

    @CommandHandler
    DelegationView handle(RevokePrefixCommand command) {
        if (changes(command.tenantId(), LifecycleCommand.REVOKE)) {
            apply(new PrefixRevocationStartedEvent(delegationId, current.tenantId(), current.subscriberId(),
                    current.prefix(), session(command.nas()), command.reason(), now(), current.state()));
        }
        return current.view();
    }

    @CommandHandler
    DelegationView handle(CompleteRevocationCommand command, DeadlineManager deadlines) {
        if (changes(command.tenantId(), LifecycleCommand.COMPLETE_REVOCATION)) {
            Instant now = now();
            Instant quarantineUntil = now.plus(current.quarantine());
            apply(new PrefixRevokedEvent(delegationId, current.tenantId(), current.prefix(), quarantineUntil,
                    command.reason(), now));
            deadlines.schedule(quarantineUntil, QUARANTINE_END);
        }
        return current.view();
    }

    @CommandHandler
    DelegationView handle(FailActivationCommand command, DeadlineManager deadlines) {
        if (changes(command.tenantId(), LifecycleCommand.FAIL)) {
            Instant now = now();
            Instant quarantineUntil = now.plus(current.quarantine());
            apply(new PrefixActivationFailedEvent(delegationId, current.tenantId(), current.prefix(), quarantineUntil,
                    command.reason(), now));
            deadlines.schedule(quarantineUntil, QUARANTINE_END);
        }
        return current.view();
    }

    @CommandHandler
    void handle(RetryRevocationCommand command) {
        checkTenant(command.tenantId());
        if (current.state() == LifecycleState.REVOKING) {
            apply(new PrefixRevocationRetriedEvent(delegationId, current.tenantId(), current.subscriberId(),
                    current.prefix(), current.nas(), command.reason(), now()));
        }
    }

    @CommandHandler
    void handle(RecordNetworkCallsCommand command) {
        checkTenant(command.tenantId());
        Instant now = now();
        for (RecordNetworkCallsCommand.Call call : command.calls()) {
            apply(new NetworkCallRecordedEvent(delegationId, current.tenantId(), call.step(), call.result(),
                    call.attempt(), call.detail(), now));
        }
    }

    /** The sweep's repair for a quarantine whose deadline never fired; the deadline's own path otherwise. */
    @CommandHandler
    void handle(EndQuarantineCommand command) {
        checkTenant(command.tenantId());
        if (current.quarantineUntil() != null && !now().isBefore(current.quarantineUntil())) {
            endQuarantine();
        }
    }

    @DeadlineHandler(deadlineName = QUARANTINE_END)
    void endQuarantine() {
        if (!current.quarantineOver()) {
            apply(new PrefixQuarantineEndedEvent(delegationId, current.tenantId(), current.prefix(), now()));
        }
    }

    /** Whether the command moves the delegation to another state; false for an idempotent repeat. */
    private boolean changes(String callerTenant, LifecycleCommand command) {
        checkTenant(callerTenant);
        return Lifecycle.next(delegationId, current.state(), command) != current.state();
    }

    /** Another tenant's delegation is answered exactly as an unknown one. */
    private void checkTenant(String callerTenant) {
        if (!current.tenantId().equals(callerTenant)) {
            throw new DelegationNotFoundException(delegationId);
        }
    }

    private NasSession session(NasSession given) {
        return given != null ? given : current.nas();
    }

    /** Event times in microseconds: what PostgreSQL keeps, so every view of an event shows the same time. */
    private static Instant now() {
        return GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @EventSourcingHandler
    void on(DelegationEvent event) {
        delegationId = event.delegationId();
        current = DelegationState.when(current, event);
    }
}

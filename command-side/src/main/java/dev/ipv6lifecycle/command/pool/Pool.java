package dev.ipv6lifecycle.command.pool;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.delegation.DelegatedLengths;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.api.pool.DrainPoolCommand;
import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import dev.ipv6lifecycle.api.pool.PoolDrainedEvent;
import dev.ipv6lifecycle.api.pool.PoolOverlapException;
import dev.ipv6lifecycle.api.pool.PoolRetiredEvent;
import dev.ipv6lifecycle.api.pool.PoolState;
import dev.ipv6lifecycle.api.pool.PoolUndrainedEvent;
import dev.ipv6lifecycle.api.pool.RetirePoolCommand;
import dev.ipv6lifecycle.api.pool.UndrainPoolCommand;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A tenant's pool of IPv6 space. Allocations do not pass through it (that would serialise a whole pool
 * on one aggregate); they read the pool registry that its events keep, in the same transaction.
 */
@Aggregate
class Pool {

    static final Duration DEFAULT_QUARANTINE = Duration.ofDays(1);
    static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(24);

    @AggregateIdentifier
    private UUID poolId;
    private String tenantId;
    private PoolState state;

    protected Pool() {
        // Required by Axon to rebuild the aggregate from its events.
    }

    @CommandHandler
    Pool(CreatePoolCommand command, PoolRegistry registry) {
        List<Integer> lengths = validLengths(command);
        Duration quarantine = command.quarantine() != null ? command.quarantine() : DEFAULT_QUARANTINE;
        Duration staleAfter = command.staleAfter() != null ? command.staleAfter() : DEFAULT_STALE_AFTER;
        if (quarantine.isNegative()) {
            throw DomainRejection.invalid("quarantine must not be negative");
        }
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw DomainRejection.invalid("staleAfter must be positive");
        }
        registry.overlapping(command.tenantId(), command.prefix()).ifPresent(existing -> {
            throw new PoolOverlapException(command.prefix(), existing);
        });
        apply(new PoolCreatedEvent(command.poolId(), command.tenantId(), command.name().strip(), command.prefix(),
                lengths, command.defaultLength(), quarantine, staleAfter, now(),
                Boolean.TRUE.equals(command.allocateOnFirstSight()) ? Boolean.TRUE : null));
    }

    private static List<Integer> validLengths(CreatePoolCommand command) {
        if (command.tenantId() == null || command.tenantId().isBlank()) {
            throw DomainRejection.invalid("tenantId is required");
        }
        if (command.name() == null || command.name().isBlank()) {
            throw DomainRejection.invalid("name is required");
        }
        if (command.prefix() == null) {
            throw DomainRejection.invalid("prefix is required");
        }
        if (command.delegatedLengths() == null || command.delegatedLengths().isEmpty()) {
            throw DomainRejection.invalid("delegatedLengths must name at least one length");
        }
        List<Integer> lengths = command.delegatedLengths().stream().sorted().toList();
        for (int length : lengths) {
            if (length < DelegatedLengths.SHORTEST || length > DelegatedLengths.LONGEST) {
                throw DomainRejection.invalid("delegated length /" + length + " is outside /"
                        + DelegatedLengths.SHORTEST + "../" + DelegatedLengths.LONGEST);
            }
            if (length <= command.prefix().length()) {
                throw DomainRejection.invalid("delegated length /" + length + " does not fit in the pool "
                        + command.prefix() + "; it must be longer than /" + command.prefix().length());
            }
        }
        if (!lengths.contains(command.defaultLength())) {
            throw DomainRejection.invalid("defaultLength /" + command.defaultLength()
                    + " is not one of the delegated lengths " + lengths);
        }
        return lengths;
    }

    @CommandHandler
    void handle(DrainPoolCommand command) {
        requireTenant(command.tenantId());
        requireNotRetired("drain");
        if (state == PoolState.ACTIVE) {
            apply(new PoolDrainedEvent(poolId, tenantId, command.reason(), now()));
        }
    }

    @CommandHandler
    void handle(UndrainPoolCommand command) {
        requireTenant(command.tenantId());
        requireNotRetired("undrain");
        if (state == PoolState.DRAINING) {
            apply(new PoolUndrainedEvent(poolId, tenantId, command.reason(), now()));
        }
    }

    @CommandHandler
    void handle(RetirePoolCommand command, PoolRegistry registry) {
        requireTenant(command.tenantId());
        if (state == PoolState.RETIRED) {
            return;
        }
        long held = registry.lockAndCountHeld(poolId);
        if (held > 0) {
            throw DomainRejection.conflict("pool " + poolId + " still holds " + held
                    + " live or quarantined prefixes; drain it and wait until it is empty");
        }
        apply(new PoolRetiredEvent(poolId, tenantId, command.reason(), now()));
    }

    private void requireTenant(String callerTenant) {
        if (!tenantId.equals(callerTenant)) {
            throw DomainRejection.notFound("no pool " + poolId);
        }
    }

    private void requireNotRetired(String action) {
        if (state == PoolState.RETIRED) {
            throw DomainRejection.conflict("cannot " + action + " pool " + poolId + ": it is RETIRED");
        }
    }

    /** Event times in microseconds: what PostgreSQL keeps, so every view of an event shows the same time. */
    private static Instant now() {
        return GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @EventSourcingHandler
    void on(PoolCreatedEvent event) {
        poolId = event.poolId();
        tenantId = event.tenantId();
        state = PoolState.ACTIVE;
    }

    @EventSourcingHandler
    void on(PoolDrainedEvent event) {
        state = PoolState.DRAINING;
    }

    @EventSourcingHandler
    void on(PoolUndrainedEvent event) {
        state = PoolState.ACTIVE;
    }

    @EventSourcingHandler
    void on(PoolRetiredEvent event) {
        state = PoolState.RETIRED;
    }
}

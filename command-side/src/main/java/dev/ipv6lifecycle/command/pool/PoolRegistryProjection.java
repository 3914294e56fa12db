package dev.ipv6lifecycle.command.pool;

import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import dev.ipv6lifecycle.api.pool.PoolDrainedEvent;
import dev.ipv6lifecycle.api.pool.PoolRetiredEvent;
import dev.ipv6lifecycle.api.pool.PoolState;
import dev.ipv6lifecycle.api.pool.PoolUndrainedEvent;
import dev.ipv6lifecycle.command.InTransactionGroups;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps the pool registry in step with pool events, in the command's own transaction (a subscribing
 * processor with errors propagated): an overlapping pool refused by PostgreSQL stores no event.
 */
@Component
@ProcessingGroup(InTransactionGroups.POOL_REGISTRY)
class PoolRegistryProjection {

    private final PoolRegistry registry;

    PoolRegistryProjection(PoolRegistry registry) {
        this.registry = registry;
    }

    @EventHandler
    void on(PoolCreatedEvent event) {
        registry.add(event);
    }

    @EventHandler
    void on(PoolDrainedEvent event) {
        registry.changeState(event.poolId(), PoolState.DRAINING);
    }

    @EventHandler
    void on(PoolUndrainedEvent event) {
        registry.changeState(event.poolId(), PoolState.ACTIVE);
    }

    @EventHandler
    void on(PoolRetiredEvent event) {
        registry.changeState(event.poolId(), PoolState.RETIRED);
    }
}

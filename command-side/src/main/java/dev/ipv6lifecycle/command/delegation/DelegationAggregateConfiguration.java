package dev.ipv6lifecycle.command.delegation;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.AggregateFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How a {@link Delegation} is instantiated before its events are applied: by its constructor, where Axon's Spring
 * integration would create each one as a Spring prototype bean, with the bean factory's lookups and
 * post-processing, for an aggregate that has nothing to inject (its handlers take what they need as parameters).
 * That was three tenths of loading a delegation, the larger part of every transition's command (BENCHMARKS.md).
 * Axon uses the bean of this name instead of the one it would register.
 */
@Configuration(proxyBeanMethods = false)
class DelegationAggregateConfiguration {

    @Bean
    AggregateFactory<Delegation> delegationAggregateFactory() {
        return new AggregateFactory<>() {
            @Override
            public Delegation createAggregateRoot(String aggregateIdentifier, DomainEventMessage<?> firstEvent) {
                return new Delegation(); // no snapshots: the first event is always the allocation, applied next
            }

            @Override
            public Class<Delegation> getAggregateType() {
                return Delegation.class;
            }
        };
    }
}

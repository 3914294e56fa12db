package dev.ipv6lifecycle.query;

import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jpa.JpaSequencedDeadLetterQueue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every projection runs in a pooled streaming processor of its own, reading the event store after the
 * commands' transactions, with its token updated in the same transaction as its rows.
 *
 * <p>Each group has a dead-letter queue ({@code dead_letter_entry}): an event its handlers fail on is
 * parked there with the later events of the same delegation or pool, instead of stopping the processor
 * or being skipped with a log line (Axon's default for event handlers). Registered here rather than with
 * {@code axon.eventhandling.processors.<group>.dlq.enabled}: that property also makes Spring Boot
 * register a processor of that name (tracking, unless the mode is set too), which would clash with the
 * pooled processor registered here. A reset clears the group's dead letters: the replay meets those events
 * again, and retrying the old letters afterwards would apply them a second time, out of order.
 *
 * <p>Only failures in Java reach the queue: a failed SQL statement aborts the PostgreSQL transaction that
 * the dead letter would be written in, so the batch rolls back and is retried, which is what a database
 * outage needs. The handlers therefore check an event's payload before they write anything.
 */
@Configuration(proxyBeanMethods = false)
class QuerySideProcessingConfiguration {

    /** Events per transaction; a replay is bound by these writes, so it pays to commit them together. */
    static final int BATCH_SIZE = 100;

    @Bean
    ConfigurerModule querySideProcessors(EntityManagerProvider entityManagerProvider,
                                         TransactionManager transactionManager) {
        return configurer -> configurer.eventProcessing(processing -> Projections.ALL.forEach(group -> processing
                .registerPooledStreamingEventProcessor(group, configuration -> configuration.eventStore(),
                        (configuration, processor) -> processor.batchSize(BATCH_SIZE))
                .registerDeadLetterQueue(group, configuration -> JpaSequencedDeadLetterQueue.<EventMessage<?>>builder()
                        .processingGroup(group)
                        .entityManagerProvider(entityManagerProvider)
                        .transactionManager(transactionManager)
                        .genericSerializer(configuration.serializer())
                        .eventSerializer(configuration.eventSerializer())
                        .build())
                .registerDeadLetteringEventHandlerInvokerConfiguration(group,
                        (configuration, invoker) -> invoker.allowReset(true))));
    }
}

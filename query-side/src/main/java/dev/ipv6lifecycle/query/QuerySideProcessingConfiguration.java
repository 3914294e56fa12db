package dev.ipv6lifecycle.query;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * Events per transaction at most; a replay is bound by the projections' writes, which
     * {@link ProjectionWriter} sends as JDBC batches when the transaction commits, so it pays to commit many
     * events together. Live traffic is unaffected: a batch holds only the events already there.
     */
    static final int BATCH_SIZE = 1000;

    @Bean
    ConfigurerModule querySideProcessors(EntityManagerProvider entityManagerProvider,
                                         TransactionManager transactionManager) {
        // One source for the three processors: it wakes them after each local commit (see its comment).
        AtomicReference<CommitNotifyingEventSource> source = new AtomicReference<>();
        return configurer -> {
            configurer.onShutdown(() -> Optional.ofNullable(source.get()).ifPresent(CommitNotifyingEventSource::shutdown));
            configurer.eventProcessing(processing -> Projections.ALL.forEach(group -> processing
                .registerPooledStreamingEventProcessor(group, configuration -> shared(source, configuration),
                        (configuration, processor) -> processor.batchSize(BATCH_SIZE))
                .registerDeadLetterQueue(group, configuration -> JpaSequencedDeadLetterQueue.<EventMessage<?>>builder()
                        .processingGroup(group)
                        .entityManagerProvider(entityManagerProvider)
                        .transactionManager(transactionManager)
                        .genericSerializer(configuration.serializer())
                        .eventSerializer(configuration.eventSerializer())
                        .build())
                .registerDeadLetteringEventHandlerInvokerConfiguration(group,
                        (configuration, invoker) -> invoker.allowReset(true)
                                // Without it, every event costs a query asking the queue whether its
                                // sequence is parked; the cache is per segment and dropped with the claim.
                                .enableSequenceIdentifierCache())));
        };
    }

    private static CommitNotifyingEventSource shared(AtomicReference<CommitNotifyingEventSource> source,
                                                     org.axonframework.config.Configuration configuration) {
        synchronized (source) {
            if (source.get() == null) {
                source.set(new CommitNotifyingEventSource(configuration.eventStore()));
            }
            return source.get();
        }
    }
}

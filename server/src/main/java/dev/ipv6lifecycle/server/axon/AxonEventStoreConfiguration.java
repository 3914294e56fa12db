package dev.ipv6lifecycle.server.axon;

import java.util.stream.Stream;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's JDBC event storage engine on the tables of V1 (which JPA created the names of), instead of the JPA
 * engine the auto-configuration would pick. Both write the same rows; JDBC appends an event in one
 * statement (the global index comes from the column's default, V9) where JPA first asked for the next value
 * of the sequence, and reads events without Hibernate's entity bookkeeping, which was a measurable share of
 * the service's CPU (BENCHMARKS.md). The connection is Spring's transactional one, so events, the command
 * side's tables, tokens and projections still commit together.
 *
 * <p>Events per query ({@code ipv6.event-store.batch-size}): Axon's default of 100 makes a rebuild of the read
 * side issue a query per 100 events and processor; 1,000 was measured to matter. Duplicate keys are
 * recognised by the {@link PersistenceExceptionResolver} Axon's JPA auto-configuration provides (PostgreSQL's
 * SQLSTATE 23505), so a concurrent append to one aggregate is a {@code ConcurrencyException}, as before.
 * Loading an aggregate costs one query: no snapshot lookup, no trailing empty batch.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventStoreSettings.class)
class AxonEventStoreConfiguration {

    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          EventStoreSettings settings) {
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(snakeCaseSchema())
                .dataType(byte[].class)
                .batchSize(settings.batchSize())
                // A batch shorter than asked for is the aggregate's last: no extra query that returns nothing.
                .finalAggregateBatchPredicate(batch -> batch.size() < settings.batchSize());
        return new WithoutSnapshots(builder);
    }

    /**
     * The service takes no snapshots (its aggregates hold a handful of events), so loading an aggregate does
     * not ask for one: Axon would otherwise query the snapshot table before every command on an existing
     * delegation or pool.
     */
    static final class WithoutSnapshots extends JdbcEventStorageEngine {

        WithoutSnapshots(Builder builder) {
            super(builder);
        }

        @Override
        protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
            return Stream.empty();
        }
    }

    /** The names V1 gave the tables and columns (Hibernate's naming of Axon's JPA entities). */
    private static EventSchema snakeCaseSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }
}

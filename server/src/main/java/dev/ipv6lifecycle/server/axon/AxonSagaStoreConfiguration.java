package dev.ipv6lifecycle.server.axon;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.serialization.Serializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's JDBC saga store on the tables of V1, instead of the JPA store the auto-configuration would pick. A saga
 * processor asks the store for the sagas associated with every event it handles, even when the saga is already
 * loaded in its batch; through JPA that was a Hibernate query with an automatic flush of the persistence
 * context each time, 30 % of the revocation saga's processor in the lifecycle profile (BENCHMARKS.md). Here it
 * is one prepared statement. The rows are the same (the saga serialised by the same serializer, its type and
 * revision, one row per association), so sagas stored by an earlier build carry on; an association's id now
 * comes from the column's default (V18). The connection is Spring's transactional one, so a batch's saga
 * changes commit with its token.
 */
@Configuration(proxyBeanMethods = false)
class AxonSagaStoreConfiguration {

    @Bean
    SagaStore<Object> sagaStore(ConnectionProvider connectionProvider, Serializer serializer) {
        return JdbcSagaStore.builder()
                .connectionProvider(connectionProvider)
                .sqlSchema(new PostgresSagaSqlSchema(snakeCaseSchema()))
                .serializer(serializer)
                .build();
    }

    /** The names V1 gave the tables and columns (Hibernate's naming of Axon's JPA entities). */
    private static SagaSchema snakeCaseSchema() {
        return SagaSchema.builder()
                .sagaEntryTable("saga_entry")
                .associationValueEntryTable("association_value_entry")
                .sagaIdColumn("saga_id")
                .sagaTypeColumn("saga_type")
                .revisionColumn("revision")
                .serializedSagaColumn("serialized_saga")
                .associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .build();
    }
}

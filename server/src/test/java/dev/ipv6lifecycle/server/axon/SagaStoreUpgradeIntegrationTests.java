package dev.ipv6lifecycle.server.axon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.server.IntegrationTest;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValuesImpl;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jpa.JpaSagaStore;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sagas stored by an earlier build, through Axon's JPA store, carry on in the JDBC store of this one (V18), and
 * while both builds run side by side during an upgrade each reads what the other wrote and their associations'
 * ids never collide.
 */
@IntegrationTest
class SagaStoreUpgradeIntegrationTests {

    /** Stands in for a saga: the stores only serialise it, by the serializer the service stores sagas with. */
    record WaitingSaga(String delegationId, int step) {
    }

    private final SagaStore<Object> store;
    private final JpaSagaStore previousBuild;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;

    @Autowired
    SagaStoreUpgradeIntegrationTests(SagaStore<Object> store, EntityManagerProvider entityManagers,
                                     Serializer serializer, PlatformTransactionManager transactionManager,
                                     JdbcTemplate jdbc) {
        this.store = store;
        this.previousBuild = JpaSagaStore.builder().entityManagerProvider(entityManagers).serializer(serializer)
                .build();
        this.transactions = new TransactionTemplate(transactionManager);
        this.jdbc = jdbc;
    }

    @Test
    void aSagaThePreviousBuildStoredIsFoundLoadedUpdatedAndEndedByThisOne() {
        assertThat(store).as("this build's store").isInstanceOf(JdbcSagaStore.class);
        String sagaId = UUID.randomUUID().toString();
        AssociationValue delegation = association("delegationId");
        inTransaction(() -> {
            previousBuild.insertSaga(WaitingSaga.class, sagaId, new WaitingSaga(delegation.getValue(), 0),
                    Set.of(delegation));
            return null;
        });

        assertThat(inTransaction(() -> store.findSagas(WaitingSaga.class, delegation))).containsExactly(sagaId);
        SagaStore.Entry<WaitingSaga> loaded = inTransaction(() -> store.loadSaga(WaitingSaga.class, sagaId));
        assertThat(loaded.saga()).isEqualTo(new WaitingSaga(delegation.getValue(), 0));
        assertThat(loaded.associationValues()).containsExactly(delegation);

        AssociationValue session = association("sessionId");
        AssociationValuesImpl associations = new AssociationValuesImpl(Set.of(delegation));
        associations.add(session);
        inTransaction(() -> {
            store.updateSaga(WaitingSaga.class, sagaId, new WaitingSaga(delegation.getValue(), 1), associations);
            return null;
        });
        SagaStore.Entry<WaitingSaga> readBack = inTransaction(() -> previousBuild.loadSaga(WaitingSaga.class, sagaId));
        assertThat(readBack.saga().step()).as("the previous build reads this one's update").isEqualTo(1);
        assertThat(readBack.associationValues()).containsExactlyInAnyOrder(delegation, session);

        inTransaction(() -> {
            store.deleteSaga(WaitingSaga.class, sagaId, Set.of(delegation, session));
            return null;
        });
        assertThat(inTransaction(() -> store.findSagas(WaitingSaga.class, session))).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM saga_entry WHERE saga_id = ?", Long.class, sagaId))
                .isZero();
    }

    @Test
    void associationsWrittenByBothBuildsInTurnGetDistinctIds() {
        Set<String> sagaIds = new HashSet<>();
        for (int round = 0; round < 60; round++) { // past Hibernate's block of 50 ids, so that it asks again
            SagaStore<Object> writer = round % 3 == 0 ? store : previousBuild;
            String sagaId = UUID.randomUUID().toString();
            AssociationValue delegation = association("delegationId");
            inTransaction(() -> {
                writer.insertSaga(WaitingSaga.class, sagaId, new WaitingSaga(delegation.getValue(), 0),
                        Set.of(delegation));
                return null;
            });
            sagaIds.add(sagaId);
        }

        // A repeated id would have failed an insert on the primary key; every saga is there with its association.
        for (String sagaId : sagaIds) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM association_value_entry WHERE saga_id = ?",
                    Long.class, sagaId)).isOne();
        }
    }

    private static AssociationValue association(String key) {
        return new AssociationValue(key, UUID.randomUUID().toString());
    }

    private <T> T inTransaction(Supplier<T> work) {
        return transactions.execute(status -> work.get());
    }
}

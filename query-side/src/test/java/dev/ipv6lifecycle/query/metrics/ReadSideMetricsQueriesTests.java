package dev.ipv6lifecycle.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.query.Projections;
import dev.ipv6lifecycle.query.QuerySideFixture;
import dev.ipv6lifecycle.query.TestEvents;
import dev.ipv6lifecycle.query.TestEvents.Delegation;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.KnownPool;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.PrefixCount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The read side's share of the gauges: the known pools, and delegations per state as the projection leaves them. */
class ReadSideMetricsQueriesTests {

    private static final String TENANT = "isp-a";
    private static final Instant T0 = Instant.parse("2026-03-14T10:00:00Z");

    private final UUID pool = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private QuerySideFixture fixture;
    private ReadSideMetricsQueries queries;

    @BeforeEach
    void twoPools() {
        fixture = QuerySideFixture.onFreshDatabase();
        queries = new ReadSideMetricsQueries(fixture.jdbc());
        fixture.apply(TestEvents.poolCreated(pool, TENANT, "2001:db8::/48", List.of(56, 64), T0),
                TestEvents.poolCreated(other, "isp-b", "2001:db8:1::/48", List.of(48, 56), T0));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anEmptyPoolShowsEveryStateAtZero() {
        ReadSideSnapshot snapshot = snapshot();

        assertThat(snapshot.prefixes()).filteredOn(count -> count.poolId().equals(pool)).hasSize(6)
                .allMatch(count -> count.count() == 0 && count.tenantId().equals(TENANT));
        assertThat(snapshot.prefixes()).extracting(PrefixCount::state).doesNotContain("PENDING");
        assertThat(snapshot.pools()).containsExactlyInAnyOrder(new KnownPool(TENANT, pool, 48, List.of(56, 64)),
                new KnownPool("isp-b", other, 48, List.of(48, 56)));
    }

    @Test
    void countsDelegationsPerStateAsTheProjectionMovesThem() {
        fixture.apply(workload().toArray());

        assertThat(states(snapshot(), pool)).isEqualTo(Map.of("ALLOCATED", 0L, "ACTIVE", 1L, "SUSPENDED", 1L,
                "REVOKING", 0L, "REVOKED", 2L, "FAILED", 1L));
        assertThat(states(snapshot(), other)).containsOnlyKeys("ALLOCATED", "ACTIVE", "SUSPENDED", "REVOKING",
                "REVOKED", "FAILED").allSatisfy((state, count) -> assertThat(count).isZero());
    }

    @Test
    void anEventDeliveredAgainChangesNoCount() {
        List<DomainEventMessage<?>> messages = fixture.apply(workload().toArray());
        Map<String, Long> once = states(snapshot(), pool);

        messages.forEach(fixture::deliver);

        assertThat(states(snapshot(), pool)).isEqualTo(once);
        assertThat(fixture.jdbc().queryForObject("SELECT count(*) FROM delegation_count_delta", Long.class))
                .as("updates that changed no state leave no delta").isZero();
    }

    @Test
    void aResetEmptiesTheCountsAndAReplayRebuildsThem() {
        List<DomainEventMessage<?>> messages = fixture.apply(workload().toArray());
        Map<String, Long> before = states(snapshot(), pool);

        fixture.reset(Projections.DELEGATIONS);
        assertThat(states(snapshot(), pool)).allSatisfy((state, count) -> assertThat(count).isZero());

        messages.forEach(fixture::deliver);
        assertThat(states(snapshot(), pool)).isEqualTo(before);
    }

    @Test
    void theTotalsEqualTheRowsWhateverTheNumberOfFolds() {
        fixture.apply(workload().toArray());

        snapshot();
        snapshot();

        assertThat(fixture.jdbc().queryForObject("SELECT sum(n) FROM delegation_count", Long.class))
                .isEqualTo(fixture.jdbc().queryForObject("SELECT count(*) FROM delegation_view", Long.class));
    }

    /** As the gauges take it: in a transaction of its own (the service's proxy of the @Transactional method). */
    private ReadSideSnapshot snapshot() {
        return new TransactionTemplate(new DataSourceTransactionManager(fixture.jdbc().getDataSource()))
                .execute(status -> queries.snapshot());
    }

    private static Map<String, Long> states(ReadSideSnapshot snapshot, UUID poolId) {
        return snapshot.prefixes().stream().filter(count -> count.poolId().equals(poolId))
                .collect(Collectors.toMap(PrefixCount::state, PrefixCount::count));
    }

    /** Five delegations of the pool, ending in five different states (one released from quarantine). */
    private List<Object> workload() {
        Delegation active = Delegation.of(TENANT, "sub-1", pool, "2001:db8:0:100::/56");
        Delegation suspended = Delegation.of(TENANT, "sub-2", pool, "2001:db8:0:200::/64");
        Delegation revoked = Delegation.of(TENANT, "sub-3", pool, "2001:db8:0:300::/56");
        Delegation failed = Delegation.of(TENANT, "sub-4", pool, "2001:db8:0:201::/64");
        Delegation released = Delegation.of(TENANT, "sub-5", pool, "2001:db8:0:400::/56");
        List<Object> events = new ArrayList<>(List.of(active.allocated(T0), active.activated(T0),
                suspended.allocated(T0), suspended.activated(T0), suspended.suspended("unpaid", T0),
                revoked.allocated(T0), revoked.revocationStarted(null, T0), revoked.revoked(T0),
                failed.allocated(T0), failed.activationFailed("NAS refused", T0),
                released.allocated(T0), released.revocationStarted(null, T0), released.revoked(T0),
                released.quarantineEnded(T0.plus(TestEvents.QUARANTINE))));
        return events;
    }
}

package dev.ipv6lifecycle.query.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.api.pool.FindPoolQuery;
import dev.ipv6lifecycle.api.pool.ListPoolsQuery;
import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import dev.ipv6lifecycle.api.pool.PoolDrainedEvent;
import dev.ipv6lifecycle.api.pool.PoolRetiredEvent;
import dev.ipv6lifecycle.api.pool.PoolState;
import dev.ipv6lifecycle.api.pool.PoolUndrainedEvent;
import dev.ipv6lifecycle.api.pool.PoolView;
import dev.ipv6lifecycle.query.Projections;
import dev.ipv6lifecycle.query.QuerySideFixture;
import dev.ipv6lifecycle.query.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool projection and its queries (capacity has tests of its own), on PostgreSQL. */
class PoolProjectionTests {

    private static final String TENANT = "isp-a";
    private static final Instant T0 = Instant.parse("2026-03-14T10:00:00Z");

    private QuerySideFixture fixture;

    @BeforeEach
    void freshDatabase() {
        fixture = QuerySideFixture.onFreshDatabase();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void showsAPoolWithTheParametersItWasCreatedWith() {
        UUID pool = UUID.randomUUID();
        fixture.apply(new PoolCreatedEvent(pool, TENANT, "Berlin", Ipv6Prefix.parse("2001:db8::/40"), List.of(48, 56, 64),
                56, Duration.ofSeconds(2), Duration.ofMinutes(90), T0));

        PoolView view = find(TENANT, pool).orElseThrow();

        assertThat(view.id()).isEqualTo(pool);
        assertThat(view.name()).isEqualTo("Berlin");
        assertThat(view.prefix()).isEqualTo(Ipv6Prefix.parse("2001:db8::/40"));
        assertThat(view.delegatedLengths()).containsExactly(48, 56, 64);
        assertThat(view.defaultLength()).isEqualTo(56);
        assertThat(view.quarantine()).isEqualTo(Duration.ofSeconds(2));
        assertThat(view.staleAfter()).isEqualTo(Duration.ofMinutes(90));
        assertThat(view.state()).isEqualTo(PoolState.ACTIVE);
        assertThat(view.capacity()).containsOnlyKeys(48, 56, 64);
        assertThat(view.utilizationPercent()).isZero();
    }

    @Test
    void followsThePoolThroughDrainingUndrainingAndRetirement() {
        UUID pool = UUID.randomUUID();
        fixture.apply(TestEvents.poolCreated(pool, TENANT, "2001:db8::/48", List.of(56), T0));

        fixture.apply(new PoolDrainedEvent(pool, TENANT, "renumbering", T0.plusSeconds(1)));
        assertThat(find(TENANT, pool).orElseThrow().state()).isEqualTo(PoolState.DRAINING);
        fixture.apply(new PoolUndrainedEvent(pool, TENANT, null, T0.plusSeconds(2)));
        assertThat(find(TENANT, pool).orElseThrow().state()).isEqualTo(PoolState.ACTIVE);
        fixture.apply(new PoolDrainedEvent(pool, TENANT, null, T0.plusSeconds(3)),
                new PoolRetiredEvent(pool, TENANT, "empty", T0.plusSeconds(4)));
        assertThat(find(TENANT, pool).orElseThrow().state()).isEqualTo(PoolState.RETIRED);
    }

    @Test
    void findsNothingForAnotherTenantsPool() {
        UUID pool = UUID.randomUUID();
        fixture.apply(TestEvents.poolCreated(pool, TENANT, "2001:db8::/48", List.of(56), T0));

        assertThat(find("isp-b", pool)).isEmpty();
        assertThat(find(TENANT, UUID.randomUUID())).isEmpty();
    }

    @Test
    void listsTheTenantsPoolsOldestFirstInPages() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        fixture.apply(TestEvents.poolCreated(second, TENANT, "2001:db8:2::/48", List.of(56), T0.plusSeconds(2)),
                TestEvents.poolCreated(first, TENANT, "2001:db8:1::/48", List.of(56), T0.plusSeconds(1)),
                TestEvents.poolCreated(third, TENANT, "2001:db8:3::/48", List.of(56), T0.plusSeconds(3)),
                TestEvents.poolCreated(UUID.randomUUID(), "isp-b", "2001:db8:1::/48", List.of(56), T0));

        Page<PoolView> firstPage = list(new ListPoolsQuery(TENANT, 0, 2));
        Page<PoolView> secondPage = list(new ListPoolsQuery(TENANT, 1, 2));

        assertThat(firstPage.content()).extracting(PoolView::id).containsExactly(first, second);
        assertThat(secondPage.content()).extracting(PoolView::id).containsExactly(third);
        assertThat(secondPage.content().get(0).capacity()).as("listed pools carry their capacity").containsOnlyKeys(56);
        assertThat(firstPage.totalElements()).isEqualTo(3);
    }

    @Test
    void changesNothingWhenAPoolEventIsDeliveredAgain() {
        UUID pool = UUID.randomUUID();
        List<DomainEventMessage<?>> events = fixture.apply(
                TestEvents.poolCreated(pool, TENANT, "2001:db8::/48", List.of(56), T0),
                new PoolDrainedEvent(pool, TENANT, null, T0.plusSeconds(1)),
                new PoolUndrainedEvent(pool, TENANT, null, T0.plusSeconds(2)));
        List<String> before = rows();

        events.forEach(fixture::deliver);

        assertThat(rows()).isEqualTo(before);
        assertThat(find(TENANT, pool).orElseThrow().state()).isEqualTo(PoolState.ACTIVE);
    }

    @Test
    void aResetEmptiesThePoolsAndNothingElse() {
        UUID pool = UUID.randomUUID();
        fixture.apply(TestEvents.poolCreated(pool, TENANT, "2001:db8::/48", List.of(56), T0),
                TestEvents.Delegation.of(TENANT, "sub-1", pool, "2001:db8::/56").allocated(T0));

        fixture.reset(Projections.POOLS);

        assertThat(fixture.jdbc().queryForObject("SELECT count(*) FROM pool_view", Long.class)).isZero();
        assertThat(fixture.jdbc().queryForObject("SELECT count(*) FROM delegation_view", Long.class)).isOne();
        assertThat(fixture.jdbc().queryForObject("SELECT count(*) FROM assignment_history", Long.class)).isOne();
    }

    private Optional<PoolView> find(String tenant, UUID pool) {
        return fixture.query(new FindPoolQuery(tenant, pool), ResponseTypes.optionalInstanceOf(PoolView.class));
    }

    @SuppressWarnings("unchecked")
    private Page<PoolView> list(ListPoolsQuery query) {
        return fixture.query(query, ResponseTypes.instanceOf(Page.class));
    }

    /** Every row as PostgreSQL prints it: comparable, unlike the driver's objects for cidr, interval and arrays. */
    private List<String> rows() {
        return fixture.jdbc().queryForList("SELECT t::text FROM pool_view t ORDER BY pool_id", String.class);
    }
}

package dev.ipv6lifecycle.query.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.FindDelegationQuery;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.ListDelegationsQuery;
import dev.ipv6lifecycle.api.delegation.SubscriberStatus;
import dev.ipv6lifecycle.api.delegation.SubscriberStatusQuery;
import dev.ipv6lifecycle.query.Projections;
import dev.ipv6lifecycle.query.QuerySideFixture;
import dev.ipv6lifecycle.query.TestEvents;
import dev.ipv6lifecycle.query.TestEvents.Delegation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delegation projection and its queries, on PostgreSQL with the real migrations. */
class DelegationProjectionTests {

    private static final String TENANT = "isp-a";
    private static final UUID POOL = UUID.randomUUID();
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
    void recordsTheStateAndTimeOfEveryTransition() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:100::/56");

        fixture.apply(d.allocated(T0));
        assertThat(find(d)).get().satisfies(view -> {
            assertThat(view.state()).isEqualTo(LifecycleState.ALLOCATED);
            assertThat(view.subscriberId()).isEqualTo("sub-1");
            assertThat(view.poolId()).isEqualTo(POOL);
            assertThat(view.prefix()).isEqualTo(Ipv6Prefix.parse("2001:db8:0:100::/56"));
            assertThat(view.prefixLength()).isEqualTo(56);
            assertThat(view.allocatedAt()).isEqualTo(T0);
            assertThat(view.activatedAt()).isNull();
            assertThat(view.quarantineUntil()).isNull();
        });

        fixture.apply(d.activated(T0.plusSeconds(1)));
        assertThat(find(d).orElseThrow()).extracting(DelegationView::state, DelegationView::activatedAt)
                .containsExactly(LifecycleState.ACTIVE, T0.plusSeconds(1));

        fixture.apply(d.suspended("unpaid", T0.plusSeconds(2)));
        assertThat(find(d).orElseThrow()).extracting(DelegationView::state, DelegationView::suspendedAt,
                DelegationView::reason).containsExactly(LifecycleState.SUSPENDED, T0.plusSeconds(2), "unpaid");

        fixture.apply(d.resumed(T0.plusSeconds(3)));
        assertThat(find(d).orElseThrow()).as("a resumption keeps the first activation and the last suspension")
                .extracting(DelegationView::state, DelegationView::activatedAt, DelegationView::suspendedAt,
                        DelegationView::reason)
                .containsExactly(LifecycleState.ACTIVE, T0.plusSeconds(1), T0.plusSeconds(2), null);

        fixture.apply(d.revocationStarted("moved", T0.plusSeconds(4)));
        assertThat(find(d).orElseThrow()).extracting(DelegationView::state, DelegationView::revokedAt,
                DelegationView::reason).containsExactly(LifecycleState.REVOKING, null, "moved");

        fixture.apply(d.revoked(T0.plusSeconds(5)));
        assertThat(find(d).orElseThrow()).extracting(DelegationView::state, DelegationView::revokedAt,
                        DelegationView::quarantineUntil)
                .containsExactly(LifecycleState.REVOKED, T0.plusSeconds(5), T0.plusSeconds(5).plus(TestEvents.QUARANTINE));

        fixture.apply(d.quarantineEnded(T0.plus(TestEvents.QUARANTINE).plusSeconds(5)));
        assertThat(find(d).orElseThrow()).as("the end of the quarantine is no transition; its time stays as information")
                .extracting(DelegationView::state, DelegationView::quarantineUntil)
                .containsExactly(LifecycleState.REVOKED, T0.plusSeconds(5).plus(TestEvents.QUARANTINE));
    }

    @Test
    void recordsAFailedActivationWithItsReasonAndQuarantine() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:100::/56");

        fixture.apply(d.allocated(T0), d.activationFailed("NAS unreachable", T0.plusSeconds(30)));

        assertThat(find(d).orElseThrow()).extracting(DelegationView::state, DelegationView::failedAt,
                        DelegationView::reason, DelegationView::quarantineUntil)
                .containsExactly(LifecycleState.FAILED, T0.plusSeconds(30), "NAS unreachable",
                        T0.plusSeconds(30).plus(TestEvents.QUARANTINE));
    }

    @Test
    void keepsTimesToTheMicrosecondAsPostgresqlDoes() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:100::/56");

        fixture.apply(d.allocated(Instant.parse("2026-03-14T10:00:00.123456789Z")));

        assertThat(find(d).orElseThrow().allocatedAt()).isEqualTo(Instant.parse("2026-03-14T10:00:00.123456Z"));
    }

    @Test
    void findsNothingForAnotherTenantsDelegationOrAnUnknownOne() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:100::/56");
        fixture.apply(d.allocated(T0));

        assertThat(fixture.query(new FindDelegationQuery("isp-b", d.id()),
                ResponseTypes.optionalInstanceOf(DelegationView.class))).isEmpty();
        assertThat(fixture.query(new FindDelegationQuery(TENANT, UUID.randomUUID()),
                ResponseTypes.optionalInstanceOf(DelegationView.class))).isEmpty();
    }

    @Test
    void showsASubscriberWithoutALiveDelegationAsPending() {
        Delegation ended = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:100::/56");
        Delegation failed = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:200::/56");
        fixture.apply(ended.allocated(T0), ended.revocationStarted(null, T0.plusSeconds(1)), ended.revoked(T0.plusSeconds(2)),
                failed.allocated(T0.plusSeconds(3)), failed.activationFailed(null, T0.plusSeconds(4)));

        assertThat(status("sub-1")).isEqualTo(new SubscriberStatus("sub-1", LifecycleState.PENDING, List.of()));
        assertThat(status("never-seen")).isEqualTo(new SubscriberStatus("never-seen", LifecycleState.PENDING, List.of()));
    }

    @Test
    void showsTheStateOfTheNewestLiveDelegationAndEveryLiveOneNewestFirst() {
        Delegation older = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:100::/56");
        Delegation newer = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:200::/56");
        Delegation ended = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:300::/56");
        Delegation otherTenant = Delegation.of("isp-b", "sub-1", POOL, "2001:db8:0:400::/56");
        fixture.apply(older.allocated(T0), older.activated(T0.plusSeconds(1)), older.suspended(null, T0.plusSeconds(2)),
                newer.allocated(T0.plusSeconds(3)), newer.activated(T0.plusSeconds(4)),
                ended.allocated(T0.plusSeconds(5)), ended.activationFailed(null, T0.plusSeconds(6)),
                otherTenant.allocated(T0.plusSeconds(7)));

        SubscriberStatus status = status("sub-1");

        assertThat(status.state()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(status.delegations()).extracting(DelegationView::id, DelegationView::state)
                .containsExactly(tuple(newer.id(), LifecycleState.ACTIVE),
                        tuple(older.id(), LifecycleState.SUSPENDED));
    }

    @Test
    void countsARevokingDelegationAsLive() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:100::/56");
        fixture.apply(d.allocated(T0), d.revocationStarted(null, T0.plusSeconds(1)));

        assertThat(status("sub-1").state()).isEqualTo(LifecycleState.REVOKING);
    }

    @Test
    void listsTheTenantsDelegationsNewestAllocationFirstInPages() {
        List<Delegation> delegations = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Delegation d = Delegation.of(TENANT, "sub-" + i, POOL, "2001:db8:0:" + (i + 1) + "00::/56");
            fixture.apply(d.allocated(T0.plusSeconds(i)));
            delegations.add(d);
        }
        fixture.apply(Delegation.of("isp-b", "sub-x", POOL, "2001:db8:1::/56").allocated(T0));

        Page<DelegationView> first = list(new ListDelegationsQuery(TENANT, null, null, null, null, 0, 2));
        Page<DelegationView> last = list(new ListDelegationsQuery(TENANT, null, null, null, null, 2, 2));
        Page<DelegationView> beyond = list(new ListDelegationsQuery(TENANT, null, null, null, null, 3, 2));

        assertThat(first.content()).extracting(DelegationView::id)
                .containsExactly(delegations.get(4).id(), delegations.get(3).id());
        assertThat(first.totalElements()).isEqualTo(5);
        assertThat(first.page()).isZero();
        assertThat(first.size()).isEqualTo(2);
        assertThat(last.content()).extracting(DelegationView::id).containsExactly(delegations.get(0).id());
        assertThat(beyond.content()).isEmpty();
        assertThat(beyond.totalElements()).isEqualTo(5);
    }

    @Test
    void filtersTheListBySubscriberPoolStateAndPrefix() {
        UUID otherPool = UUID.randomUUID();
        Delegation a = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:100::/56");
        Delegation b = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:200::/64");
        Delegation c = Delegation.of(TENANT, "sub-2", otherPool, "2001:db8:1::/48");
        fixture.apply(a.allocated(T0), a.activated(T0.plusSeconds(1)), b.allocated(T0.plusSeconds(2)),
                c.allocated(T0.plusSeconds(3)), c.activated(T0.plusSeconds(4)));

        assertThat(ids(new ListDelegationsQuery(TENANT, "sub-1", null, null, null, 0, 10))).containsExactly(b.id(), a.id());
        assertThat(ids(new ListDelegationsQuery(TENANT, null, otherPool, null, null, 0, 10))).containsExactly(c.id());
        assertThat(ids(new ListDelegationsQuery(TENANT, null, null, LifecycleState.ACTIVE, null, 0, 10)))
                .containsExactly(c.id(), a.id());
        assertThat(ids(new ListDelegationsQuery(TENANT, "sub-1", POOL, LifecycleState.ACTIVE, null, 0, 10)))
                .containsExactly(a.id());
        assertThat(ids(new ListDelegationsQuery(TENANT, null, null, null, Ipv6Prefix.parse("2001:db8::/48"), 0, 10)))
                .as("inside the given prefix").containsExactly(b.id(), a.id());
        assertThat(ids(new ListDelegationsQuery(TENANT, null, null, null, Ipv6Prefix.parse("2001:db8:1::/48"), 0, 10)))
                .as("equal to the given prefix").containsExactly(c.id());
        assertThat(ids(new ListDelegationsQuery(TENANT, null, null, null, Ipv6Prefix.parse("2001:db8:0:100::/60"), 0, 10)))
                .as("a delegation containing the given prefix is not inside it").isEmpty();
        assertThat(list(new ListDelegationsQuery(TENANT, "sub-1", null, null, null, 0, 1)).totalElements())
                .as("the total counts every match, not the page").isEqualTo(2);
    }

    @Test
    void refusesANegativePageOrAnEmptyPageSize() {
        assertThatThrownBy(() -> list(new ListDelegationsQuery(TENANT, null, null, null, null, -1, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not page -1 and size 10");
        assertThatThrownBy(() -> list(new ListDelegationsQuery(TENANT, null, null, null, null, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not page 0 and size 0");
    }

    @Test
    void changesNothingWhenAnEventIsDeliveredAgain() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:0:100::/56");
        List<DomainEventMessage<?>> events = fixture.apply(d.allocated(T0), d.activated(T0.plusSeconds(1)),
                d.suspended("unpaid", T0.plusSeconds(2)), d.resumed(T0.plusSeconds(3)));
        List<String> before = rows();

        // Each again, the latest first, then all in order: as after rolled-back batches.
        fixture.deliver(events.get(3));
        for (DomainEventMessage<?> event : events) {
            fixture.deliver(event);
        }

        assertThat(rows()).isEqualTo(before);
        assertThat(find(d).orElseThrow()).extracting(DelegationView::state, DelegationView::suspendedAt)
                .containsExactly(LifecycleState.ACTIVE, T0.plusSeconds(2));
    }

    @Test
    void aResetEmptiesTheDelegationsAndNothingElse() {
        UUID pool = UUID.randomUUID();
        Delegation d = Delegation.of(TENANT, "sub-1", pool, "2001:db8:0:100::/56");
        fixture.apply(TestEvents.poolCreated(pool, TENANT, "2001:db8::/48", List.of(56), T0), d.allocated(T0));

        fixture.reset(Projections.DELEGATIONS);

        assertThat(fixture.jdbc().queryForObject("SELECT count(*) FROM delegation_view", Long.class)).isZero();
        assertThat(fixture.jdbc().queryForObject("SELECT count(*) FROM pool_view", Long.class)).isOne();
        assertThat(fixture.jdbc().queryForObject("SELECT count(*) FROM assignment_history", Long.class)).isOne();
    }

    private Optional<DelegationView> find(Delegation d) {
        return fixture.query(new FindDelegationQuery(d.tenant(), d.id()), ResponseTypes.optionalInstanceOf(DelegationView.class));
    }

    private SubscriberStatus status(String subscriber) {
        return fixture.query(new SubscriberStatusQuery(TENANT, subscriber), ResponseTypes.instanceOf(SubscriberStatus.class));
    }

    @SuppressWarnings("unchecked")
    private Page<DelegationView> list(ListDelegationsQuery query) {
        return fixture.query(query, ResponseTypes.instanceOf(Page.class));
    }

    private List<UUID> ids(ListDelegationsQuery query) {
        return list(query).content().stream().map(DelegationView::id).toList();
    }

    /** Every row as PostgreSQL prints it: comparable, unlike the driver's objects for cidr, interval and arrays. */
    private List<String> rows() {
        return fixture.jdbc().queryForList("SELECT t::text FROM delegation_view t ORDER BY delegation_id", String.class);
    }
}

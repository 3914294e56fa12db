package dev.ipv6lifecycle.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.audit.Attribution;
import dev.ipv6lifecycle.api.audit.AttributionQuery;
import dev.ipv6lifecycle.query.Projections;
import dev.ipv6lifecycle.query.QuerySideFixture;
import dev.ipv6lifecycle.query.TestEvents;
import dev.ipv6lifecycle.query.TestEvents.Delegation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who held a prefix when, from the assignment history, on PostgreSQL. */
class AttributionProjectionTests {

    private static final String TENANT = "isp-a";
    private static final UUID POOL = UUID.randomUUID();
    private static final Instant ALLOCATED = Instant.parse("2026-03-14T10:00:00Z");
    private static final Instant REVOKED = Instant.parse("2026-05-01T08:30:00Z");
    private static final Ipv6Prefix ADDRESS = Ipv6Prefix.parse("2001:db8:12:3456::1/128");

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
    void attributesAnAddressToItsHolderFromTheAllocationUntilTheRevocationCompleted() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:12:3400::/56");
        fixture.apply(d.allocated(ALLOCATED), d.activated(ALLOCATED.plusSeconds(1)),
                d.revocationStarted("moved", REVOKED.minusSeconds(60)), d.revoked(REVOKED));
        Attribution holding = new Attribution(d.prefix(), "sub-1", d.id(), ALLOCATED, REVOKED);

        assertThat(at(ALLOCATED.minus(1, ChronoUnit.MICROS))).isEmpty();
        assertThat(at(ALLOCATED)).contains(holding);
        assertThat(at(REVOKED.minus(1, ChronoUnit.MICROS))).as("still held while revoking").contains(holding);
        assertThat(at(REVOKED)).as("the upper bound is exclusive, and a quarantine is no holding").isEmpty();
        assertThat(at(REVOKED.plus(TestEvents.QUARANTINE).plusSeconds(1))).isEmpty();
    }

    @Test
    void attributesAnOngoingHoldingWithoutAnEnd() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:12:3400::/56");
        fixture.apply(d.allocated(ALLOCATED));

        assertThat(at(Instant.parse("2100-01-01T00:00:00Z")))
                .contains(new Attribution(d.prefix(), "sub-1", d.id(), ALLOCATED, null));
    }

    @Test
    void endsTheHoldingWhenActivationFailed() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:12:3400::/56");
        fixture.apply(d.allocated(ALLOCATED), d.activationFailed("NAS unreachable", ALLOCATED.plusSeconds(30)));

        assertThat(at(ALLOCATED.plusSeconds(29))).isPresent();
        assertThat(at(ALLOCATED.plusSeconds(30))).isEmpty();
    }

    @Test
    void endsTheHoldingAtTheMicrosecondOfTheRevocation() {
        Instant revokedWithNanoseconds = Instant.parse("2026-05-01T08:30:00.123456789Z");
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:12:3400::/56");
        fixture.apply(d.allocated(ALLOCATED), d.revocationStarted(null, ALLOCATED.plusSeconds(1)),
                d.revoked(revokedWithNanoseconds));

        assertThat(at(revokedWithNanoseconds)).isEmpty();
        assertThat(at(Instant.parse("2026-05-01T08:30:00.123455999Z"))).isPresent();
        assertThat(at(ALLOCATED).orElseThrow().to()).isEqualTo(Instant.parse("2026-05-01T08:30:00.123456Z"));
    }

    @Test
    void attributesEachPeriodToItsOwnHolderAcrossAReassignment() {
        Delegation first = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:12:3400::/56");
        Instant quarantineEnded = REVOKED.plus(TestEvents.QUARANTINE);
        Instant reassigned = quarantineEnded.plusSeconds(3600);
        Delegation second = Delegation.of(TENANT, "sub-2", POOL, "2001:db8:12:3400::/56");
        fixture.apply(first.allocated(ALLOCATED), first.revocationStarted(null, ALLOCATED.plusSeconds(1)),
                first.revoked(REVOKED), first.quarantineEnded(quarantineEnded), second.allocated(reassigned));

        assertThat(at(REVOKED.minusSeconds(1)).map(Attribution::subscriberId)).contains("sub-1");
        assertThat(at(reassigned.minusSeconds(1))).isEmpty();
        assertThat(at(reassigned)).contains(new Attribution(second.prefix(), "sub-2", second.id(), reassigned, null));
    }

    @Test
    void startsANewHoldingWhenTheSubscriberReclaimsItsQuarantinedPrefix() {
        Delegation first = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:12:3400::/56");
        Delegation back = first.reclaim();
        Instant reclaimed = REVOKED.plusSeconds(600);
        fixture.apply(first.allocated(ALLOCATED), first.revocationStarted(null, ALLOCATED.plusSeconds(1)),
                first.revoked(REVOKED), back.reclaimedFrom(first, reclaimed));

        assertThat(at(REVOKED.plusSeconds(1))).as("nobody held it during the quarantine").isEmpty();
        assertThat(at(reclaimed).map(Attribution::delegationId)).contains(back.id());
        assertThat(at(REVOKED.minusSeconds(1)).map(Attribution::delegationId)).contains(first.id());
    }

    @Test
    void attributesOnlyToADelegatedPrefixCoveringTheOneAskedFor() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:12:3400::/56");
        fixture.apply(d.allocated(ALLOCATED));

        assertThat(fixture.query(new AttributionQuery(TENANT, Ipv6Prefix.parse("2001:db8:12:3456::/64"), ALLOCATED),
                ResponseTypes.optionalInstanceOf(Attribution.class))).as("a /64 inside").isPresent();
        assertThat(fixture.query(new AttributionQuery(TENANT, d.prefix(), ALLOCATED),
                ResponseTypes.optionalInstanceOf(Attribution.class))).as("the prefix itself").isPresent();
        assertThat(fixture.query(new AttributionQuery(TENANT, Ipv6Prefix.parse("2001:db8:12::/48"), ALLOCATED),
                ResponseTypes.optionalInstanceOf(Attribution.class))).as("a /48 around it").isEmpty();
        assertThat(fixture.query(new AttributionQuery(TENANT, Ipv6Prefix.parse("2001:db8:12:3500::1/128"), ALLOCATED),
                ResponseTypes.optionalInstanceOf(Attribution.class))).as("an address outside").isEmpty();
        assertThat(fixture.query(new AttributionQuery("isp-b", ADDRESS, ALLOCATED),
                ResponseTypes.optionalInstanceOf(Attribution.class))).as("another tenant").isEmpty();
    }

    @Test
    void findsTheHolderOfADelegationOfTheShortestAndOfTheLongestDelegatedLength() {
        Delegation site = Delegation.of(TENANT, "business", POOL, "2001:db8:40::/48");
        Delegation single = Delegation.of(TENANT, "single", POOL, "2001:db8:50:7::/64");
        fixture.apply(site.allocated(ALLOCATED), single.allocated(ALLOCATED));

        for (String asked : List.of("2001:db8:40::/48", "2001:db8:40:ff00::/56", "2001:db8:40:ffff:ffff::1/128")) {
            assertThat(holderOf(asked)).as(asked).contains("business");
        }
        for (String asked : List.of("2001:db8:50:7::/64", "2001:db8:50:7:8000::/65", "2001:db8:50:7::ffff/128")) {
            assertThat(holderOf(asked)).as(asked).contains("single");
        }
        assertThat(holderOf("2001:db8:50:6::1/128")).as("the /64 next to it").isEmpty();
        assertThat(holderOf("2001:db8::/40")).as("a /40 around both").isEmpty();
    }

    private Optional<String> holderOf(String asked) {
        return fixture.query(new AttributionQuery(TENANT, Ipv6Prefix.parse(asked), ALLOCATED),
                ResponseTypes.optionalInstanceOf(Attribution.class)).map(Attribution::subscriberId);
    }

    @Test
    void changesNothingWhenAnEventIsDeliveredAgain() {
        Delegation d = Delegation.of(TENANT, "sub-1", POOL, "2001:db8:12:3400::/56");
        List<DomainEventMessage<?>> events = fixture.apply(d.allocated(ALLOCATED),
                d.revocationStarted(null, ALLOCATED.plusSeconds(1)), d.revoked(REVOKED));
        List<String> before = rows();

        events.forEach(fixture::deliver);

        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aResetEmptiesTheHistoryAndNothingElse() {
        fixture.apply(Delegation.of(TENANT, "sub-1", POOL, "2001:db8:12:3400::/56").allocated(ALLOCATED));

        fixture.reset(Projections.ASSIGNMENT_HISTORY);

        assertThat(rows()).isEmpty();
        assertThat(fixture.jdbc().queryForObject("SELECT count(*) FROM delegation_view", Long.class)).isOne();
    }

    private Optional<Attribution> at(Instant at) {
        return fixture.query(new AttributionQuery(TENANT, ADDRESS, at), ResponseTypes.optionalInstanceOf(Attribution.class));
    }

    /** Every row as PostgreSQL prints it: comparable, unlike the driver's objects for cidr, interval and arrays. */
    private List<String> rows() {
        return fixture.jdbc().queryForList("SELECT t::text FROM assignment_history t ORDER BY delegation_id", String.class);
    }
}

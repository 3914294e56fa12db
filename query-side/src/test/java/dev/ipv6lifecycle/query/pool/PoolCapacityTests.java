package dev.ipv6lifecycle.query.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.pool.FindPoolQuery;
import dev.ipv6lifecycle.api.pool.LengthCapacity;
import dev.ipv6lifecycle.api.pool.PoolView;
import dev.ipv6lifecycle.query.QuerySideFixture;
import dev.ipv6lifecycle.query.TestEvents;
import dev.ipv6lifecycle.query.TestEvents.Delegation;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capacity per delegated length and utilisation, from the held prefixes: live delegations and
 * quarantines that have neither ended nor been reclaimed.
 */
class PoolCapacityTests {

    private static final String TENANT = "isp-a";
    private static final Instant T0 = Instant.parse("2026-03-14T10:00:00Z");

    private final UUID pool = UUID.randomUUID();
    private QuerySideFixture fixture;

    @BeforeEach
    void aSlash48ServingSlash56AndSlash64() {
        fixture = QuerySideFixture.onFreshDatabase();
        fixture.apply(TestEvents.poolCreated(pool, TENANT, "2001:db8::/48", List.of(56, 64), T0));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anEmptyPoolIsAllFree() {
        PoolView view = pool();

        assertThat(view.capacity().get(56)).isEqualTo(capacity(256, 0, 0, 256));
        assertThat(view.capacity().get(64)).isEqualTo(capacity(65_536, 0, 0, 65_536));
        assertThat(view.utilizationPercent()).isZero();
    }

    @Test
    void aSlash64CutsItsWholeSlash56OutOfTheSlash56Capacity() {
        fixture.apply(live("2001:db8:0:100::/56"), live("2001:db8:0:200::/64"));

        PoolView view = pool();

        assertThat(view.capacity().get(56)).isEqualTo(capacity(256, 1, 0, 254));
        assertThat(view.capacity().get(64)).as("the /56 takes 256 /64s, the /64 one")
                .isEqualTo(capacity(65_536, 1, 0, 65_536 - 256 - 1));
    }

    @Test
    void slash64sInOneSlash56CutItOnlyOnce() {
        fixture.apply(live("2001:db8:0:200::/64"), live("2001:db8:0:201::/64"), live("2001:db8:0:2ff::/64"),
                live("2001:db8:0:300::/64"));

        PoolView view = pool();

        assertThat(view.capacity().get(56)).isEqualTo(capacity(256, 0, 0, 254));
        assertThat(view.capacity().get(64)).isEqualTo(capacity(65_536, 4, 0, 65_532));
    }

    @Test
    void utilizationIsTheHeldShareOfTheAddressSpace() {
        fixture.apply(live("2001:db8:0:100::/56"), live("2001:db8:0:200::/64"), live("2001:db8:0:201::/64"));

        // One /56 is 1/256 of the /48, each /64 1/65536.
        assertThat(pool().utilizationPercent()).isEqualTo(100.0 / 256 + 2 * 100.0 / 65_536);
    }

    @Test
    void aQuarantinedPrefixStaysHeldUntilItsQuarantineEnds() {
        Delegation d = Delegation.of(TENANT, "sub-1", pool, "2001:db8:0:100::/56");
        fixture.apply(d.allocated(T0), d.revocationStarted(null, T0.plusSeconds(1)));
        assertThat(pool().capacity().get(56)).as("revoking is live").isEqualTo(capacity(256, 1, 0, 255));

        fixture.apply(d.revoked(T0.plusSeconds(2)));
        assertThat(pool().capacity().get(56)).isEqualTo(capacity(256, 0, 1, 255));
        assertThat(pool().utilizationPercent()).isEqualTo(100.0 / 256);

        fixture.apply(d.quarantineEnded(T0.plus(TestEvents.QUARANTINE)));
        assertThat(pool().capacity().get(56)).isEqualTo(capacity(256, 0, 0, 256));
        assertThat(pool().utilizationPercent()).isZero();
    }

    @Test
    void aFailedActivationQuarantinesItsPrefixToo() {
        Delegation d = Delegation.of(TENANT, "sub-1", pool, "2001:db8:0:100::/64");
        fixture.apply(d.allocated(T0), d.activationFailed("NAS unreachable", T0.plusSeconds(1)));

        assertThat(pool().capacity().get(64)).isEqualTo(capacity(65_536, 0, 1, 65_535));
        assertThat(pool().capacity().get(56)).isEqualTo(capacity(256, 0, 0, 255));
    }

    @Test
    void aReclaimedPrefixIsHeldOnceByTheNewDelegationAndTheOldQuarantineEndFreesNothing() {
        Delegation first = Delegation.of(TENANT, "sub-1", pool, "2001:db8:0:100::/56");
        Delegation back = first.reclaim();
        fixture.apply(first.allocated(T0), first.revocationStarted(null, T0.plusSeconds(1)), first.revoked(T0.plusSeconds(2)),
                back.reclaimedFrom(first, T0.plusSeconds(3)));
        assertThat(pool().capacity().get(56)).isEqualTo(capacity(256, 1, 0, 255));

        fixture.apply(first.quarantineEnded(T0.plus(TestEvents.QUARANTINE)));

        assertThat(pool().capacity().get(56)).isEqualTo(capacity(256, 1, 0, 255));
        assertThat(pool().utilizationPercent()).isEqualTo(100.0 / 256);
    }

    @Test
    void aReclaimCountsOnceEvenWhenSeenBeforeTheEarlierDelegationsRevocation() {
        // Two delegations' events may be processed by different segments, in either order.
        Delegation first = Delegation.of(TENANT, "sub-1", pool, "2001:db8:0:100::/56");
        Delegation back = first.reclaim();
        fixture.apply(first.allocated(T0), first.revocationStarted(null, T0.plusSeconds(1)),
                back.reclaimedFrom(first, T0.plusSeconds(3)));
        assertThat(pool().capacity().get(56)).isEqualTo(capacity(256, 1, 0, 255));

        fixture.apply(first.revoked(T0.plusSeconds(2)));

        assertThat(pool().capacity().get(56)).isEqualTo(capacity(256, 1, 0, 255));
    }

    @Test
    void prefixesOfOtherPoolsAndTenantsDoNotCount() {
        UUID otherPool = UUID.randomUUID();
        fixture.apply(TestEvents.poolCreated(otherPool, TENANT, "2001:db8:1::/48", List.of(56), T0),
                Delegation.of(TENANT, "sub-1", otherPool, "2001:db8:1::/56").allocated(T0),
                Delegation.of("isp-b", "sub-1", UUID.randomUUID(), "2001:db8::/56").allocated(T0));

        assertThat(pool().capacity().get(56)).isEqualTo(capacity(256, 0, 0, 256));
    }

    @Test
    void countsExactlyInASlash32PoolOfSlash64s() {
        UUID big = UUID.randomUUID();
        fixture.apply(TestEvents.poolCreated(big, TENANT, "2001:db9::/32", List.of(48, 64), T0),
                Delegation.of(TENANT, "sub-1", big, "2001:db9:ffff:ffff::/64").allocated(T0),
                Delegation.of(TENANT, "sub-2", big, "2001:db9:1::/48").allocated(T0));

        PoolView view = fixture.query(new FindPoolQuery(TENANT, big), ResponseTypes.optionalInstanceOf(PoolView.class))
                .orElseThrow();

        BigInteger slash64s = BigInteger.TWO.pow(32);
        assertThat(view.capacity().get(64)).isEqualTo(new LengthCapacity(slash64s, 1, 0,
                slash64s.subtract(BigInteger.valueOf(65_536 + 1))));
        assertThat(view.capacity().get(48)).isEqualTo(capacity(65_536, 1, 0, 65_534));
    }

    private PoolView pool() {
        return fixture.query(new FindPoolQuery(TENANT, pool), ResponseTypes.optionalInstanceOf(PoolView.class)).orElseThrow();
    }

    private Object live(String prefix) {
        return Delegation.of(TENANT, "sub-" + prefix, pool, prefix).allocated(T0);
    }

    private static LengthCapacity capacity(long total, long allocated, long quarantined, long free) {
        return new LengthCapacity(BigInteger.valueOf(total), allocated, quarantined, BigInteger.valueOf(free));
    }
}

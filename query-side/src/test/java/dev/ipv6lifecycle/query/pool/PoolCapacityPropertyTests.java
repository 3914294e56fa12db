package dev.ipv6lifecycle.query.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.pool.FindPoolQuery;
import dev.ipv6lifecycle.api.pool.LengthCapacity;
import dev.ipv6lifecycle.api.pool.PoolView;
import dev.ipv6lifecycle.query.QuerySideFixture;
import dev.ipv6lifecycle.query.TestEvents;
import dev.ipv6lifecycle.query.TestEvents.Delegation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.axonframework.messaging.responsetypes.ResponseTypes;

/**
 * Random delegations of mixed lengths in a /52, each ending in a random fate (live, quarantined, released,
 * reclaimed...), their events interleaved at random across delegations as segments may process them. The
 * capacity per length must equal a count made block by block, and utilisation the held share.
 */
class PoolCapacityPropertyTests {

    private static final String TENANT = "isp-a";
    private static final Ipv6Prefix POOL = Ipv6Prefix.parse("2001:db8:0:1000::/52");
    private static final List<Integer> LENGTHS = List.of(56, 60, 64);
    private static final Instant T0 = Instant.parse("2026-03-14T10:00:00Z");

    private static QuerySideFixture fixture;

    @BeforeContainer
    static void connect() {
        fixture = QuerySideFixture.onFreshDatabase();
    }

    @AfterContainer
    static void close() {
        fixture.close();
    }

    enum Fate {
        LIVE, QUARANTINED, FAILED, RELEASED, RECLAIMED, RECLAIMED_AFTER_ITS_QUARANTINE_ENDED_LATE, RECLAIMED_THEN_REVOKED
    }

    record Holding(int length, long index, Fate fate) {

        Ipv6Prefix prefix() {
            return POOL.subPrefix(length, BigInteger.valueOf(index));
        }

        /** The /64 slots of the pool that the prefix spans: [first, last]. */
        long first() {
            return index << (64 - length);
        }

        long last() {
            return ((index + 1) << (64 - length)) - 1;
        }

        boolean overlaps(Holding other) {
            return first() <= other.last() && other.first() <= last();
        }

        boolean held() {
            return fate != Fate.RELEASED;
        }

        boolean quarantined() {
            return fate == Fate.QUARANTINED || fate == Fate.FAILED || fate == Fate.RECLAIMED_THEN_REVOKED;
        }
    }

    @Provide
    Arbitrary<List<Holding>> holdings() {
        Arbitrary<Holding> holding = Arbitraries.of(LENGTHS).flatMap(length -> Combinators.combine(
                Arbitraries.longs().between(0, (1L << (length - POOL.length())) - 1),
                Arbitraries.of(Fate.class)).as((index, fate) -> new Holding(length, index, fate)));
        return holding.list().ofMaxSize(25).map(PoolCapacityPropertyTests::withoutOverlappingHeldPrefixes);
    }

    /** The command side never lets two held prefixes overlap; a released one may overlap anything. */
    private static List<Holding> withoutOverlappingHeldPrefixes(List<Holding> candidates) {
        List<Holding> kept = new ArrayList<>();
        for (Holding candidate : candidates) {
            if (!candidate.held() || kept.stream().filter(Holding::held).noneMatch(candidate::overlaps)) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    @Property(tries = 150)
    void capacityIsExactWhateverTheHeldPrefixesAndTheOrderTheirEventsArriveIn(
            @ForAll("holdings") List<Holding> holdings, @ForAll Random random) {
        UUID pool = UUID.randomUUID();
        fixture.apply(TestEvents.poolCreated(pool, TENANT, POOL.canonical(), LENGTHS, T0));
        List<Deque<Object>> streams = new ArrayList<>();
        for (Holding holding : holdings) {
            streams.addAll(eventsOf(holding, pool));
        }
        while (!streams.isEmpty()) {
            Deque<Object> stream = streams.get(random.nextInt(streams.size()));
            fixture.apply(stream.removeFirst());
            if (stream.isEmpty()) {
                streams.remove(stream);
            }
        }

        PoolView view = fixture.query(new FindPoolQuery(TENANT, pool), ResponseTypes.optionalInstanceOf(PoolView.class))
                .orElseThrow();

        for (int length : LENGTHS) {
            assertThat(view.capacity().get(length)).as("/%d", length).isEqualTo(countedBlockByBlock(holdings, length));
        }
        assertThat(view.utilizationPercent()).isCloseTo(heldShare(holdings), within(1e-9));
    }

    /** One event stream per delegation, each in the order its aggregate publishes them. */
    private static List<Deque<Object>> eventsOf(Holding holding, UUID pool) {
        Delegation d = Delegation.of(TENANT, "sub-" + holding.prefix(), pool, holding.prefix().canonical());
        Delegation back = d.reclaim();
        Instant revoked = T0.plusSeconds(2);
        Instant ended = T0.plus(TestEvents.QUARANTINE).plusSeconds(2);
        switch (holding.fate()) {
            case LIVE:
                return List.of(stream(d.allocated(T0), d.activated(T0.plusSeconds(1))));
            case QUARANTINED:
                return List.of(stream(d.allocated(T0), d.revocationStarted(null, T0.plusSeconds(1)), d.revoked(revoked)));
            case FAILED:
                return List.of(stream(d.allocated(T0), d.activationFailed(null, T0.plusSeconds(1))));
            case RELEASED:
                return List.of(stream(d.allocated(T0), d.revocationStarted(null, T0.plusSeconds(1)), d.revoked(revoked),
                        d.quarantineEnded(ended)));
            case RECLAIMED:
                return List.of(stream(d.allocated(T0), d.revocationStarted(null, T0.plusSeconds(1)), d.revoked(revoked)),
                        stream(back.reclaimedFrom(d, T0.plusSeconds(3))));
            case RECLAIMED_AFTER_ITS_QUARANTINE_ENDED_LATE:
                return List.of(stream(d.allocated(T0), d.revocationStarted(null, T0.plusSeconds(1)), d.revoked(revoked),
                        d.quarantineEnded(ended)), stream(back.reclaimedFrom(d, T0.plusSeconds(3))));
            case RECLAIMED_THEN_REVOKED:
                return List.of(stream(d.allocated(T0), d.activationFailed(null, T0.plusSeconds(1)), d.quarantineEnded(ended)),
                        stream(back.reclaimedFrom(d, T0.plusSeconds(3)), back.revocationStarted(null, T0.plusSeconds(4)),
                                back.revoked(T0.plusSeconds(5))));
            default:
                throw new IllegalArgumentException(holding.fate().name());
        }
    }

    private static Deque<Object> stream(Object... events) {
        return new ArrayDeque<>(List.of(events));
    }

    /** Capacity by definition: the /L blocks of the pool that no held prefix overlaps, counted one by one. */
    private static LengthCapacity countedBlockByBlock(List<Holding> holdings, int length) {
        long blocks = 1L << (length - POOL.length());
        long free = 0;
        for (long index = 0; index < blocks; index++) {
            Holding block = new Holding(length, index, Fate.LIVE);
            if (holdings.stream().filter(Holding::held).noneMatch(block::overlaps)) {
                free++;
            }
        }
        long allocated = holdings.stream().filter(h -> h.held() && !h.quarantined() && h.length() == length).count();
        long quarantined = holdings.stream().filter(h -> h.quarantined() && h.length() == length).count();
        return new LengthCapacity(BigInteger.valueOf(blocks), allocated, quarantined, BigInteger.valueOf(free));
    }

    private static double heldShare(List<Holding> holdings) {
        BigDecimal share = BigDecimal.ZERO;
        for (Holding holding : holdings) {
            if (holding.held()) {
                share = share.add(new BigDecimal(BigInteger.ONE.shiftLeft(64 - holding.length())));
            }
        }
        return share.multiply(BigDecimal.valueOf(100)).divide(new BigDecimal(BigInteger.ONE.shiftLeft(64 - POOL.length())))
                .doubleValue();
    }
}

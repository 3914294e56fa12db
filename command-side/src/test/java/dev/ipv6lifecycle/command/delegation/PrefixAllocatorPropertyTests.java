package dev.ipv6lifecycle.command.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.command.aaa.RadiusAuthorizations;
import dev.ipv6lifecycle.command.metrics.PoolSpace;
import dev.ipv6lifecycle.command.metrics.PoolSpaceQueries;
import dev.ipv6lifecycle.command.pool.PoolRegistry;
import dev.ipv6lifecycle.testsupport.ReservationOverlaps;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Random sequences of allocations (automatic and explicit), revocations into quarantine and quarantine
 * expiries, over mixed lengths, run against the real allocator and ledger on PostgreSQL. After every
 * step: no overlap, every prefix aligned inside the pool, free space and held prefixes tile the pool,
 * free space fully merged, and the capacity per length equal to a count made independently (as the ledger
 * and as the gauges read it, with the gauges' utilisation equal to the held share counted in /64s).
 */
class PrefixAllocatorPropertyTests {

    /** A /56 with four lengths: small enough that random runs exhaust /58 and /60 and must say so. */
    private static final Ipv6Prefix POOL = Ipv6Prefix.parse("2001:db8:0:100::/56");
    private static final List<Integer> LENGTHS = List.of(58, 60, 62, 64);

    private static JdbcTemplate jdbc;
    private static TransactionTemplate tx;
    private static PrefixAllocator allocator;
    private static ReservationLedger ledger;
    private static PoolSpaceQueries poolSpace;

    @BeforeContainer
    static void connect() {
        DataSource dataSource = SharedPostgres.dataSource(SharedPostgres.freshDatabase());
        jdbc = new JdbcTemplate(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        ledger = new ReservationLedger(jdbc, new SimpleMeterRegistry());
        allocator = new PrefixAllocator(jdbc, ledger, new PoolRegistry(jdbc), new RadiusAuthorizations(jdbc));
        poolSpace = new PoolSpaceQueries(jdbc);
    }

    sealed interface Step permits Allocate, AllocateExplicit, Revoke, ExpireQuarantine {
    }

    record Allocate(int subscriber, int length) implements Step {
    }

    record AllocateExplicit(int subscriber, int length, long index) implements Step {
    }

    record Revoke(int pick) implements Step {
    }

    record ExpireQuarantine(int pick) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> subscriber = Arbitraries.integers().between(0, 5);
        Arbitrary<Integer> length = Arbitraries.of(LENGTHS);
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1000);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(subscriber, length).as(Allocate::new)),
                Tuple.of(2, Combinators.combine(subscriber, length, Arbitraries.longs().between(0, 255))
                        .as(AllocateExplicit::new)),
                Tuple.of(3, pick.map(Revoke::new)),
                Tuple.of(2, pick.map(ExpireQuarantine::new)));
        return step.list().ofMinSize(10).ofMaxSize(45);
    }

    @Property(tries = 60)
    void neverOverlapsNeverMisalignsAndKeepsCapacityExact(@ForAll("steps") List<Step> steps) {
        String tenant = "t-" + UUID.randomUUID();
        UUID poolId = newPool(tenant);

        for (Step step : steps) {
            if (step instanceof Allocate allocate) {
                allocate(tenant, poolId, allocate.subscriber(), allocate.length(), null);
            } else if (step instanceof AllocateExplicit explicit) {
                allocate(tenant, poolId, explicit.subscriber(), explicit.length(), POOL.subPrefix(explicit.length(),
                        BigInteger.valueOf(explicit.index()).mod(POOL.count(explicit.length()))));
            } else if (step instanceof Revoke revoke) {
                pick(poolId, "quarantined_until IS NULL", revoke.pick()).ifPresent(delegation ->
                        tx.executeWithoutResult(status -> ledger.quarantine(delegation, Instant.now().plusSeconds(3600))));
            } else if (step instanceof ExpireQuarantine expire) {
                pick(poolId, "quarantined_until IS NOT NULL", expire.pick())
                        .ifPresent(delegation -> tx.executeWithoutResult(status -> ledger.release(delegation)));
            }
            assertInvariants(tenant, poolId);
        }
    }

    /**
     * The same random steps on two identical pools: on the first, each run of allocations is chosen and stored as
     * one batch; on the second, one allocation at a time, each in its own transaction. Every allocation gets the
     * same prefix, placement or kind of refusal in both, and both pools keep every invariant and end up with the
     * same free blocks.
     */
    @Property(tries = 30)
    void aBatchOfAllocationsGetsWhatTheyWouldOneAtATime(@ForAll("steps") List<Step> steps) {
        UUID batched = newPool("t-" + UUID.randomUUID());
        UUID single = newPool("t-" + UUID.randomUUID());
        List<Step> run = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Allocate || step instanceof AllocateExplicit) {
                run.add(step);
                continue;
            }
            allocateBoth(run, batched, single);
            run.clear();
            boolean revoke = step instanceof Revoke;
            int pick = revoke ? ((Revoke) step).pick() : ((ExpireQuarantine) step).pick();
            pickByPrefix(batched, revoke ? "quarantined_until IS NULL" : "quarantined_until IS NOT NULL", pick)
                    .ifPresent(prefix -> List.of(batched, single).forEach(poolId -> {
                        UUID delegation = jdbc.queryForObject("SELECT delegation_id FROM prefix_reservation "
                                + "WHERE pool_id = ? AND prefix = ?::cidr", UUID.class, poolId, prefix.canonical());
                        tx.executeWithoutResult(status -> {
                            if (revoke) {
                                ledger.quarantine(delegation, Instant.now().plusSeconds(3600));
                            } else {
                                ledger.release(delegation);
                            }
                        });
                    }));
        }
        allocateBoth(run, batched, single);
    }

    private UUID newPool(String tenant) {
        UUID poolId = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO pool_registry (pool_id, tenant_id, prefix, delegated_lengths, default_length, quarantine,
                                           state, created_at)
                VALUES (?, ?, ?::cidr, '{58,60,62,64}', 64, 'PT1H', 'ACTIVE', now())""", poolId, tenant, POOL.canonical());
        jdbc.update("INSERT INTO free_block (pool_id, prefix, length) VALUES (?, ?::cidr, ?)", poolId, POOL.canonical(),
                POOL.length());
        return poolId;
    }

    private void allocateBoth(List<Step> run, UUID batched, UUID single) {
        if (run.isEmpty()) {
            return;
        }
        String batchTenant = tenantOf(batched);
        List<AllocatePrefixCommand> commands = run.stream().map(step -> command(batchTenant, batched, step)).toList();
        List<String> together = tx.execute(status -> {
            List<PrefixAllocator.Chosen> chosen = allocator.chooseAll(commands);
            List<ReservationLedger.Allocation> allocations = new ArrayList<>();
            for (int i = 0; i < chosen.size(); i++) {
                PrefixAllocator.Choice choice = chosen.get(i).choice();
                if (choice != null) {
                    allocations.add(new ReservationLedger.Allocation(batchTenant, batched, choice.prefix(),
                            commands.get(i).delegationId(), commands.get(i).subscriberId(), choice.reclaimedFrom()));
                }
            }
            ledger.reserveAll(allocations);
            return chosen.stream().map(each -> each.choice() != null
                    ? each.choice().prefix() + " " + each.choice().placement() : each.refusal().kind().name()).toList();
        });
        String singleTenant = tenantOf(single);
        List<String> oneByOne = run.stream().map(step -> {
            AllocatePrefixCommand command = command(singleTenant, single, step);
            try {
                return tx.execute(status -> {
                    PrefixAllocator.Choice choice = allocator.choose(command);
                    ledger.reserve(singleTenant, single, choice.prefix(), command.delegationId(), command.subscriberId(),
                            choice.reclaimedFrom());
                    return choice.prefix() + " " + choice.placement();
                });
            } catch (DomainRejection refused) {
                return refused.kind().name();
            }
        }).toList();

        assertThat(together).as("a batch of %s", run).isEqualTo(oneByOne);
        assertInvariants(batchTenant, batched);
        assertInvariants(singleTenant, single);
        assertThat(freeBlocks(batched)).isEqualTo(freeBlocks(single));
    }

    private static AllocatePrefixCommand command(String tenant, UUID poolId, Step step) {
        if (step instanceof Allocate allocate) {
            return new AllocatePrefixCommand(UUID.randomUUID(), tenant, "sub-" + allocate.subscriber(), poolId,
                    allocate.length(), null, false, null);
        }
        AllocateExplicit explicit = (AllocateExplicit) step;
        return new AllocatePrefixCommand(UUID.randomUUID(), tenant, "sub-" + explicit.subscriber(), poolId,
                explicit.length(), POOL.subPrefix(explicit.length(),
                BigInteger.valueOf(explicit.index()).mod(POOL.count(explicit.length()))), false, null);
    }

    private String tenantOf(UUID poolId) {
        return jdbc.queryForObject("SELECT tenant_id FROM pool_registry WHERE pool_id = ?", String.class, poolId);
    }

    private List<String> freeBlocks(UUID poolId) {
        return jdbc.queryForList("SELECT prefix::text FROM free_block WHERE pool_id = ? ORDER BY prefix", String.class, poolId);
    }

    private Optional<Ipv6Prefix> pickByPrefix(UUID poolId, String condition, int pick) {
        List<Ipv6Prefix> candidates = jdbc.query("SELECT prefix FROM prefix_reservation WHERE pool_id = ? AND " + condition
                + " ORDER BY prefix", (rs, i) -> Ipv6Prefix.parse(rs.getString(1)), poolId);
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(pick % candidates.size()));
    }

    private void allocate(String tenant, UUID poolId, int subscriber, int length, Ipv6Prefix explicit) {
        String subscriberId = "sub-" + subscriber;
        UUID delegation = UUID.randomUUID();
        Map<Integer, BigInteger> before = ledger.capacity(poolId, LENGTHS);
        Set<Ipv6Prefix> quarantinedForSubscriber = quarantined(poolId, subscriberId, length);
        var command = new AllocatePrefixCommand(delegation, tenant, subscriberId, poolId, length, explicit, false, null);
        try {
            PrefixAllocator.Choice choice = tx.execute(status -> {
                PrefixAllocator.Choice chosen = allocator.choose(command);
                ledger.reserve(tenant, poolId, chosen.prefix(), delegation, subscriberId, chosen.reclaimedFrom());
                return chosen;
            });
            assertThat(choice.prefix().length()).isEqualTo(length);
            if (explicit != null) {
                assertThat(choice.prefix()).isEqualTo(explicit);
            } else if (!quarantinedForSubscriber.isEmpty()) {
                // a returning subscriber gets its own quarantined prefix back before anything else
                assertThat(choice.placement()).isEqualTo(Placement.QUARANTINE_RECLAIM);
                assertThat(quarantinedForSubscriber).contains(choice.prefix());
            } else {
                assertThat(before.get(length)).as("capacity before a successful /%d", length).isPositive();
            }
        } catch (DomainRejection rejected) {
            assertThat(rejected.kind()).isEqualTo(DomainRejection.Kind.CONFLICT);
            if (explicit == null) {
                assertThat(before.get(length)).as("capacity when told there is no free /%d", length).isZero();
                assertThat(quarantinedForSubscriber).isEmpty();
            } else {
                assertThat(heldOverlapping(tenant, explicit)).as("an explicit request is refused only when taken")
                        .isPositive();
            }
        }
    }

    private void assertInvariants(String tenant, UUID poolId) {
        assertThat(ReservationOverlaps.count(jdbc, tenant)).as("overlapping held prefixes").isZero();

        List<Ipv6Prefix> held = jdbc.query("SELECT prefix FROM prefix_reservation WHERE pool_id = ?",
                (rs, i) -> Ipv6Prefix.parse(rs.getString(1)), poolId);
        List<Ipv6Prefix> free = jdbc.query("SELECT prefix FROM free_block WHERE pool_id = ?",
                (rs, i) -> Ipv6Prefix.parse(rs.getString(1)), poolId);
        for (Ipv6Prefix prefix : held) {
            assertThat(POOL.contains(prefix)).as("%s inside the pool", prefix).isTrue();
            assertThat(LENGTHS).as("%s has a served length", prefix).contains(prefix.length());
            assertThat(prefix.parent(prefix.length())).as("%s aligned", prefix).isEqualTo(prefix);
        }
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM free_block f JOIN prefix_reservation r ON f.pool_id = r.pool_id AND f.prefix && r.prefix
                WHERE f.pool_id = ?""", Long.class, poolId)).as("free space overlapping a held prefix").isZero();
        BigInteger covered = BigInteger.ZERO;
        for (Ipv6Prefix prefix : concat(held, free)) {
            covered = covered.add(BigInteger.ONE.shiftLeft(128 - prefix.length()));
        }
        assertThat(covered).as("held and free space tile the pool").isEqualTo(BigInteger.ONE.shiftLeft(128 - POOL.length()));
        Set<Ipv6Prefix> freeSet = new HashSet<>(free);
        for (Ipv6Prefix block : free) {
            if (block.length() > POOL.length()) {
                assertThat(freeSet).as("free buddies of %s are merged", block)
                        .doesNotContain(PrefixArithmetic.buddy(block));
            }
        }
        assertThat(ledger.capacity(poolId, LENGTHS)).isEqualTo(independentCapacity(held));

        // The gauges read every pool's free blocks at once; they agree with the held prefixes too.
        PoolSpace space = poolSpace.all().get(poolId);
        assertThat(space.tenantId()).isEqualTo(tenant);
        Map<Integer, BigInteger> gaugeCapacity = new TreeMap<>();
        LENGTHS.forEach(length -> gaugeCapacity.put(length, space.free(length)));
        assertThat(gaugeCapacity).as("free prefixes of the gauges").isEqualTo(independentCapacity(held));
        // The held share of the pool, counted in /64s: the pool holds 2^(64 - 56) = 256 of them, a held /L
        // covers 2^(64 - L). 100 x n / 256 is exact in a double, so the gauge must equal it exactly.
        long held64s = held.stream().mapToLong(prefix -> 1L << (64 - prefix.length())).sum();
        assertThat(space.utilizationPercent()).as("utilisation of the gauges").isEqualTo(100.0 * held64s / 256);
    }

    /** How many more /L fit: all /L blocks, less those a held prefix covers or cuts into. */
    private static Map<Integer, BigInteger> independentCapacity(List<Ipv6Prefix> held) {
        Map<Integer, BigInteger> capacity = new TreeMap<>();
        for (int length : LENGTHS) {
            BigInteger free = POOL.count(length);
            Set<Ipv6Prefix> cut = new HashSet<>();
            for (Ipv6Prefix prefix : held) {
                if (prefix.length() <= length) {
                    free = free.subtract(prefix.count(length));
                } else {
                    cut.add(prefix.parent(length));
                }
            }
            capacity.put(length, free.subtract(BigInteger.valueOf(cut.size())));
        }
        return capacity;
    }

    private Optional<UUID> pick(UUID poolId, String condition, int pick) {
        List<UUID> candidates = jdbc.query("SELECT delegation_id FROM prefix_reservation WHERE pool_id = ? AND " + condition
                + " ORDER BY delegation_id", (rs, i) -> rs.getObject(1, UUID.class), poolId);
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(pick % candidates.size()));
    }

    private Set<Ipv6Prefix> quarantined(UUID poolId, String subscriberId, int length) {
        return new HashSet<>(jdbc.query("SELECT prefix FROM prefix_reservation WHERE pool_id = ? AND subscriber_id = ? "
                        + "AND quarantined_until IS NOT NULL AND masklen(prefix) = ?",
                (rs, i) -> Ipv6Prefix.parse(rs.getString(1)), poolId, subscriberId, length));
    }

    private long heldOverlapping(String tenant, Ipv6Prefix prefix) {
        return jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE tenant_id = ? AND prefix && ?::cidr",
                Long.class, tenant, prefix.canonical());
    }

    private static List<Ipv6Prefix> concat(List<Ipv6Prefix> a, List<Ipv6Prefix> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}

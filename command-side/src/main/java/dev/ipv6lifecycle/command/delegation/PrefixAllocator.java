package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.DelegatedLengths;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.command.aaa.RadiusAuthorizations;
import dev.ipv6lifecycle.command.pool.AllocatablePool;
import dev.ipv6lifecycle.command.pool.PoolRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Chooses the prefix for an allocation, inside the command's transaction. It only reads, locking what
 * it chose (a free block, or a quarantined reservation) until the transaction ends, so concurrent
 * allocations in one pool each take a different block instead of queueing on one lock. The tables are
 * then changed by {@link ReservationLedger} when the event is applied, under PostgreSQL's exclusion
 * constraint: this class decides placement, the constraint guarantees non-overlap.
 *
 * <p>Order of preference: the subscriber's own quarantined prefix, then its previous prefix if free,
 * then the best fit: the smallest free block that holds the length, lowest address first. Each step is
 * a few index lookups, whatever the size of the pool.
 */
@Component
class PrefixAllocator {

    private final JdbcTemplate jdbc;
    private final ReservationLedger ledger;
    private final PoolRegistry pools;
    private final RadiusAuthorizations authorizations;

    PrefixAllocator(JdbcTemplate jdbc, ReservationLedger ledger, PoolRegistry pools,
                    RadiusAuthorizations authorizations) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.pools = pools;
        this.authorizations = authorizations;
    }

    /** The chosen prefix, and the pool facts the delegation keeps. */
    record Choice(UUID poolId, Ipv6Prefix prefix, Placement placement, UUID reclaimedFrom, Duration quarantine) {
    }

    /** What one allocation of a batch got: its choice, or the refusal a single allocation would have been given. */
    record Chosen(Choice choice, DomainRejection refusal) {
    }

    Choice choose(AllocatePrefixCommand command) {
        return new Plan(List.of(command.subscriberId())).choose(command);
    }

    /**
     * The choices for a batch of allocations of one transaction, in order: each is placed exactly as it would be
     * if the ones before it had been stored first (the same preferences, in the same order), but free space is
     * read a pool at a time and split in memory, so a batch costs a few statements per pool instead of a few per
     * allocation. The ledger then stores them all ({@link ReservationLedger#reserveAll}).
     */
    List<Chosen> chooseAll(List<AllocatePrefixCommand> commands) {
        Plan plan = new Plan(commands.stream().map(AllocatePrefixCommand::subscriberId).toList());
        List<Chosen> chosen = new ArrayList<>(commands.size());
        for (AllocatePrefixCommand command : commands) {
            try {
                chosen.add(new Chosen(plan.choose(command), null));
            } catch (DomainRejection refused) {
                chosen.add(new Chosen(null, refused));
            }
            plan.remaining--;
        }
        return chosen;
    }

    /**
     * For an Access-Request's User-Name without a live delegation: the pool's usual choice (quarantined prefix,
     * previous prefix, best fit) in the tenant's oldest active pool marked for it that has room. The user name is
     * the subscriber id. Concurrent calls for one user name take turns, and all but the first find its delegation.
     */
    Choice chooseOnFirstSight(String tenantId, String radiusUserName) {
        validateRadiusUserName(radiusUserName);
        authorizations.lockForFirstSight(tenantId, radiusUserName);
        if (!authorizations.find(tenantId, radiusUserName).isEmpty()) {
            throw DomainRejection.conflict("the user name already has a live delegation");
        }
        List<AllocatablePool> marked = pools.lockFirstSightPools(tenantId);
        if (marked.isEmpty()) {
            throw DomainRejection.notFound("no active pool of the tenant allocates on first sight");
        }
        Plan plan = new Plan(List.of(radiusUserName));
        for (AllocatablePool pool : marked) {
            Optional<Choice> choice = plan.chooseIn(pool, radiusUserName, pool.defaultLength());
            if (choice.isPresent()) {
                return choice.get();
            }
        }
        throw DomainRejection.conflict("no pool that allocates on first sight has a free prefix of its default length");
    }

    static void validateRadiusUserName(String radiusUserName) {
        // RFC 2865 §5.1: User-Name is one to 253 octets.
        if (radiusUserName == null || radiusUserName.isEmpty()
                || radiusUserName.getBytes(StandardCharsets.UTF_8).length > 253) {
            throw DomainRejection.invalid("radiusUserName must be 1..253 octets");
        }
    }

    private static void validate(AllocatePrefixCommand command) {
        if (command.subscriberId() == null || command.subscriberId().isBlank()) {
            throw DomainRejection.invalid("subscriberId is required");
        }
        if (command.radiusUserName() != null) {
            validateRadiusUserName(command.radiusUserName());
        }
        Integer length = command.prefixLength();
        if (length != null && (length < DelegatedLengths.SHORTEST || length > DelegatedLengths.LONGEST)) {
            throw DomainRejection.invalid("prefixLength " + length + " is outside "
                    + DelegatedLengths.SHORTEST + ".." + DelegatedLengths.LONGEST);
        }
        if (command.prefix() != null && length != null && command.prefix().length() != length) {
            throw DomainRejection.invalid("prefix " + command.prefix() + " is not a /" + length);
        }
    }

    private static int lengthIn(AllocatablePool pool, AllocatePrefixCommand command) {
        return command.prefixLength() != null ? command.prefixLength() : pool.defaultLength();
    }

    /**
     * What the choices of one transaction have taken so far: the pools they locked, each pool's free space as
     * they split it ({@link FreeSpace}), the subscribers' affinities as they set them, and the quarantined
     * prefixes they reclaimed. Everything is read from the tables once and then kept here, which is what lets a
     * batch place each allocation as if the earlier ones were already stored.
     */
    private final class Plan {

        /** Allocations still to be chosen, this one included: the most blocks a pool can lose to them. */
        private int remaining;
        private List<AllocatablePool> tenantPools;
        private final Map<UUID, AllocatablePool> lockedPools = new HashMap<>();
        private final Map<UUID, FreeSpace> space = new HashMap<>();
        /** Per pool, the lengths whose best-fit candidates were read. */
        private final Map<UUID, Set<Integer>> bestFitsRead = new HashMap<>();
        /** Per pool, the subscribers' previous prefixes, for the subscribers asked about (null: none). */
        private final Map<UUID, Map<String, Ipv6Prefix>> affinities = new HashMap<>();
        /** The subscribers of the batch, whose affinities are read. */
        private final String[] subscribers;
        private final Set<UUID> reclaimed = new HashSet<>();

        Plan(List<String> subscribers) {
            this.remaining = subscribers.size();
            this.subscribers = subscribers.stream().filter(Objects::nonNull).distinct().toArray(String[]::new);
        }

        Choice choose(AllocatePrefixCommand command) {
            validate(command);
            Choice choice = command.prefix() != null ? chooseExplicit(command) : chooseAutomatic(command);
            taken(choice, command.subscriberId());
            return choice;
        }

        private Choice chooseExplicit(AllocatePrefixCommand command) {
            Ipv6Prefix wanted = command.prefix();
            AllocatablePool pool = command.poolId() != null ? pool(command.tenantId(), command.poolId())
                    : pools.lockPoolContaining(command.tenantId(), wanted);
            if (!pool.prefix().contains(wanted) || pool.prefix().equals(wanted)) {
                throw DomainRejection.invalid(wanted + " is not inside pool " + pool.id() + " (" + pool.prefix() + ")");
            }
            pool.requireServes(wanted.length());
            pool.requireActive();
            Optional<UUID> quarantinedForSubscriber = jdbc.query("""
                    SELECT delegation_id FROM prefix_reservation
                    WHERE tenant_id = ? AND span = prefix_span(?::cidr) AND subscriber_id = ? AND quarantined_until IS NOT NULL
                    FOR UPDATE""", (rs, i) -> rs.getObject(1, UUID.class),
                    command.tenantId(), wanted.canonical(), command.subscriberId()).stream()
                    .filter(delegation -> !reclaimed.contains(delegation)).findFirst();
            if (quarantinedForSubscriber.isPresent()) {
                return choice(pool, wanted, Placement.QUARANTINE_RECLAIM, quarantinedForSubscriber.get());
            }
            if (!isFree(pool, wanted, true)) {
                throw DomainRejection.conflict(wanted + " is not free: " + holder(command.tenantId(), wanted));
            }
            return choice(pool, wanted, Placement.EXPLICIT, null);
        }

        private Choice chooseAutomatic(AllocatePrefixCommand command) {
            if (command.poolId() != null) {
                AllocatablePool pool = pool(command.tenantId(), command.poolId());
                int length = lengthIn(pool, command);
                pool.requireServes(length);
                pool.requireActive();
                return chooseIn(pool, command.subscriberId(), length).orElseThrow(() -> DomainRejection.conflict(
                        "pool " + pool.id() + " (" + pool.prefix() + ") has no free /" + length));
            }
            if (tenantPools == null) {
                tenantPools = pools.lockTenantPools(command.tenantId());
            }
            for (AllocatablePool pool : tenantPools) {
                int length = lengthIn(pool, command);
                if (pool.serves(length) && pool.active()) {
                    Optional<Choice> choice = chooseIn(pool, command.subscriberId(), length);
                    if (choice.isPresent()) {
                        return choice.get();
                    }
                }
            }
            throw DomainRejection.conflict(command.prefixLength() != null
                    ? "no active pool of the tenant has a free /" + command.prefixLength()
                    : "no active pool of the tenant has a free prefix of its default length");
        }

        Optional<Choice> chooseIn(AllocatablePool pool, String subscriberId, int length) {
            // Every prefix a subscriber held in the pool, quarantined ones included, left its affinity row behind,
            // so a subscriber without one (most allocations: new subscribers) is given the best fit at once.
            Ipv6Prefix previous = affinity(pool.id()).get(subscriberId);
            if (previous == null) {
                return bestFit(pool, length);
            }
            return reclaimQuarantined(pool, subscriberId, length)
                    .or(() -> previousPrefix(pool, previous, length))
                    .or(() -> bestFit(pool, length));
        }

        private AllocatablePool pool(String tenantId, UUID poolId) {
            AllocatablePool pool = lockedPools.get(poolId);
            if (pool == null) {
                pool = pools.lockForAllocation(tenantId, poolId);
                lockedPools.put(poolId, pool);
            }
            return pool;
        }

        private FreeSpace space(UUID poolId) {
            return space.computeIfAbsent(poolId, id -> new FreeSpace());
        }

        /** The previous prefixes of every subscriber of the batch in the pool, read once per pool. */
        private Map<String, Ipv6Prefix> affinity(UUID poolId) {
            return affinities.computeIfAbsent(poolId, id -> {
                Map<String, Ipv6Prefix> previous = new HashMap<>();
                jdbc.query("SELECT subscriber_id, prefix FROM subscriber_affinity WHERE pool_id = ? AND subscriber_id = ANY (?)",
                        rs -> {
                            previous.put(rs.getString(1), Ipv6Prefix.parse(rs.getString(2)));
                        }, id, subscribers);
                return previous;
            });
        }

        private Optional<Choice> reclaimQuarantined(AllocatablePool pool, String subscriberId, int length) {
            return jdbc.query("""
                    SELECT prefix, delegation_id FROM prefix_reservation
                    WHERE pool_id = ? AND subscriber_id = ? AND quarantined_until IS NOT NULL AND masklen(prefix) = ?
                      AND delegation_id <> ALL (?)
                    ORDER BY quarantined_until DESC LIMIT 1
                    FOR UPDATE SKIP LOCKED""",
                    (rs, i) -> choice(pool, Ipv6Prefix.parse(rs.getString(1)), Placement.QUARANTINE_RECLAIM,
                            rs.getObject(2, UUID.class)),
                    pool.id(), subscriberId, length, reclaimed.toArray(UUID[]::new)).stream().findFirst();
        }

        private Optional<Choice> previousPrefix(AllocatablePool pool, Ipv6Prefix previous, int length) {
            return Optional.of(previous)
                    .filter(prefix -> prefix.length() == length)
                    .filter(prefix -> isFree(pool, prefix, false))
                    .map(prefix -> choice(pool, prefix, Placement.AFFINITY, null));
        }

        /**
         * Whether {@code prefix} is free: in a block this plan knows, or else in a block of the table, which is then
         * locked (waiting for another transaction that holds it, or not).
         */
        private boolean isFree(AllocatablePool pool, Ipv6Prefix prefix, boolean wait) {
            FreeSpace free = space(pool.id());
            FreeSpace.Block wanted = FreeSpace.Block.of(prefix);
            if (free.isFree(wanted)) {
                return true;
            }
            Optional<Ipv6Prefix> block = wait ? ledger.lockFreeBlockContaining(pool.id(), prefix)
                    : ledger.tryLockFreeBlockContaining(pool.id(), prefix);
            block.ifPresent(found -> free.read(FreeSpace.Block.of(found)));
            return free.isFree(wanted);
        }

        /**
         * The smallest free block that holds the length, lowest address first. The first time a pool is asked for a
         * length, its best candidates are read and locked: as many as the batch could still take from the table, so
         * the best free block is always among those this plan knows. Only when none is left (the pool is full, or
         * concurrent allocations hold the rest) does it look in the table again, waiting for held blocks.
         */
        private Optional<Choice> bestFit(AllocatablePool pool, int length) {
            FreeSpace free = space(pool.id());
            if (bestFitsRead.computeIfAbsent(pool.id(), id -> new HashSet<>()).add(length)) {
                int most = remaining + free.removedFromDatabase().size();
                jdbc.query("""
                        SELECT prefix FROM free_block WHERE pool_id = ? AND length <= ?
                        ORDER BY length DESC, prefix LIMIT ? FOR UPDATE SKIP LOCKED""",
                        rs -> {
                            free.read(FreeSpace.Block.of(Ipv6Prefix.parse(rs.getString(1))));
                        }, pool.id(), length, most);
            }
            Optional<FreeSpace.Block> fit = free.bestFit(length);
            if (fit.isEmpty()) {
                ledger.lockFreeBlock(pool.id(), "length <= ? AND prefix <> ALL (?::cidr[]) ORDER BY length DESC, prefix LIMIT 1",
                                length, BuddyBlocks.array(free.allRead()))
                        .ifPresent(block -> free.read(FreeSpace.Block.of(block)));
                fit = free.bestFit(length);
            }
            return fit.map(block -> choice(pool, block.prefix(), Placement.BEST_FIT, null));
        }

        /** Records what the choice took, so that the next choices of the plan see it taken. */
        private void taken(Choice choice, String subscriberId) {
            if (choice.reclaimedFrom() != null) {
                reclaimed.add(choice.reclaimedFrom());
            } else if (!space(choice.poolId()).take(FreeSpace.Block.of(choice.prefix()))) {
                throw new IllegalStateException(choice.prefix() + " was chosen but is not free");
            }
            affinity(choice.poolId()).put(subscriberId, choice.prefix());
        }
    }

    private String holder(String tenantId, Ipv6Prefix wanted) {
        return jdbc.query("""
                        SELECT prefix, quarantined_until FROM prefix_reservation
                        WHERE tenant_id = ? AND span && prefix_span(?::cidr) LIMIT 1""",
                        (rs, i) -> rs.getTimestamp(2) == null
                                ? "it overlaps " + rs.getString(1) + ", held by a live delegation"
                                : "it overlaps " + rs.getString(1) + ", in quarantine until " + rs.getTimestamp(2).toInstant(),
                        tenantId, wanted.canonical())
                .stream().findFirst().orElse("another allocation is taking it");
    }

    private static Choice choice(AllocatablePool pool, Ipv6Prefix prefix, Placement placement, UUID reclaimedFrom) {
        return new Choice(pool.id(), prefix, placement, reclaimedFrom, pool.quarantine());
    }
}

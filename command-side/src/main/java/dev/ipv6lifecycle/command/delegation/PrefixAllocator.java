package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.DelegatedLengths;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.command.aaa.RadiusAuthorizations;
import dev.ipv6lifecycle.command.pool.AllocatablePool;
import dev.ipv6lifecycle.command.pool.PoolRegistry;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

    Choice choose(AllocatePrefixCommand command) {
        validate(command);
        return command.prefix() != null ? chooseExplicit(command) : chooseAutomatic(command);
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
        for (AllocatablePool pool : marked) {
            Optional<Choice> choice = chooseIn(pool, radiusUserName, pool.defaultLength());
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

    private Choice chooseExplicit(AllocatePrefixCommand command) {
        Ipv6Prefix wanted = command.prefix();
        AllocatablePool pool = command.poolId() != null
                ? pools.lockForAllocation(command.tenantId(), command.poolId())
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
                command.tenantId(), wanted.canonical(), command.subscriberId()).stream().findFirst();
        if (quarantinedForSubscriber.isPresent()) {
            return choice(pool, wanted, Placement.QUARANTINE_RECLAIM, quarantinedForSubscriber.get());
        }
        if (ledger.lockFreeBlockContaining(pool.id(), wanted).isEmpty()) {
            throw DomainRejection.conflict(wanted + " is not free: " + holder(command.tenantId(), wanted));
        }
        return choice(pool, wanted, Placement.EXPLICIT, null);
    }

    private Choice chooseAutomatic(AllocatePrefixCommand command) {
        if (command.poolId() != null) {
            AllocatablePool pool = pools.lockForAllocation(command.tenantId(), command.poolId());
            int length = lengthIn(pool, command);
            pool.requireServes(length);
            pool.requireActive();
            return chooseIn(pool, command.subscriberId(), length).orElseThrow(() -> DomainRejection.conflict(
                    "pool " + pool.id() + " (" + pool.prefix() + ") has no free /" + length));
        }
        for (AllocatablePool pool : pools.lockTenantPools(command.tenantId())) {
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

    private static int lengthIn(AllocatablePool pool, AllocatePrefixCommand command) {
        return command.prefixLength() != null ? command.prefixLength() : pool.defaultLength();
    }

    private Optional<Choice> chooseIn(AllocatablePool pool, String subscriberId, int length) {
        // Every prefix a subscriber held in the pool, quarantined ones included, left its affinity row behind,
        // so a subscriber without one (most allocations: new subscribers) is given the best fit at once.
        Optional<Ipv6Prefix> previous = jdbc.query(
                        "SELECT prefix FROM subscriber_affinity WHERE pool_id = ? AND subscriber_id = ?",
                        (rs, i) -> Ipv6Prefix.parse(rs.getString(1)), pool.id(), subscriberId)
                .stream().findFirst();
        if (previous.isEmpty()) {
            return bestFit(pool, length);
        }
        return reclaimQuarantined(pool, subscriberId, length)
                .or(() -> previousPrefix(pool, previous.get(), length))
                .or(() -> bestFit(pool, length));
    }

    private Optional<Choice> reclaimQuarantined(AllocatablePool pool, String subscriberId, int length) {
        return jdbc.query("""
                SELECT prefix, delegation_id FROM prefix_reservation
                WHERE pool_id = ? AND subscriber_id = ? AND quarantined_until IS NOT NULL AND masklen(prefix) = ?
                ORDER BY quarantined_until DESC LIMIT 1
                FOR UPDATE SKIP LOCKED""",
                (rs, i) -> choice(pool, Ipv6Prefix.parse(rs.getString(1)), Placement.QUARANTINE_RECLAIM,
                        rs.getObject(2, UUID.class)),
                pool.id(), subscriberId, length).stream().findFirst();
    }

    private Optional<Choice> previousPrefix(AllocatablePool pool, Ipv6Prefix previous, int length) {
        return Optional.of(previous)
                .filter(prefix -> prefix.length() == length)
                .filter(prefix -> ledger.tryLockFreeBlockContaining(pool.id(), prefix).isPresent())
                .map(prefix -> choice(pool, prefix, Placement.AFFINITY, null));
    }

    private Optional<Choice> bestFit(AllocatablePool pool, int length) {
        return ledger.lockFreeBlock(pool.id(), "length <= ? ORDER BY length DESC, prefix LIMIT 1", length)
                .map(free -> choice(pool, free.subPrefix(length, BigInteger.ZERO), Placement.BEST_FIT, null));
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

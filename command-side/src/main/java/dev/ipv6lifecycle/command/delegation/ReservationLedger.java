package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.AllocationRaceException;
import dev.ipv6lifecycle.api.quota.TenantQuotaExceededException;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The command side's record of held prefixes and free space, changed only as delegation events are
 * applied, in their transaction. Free space is kept as maximal aligned blocks (a buddy system, whose
 * arithmetic is {@link BuddyBlocks}): taking a prefix splits the block that holds it, releasing one merges
 * it with its free buddy, level by level.
 */
@Component
class ReservationLedger {

    private static final Logger log = LoggerFactory.getLogger(ReservationLedger.class);
    private static final int MAX_WAITS = 50;
    private static final Pattern QUOTA_REFUSAL = Pattern.compile("length=(\\d+) limit=(\\d+) used=(\\d+)");

    private final JdbcTemplate jdbc;
    private final Counter races;

    ReservationLedger(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.races = Counter.builder("ipv6.allocation.conflicts")
                .description("Allocations whose chosen prefix a concurrent transaction took first; each is retried")
                .register(meters);
    }

    /**
     * Takes {@code prefix} out of the free block that holds it and records it as held by the delegation, in
     * one statement: the block is deleted, the rest of it (one buddy per level between the block and the
     * prefix) inserted as free blocks, the reservation inserted under the exclusion constraint, and the
     * subscriber's affinity set. Every part depends on the block having been deleted by this statement, so
     * a block another transaction took first changes nothing and is reported as a race (retried). Candidate
     * buddies are sent for every level; only those below the deleted block's length are inserted.
     */
    private static final String TAKE = """
            WITH taken AS (
                DELETE FROM free_block WHERE pool_id = ? AND prefix = ANY (?::cidr[]) RETURNING length),
            rest AS (
                INSERT INTO free_block (pool_id, prefix, length)
                SELECT ?, candidate.prefix, candidate.length
                FROM taken, unnest(?::cidr[], ?::smallint[]) AS candidate(prefix, length)
                WHERE candidate.length > taken.length),
            reserved AS (
                INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id)
                SELECT ?, ?, ?::cidr, ?, ? FROM taken
                RETURNING delegation_id),
            affinity AS (
                INSERT INTO subscriber_affinity (pool_id, subscriber_id, prefix)
                SELECT ?, ?, ?::cidr FROM taken
                ON CONFLICT (pool_id, subscriber_id) DO UPDATE SET prefix = excluded.prefix)
            SELECT count(*) FROM reserved""";

    /**
     * The batch form of {@link #TAKE}, for the allocations of one pool: the free blocks they came from deleted (as
     * many as were read, or nothing happens), the blocks left free by the splits inserted, the reservations inserted
     * under the exclusion constraint, and each subscriber's affinity set to its last prefix.
     */
    private static final String TAKE_ALL = """
            WITH taken AS (
                DELETE FROM free_block WHERE pool_id = ? AND prefix = ANY (?::cidr[]) RETURNING 1),
            checked AS (SELECT count(*) = ? AS ok FROM taken),
            rest AS (
                INSERT INTO free_block (pool_id, prefix, length)
                SELECT ?, block.prefix, block.length
                FROM checked, unnest(?::cidr[], ?::smallint[]) AS block(prefix, length) WHERE checked.ok),
            reserved AS (
                INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id)
                SELECT ?, ?, held.prefix, held.delegation_id, held.subscriber_id
                FROM checked, unnest(?::cidr[], ?::uuid[], ?::text[]) AS held(prefix, delegation_id, subscriber_id)
                WHERE checked.ok
                RETURNING 1),
            affinity AS (
                INSERT INTO subscriber_affinity (pool_id, subscriber_id, prefix)
                SELECT ?, latest.subscriber_id, latest.prefix
                FROM checked, unnest(?::text[], ?::cidr[]) AS latest(subscriber_id, prefix) WHERE checked.ok
                ON CONFLICT (pool_id, subscriber_id) DO UPDATE SET prefix = excluded.prefix)
            SELECT count(*) FROM reserved""";

    /** What a {@code PrefixAllocatedEvent} asks the ledger to record. */
    record Allocation(String tenantId, UUID poolId, Ipv6Prefix prefix, UUID delegationId, String subscriberId,
                      UUID reclaimedFrom) {
    }

    /**
     * Records the allocations of one transaction, in order, as {@link #reserve} would one after the other; those of
     * one pool in two statements (the free blocks they split, read and locked; then {@link #TAKE_ALL}), since a
     * batch of a thousand would otherwise cost a thousand round trips.
     */
    void reserveAll(List<Allocation> allocations) {
        Map<UUID, List<Allocation>> byPool = new LinkedHashMap<>();
        allocations.forEach(allocation -> byPool.computeIfAbsent(allocation.poolId(), pool -> new ArrayList<>()).add(allocation));
        byPool.forEach((poolId, ofPool) -> {
            if (ofPool.size() == 1) {
                reserve(ofPool.get(0));
            } else {
                reservePool(poolId, ofPool);
            }
        });
    }

    private void reservePool(UUID poolId, List<Allocation> allocations) {
        String tenantId = allocations.get(0).tenantId();
        List<Allocation> taking = new ArrayList<>(allocations.size());
        Set<FreeSpace.Block> candidates = new HashSet<>();
        Map<String, Ipv6Prefix> latestAffinity = new LinkedHashMap<>();
        for (Allocation allocation : allocations) {
            if (allocation.reclaimedFrom() != null) {
                reclaim(allocation);
            } else {
                taking.add(allocation);
                candidates.addAll(FreeSpace.enclosing(FreeSpace.Block.of(allocation.prefix())));
            }
            latestAffinity.remove(allocation.subscriberId());
            latestAffinity.put(allocation.subscriberId(), allocation.prefix());
        }
        FreeSpace space = new FreeSpace();
        jdbc.query("SELECT prefix FROM free_block WHERE pool_id = ? AND prefix = ANY (?::cidr[]) FOR UPDATE",
                rs -> {
                    space.read(FreeSpace.Block.of(Ipv6Prefix.parse(rs.getString(1))));
                }, poolId, BuddyBlocks.array(candidates));
        for (Allocation allocation : taking) {
            if (!space.take(FreeSpace.Block.of(allocation.prefix()))) {
                throw race(allocation.prefix() + " is no longer free");
            }
        }
        List<FreeSpace.Block> removed = space.removedFromDatabase();
        List<FreeSpace.Block> added = space.added();
        long reserved;
        try {
            reserved = jdbc.queryForObject(TAKE_ALL, Long.class,
                    poolId, BuddyBlocks.array(removed), removed.size(),
                    poolId, BuddyBlocks.array(added), BuddyBlocks.lengths(added),
                    tenantId, poolId, texts(taking.stream().map(Allocation::prefix).toList()),
                    taking.stream().map(Allocation::delegationId).toArray(UUID[]::new),
                    taking.stream().map(Allocation::subscriberId).toArray(String[]::new),
                    poolId, latestAffinity.keySet().toArray(String[]::new), texts(latestAffinity.values()));
        } catch (DataAccessException refused) {
            throw refusal(tenantId, refused, taking.size() + " prefixes of pool " + poolId
                    + " overlap prefixes reserved concurrently");
        }
        if (reserved != taking.size()) {
            throw race("free space of pool " + poolId + " changed while " + taking.size() + " prefixes were taken");
        }
    }

    /** Records {@code prefix} as held by the delegation; refuses anything that would overlap. */
    void reserve(String tenantId, UUID poolId, Ipv6Prefix prefix, UUID delegationId, String subscriberId,
                 UUID reclaimedFrom) {
        reserve(new Allocation(tenantId, poolId, prefix, delegationId, subscriberId, reclaimedFrom));
    }

    private void reserve(Allocation allocation) {
        Ipv6Prefix prefix = allocation.prefix();
        if (allocation.reclaimedFrom() != null) {
            reclaim(allocation);
            jdbc.update("""
                    INSERT INTO subscriber_affinity (pool_id, subscriber_id, prefix) VALUES (?, ?, ?::cidr)
                    ON CONFLICT (pool_id, subscriber_id) DO UPDATE SET prefix = excluded.prefix""",
                    allocation.poolId(), allocation.subscriberId(), prefix.canonical());
            return;
        }
        long reserved;
        try {
            reserved = jdbc.queryForObject(TAKE, Long.class, allocation.poolId(), BuddyBlocks.enclosing(prefix),
                    allocation.poolId(), BuddyBlocks.buddies(prefix), BuddyBlocks.lengthsUpTo(prefix.length()),
                    allocation.tenantId(), allocation.poolId(), prefix.canonical(), allocation.delegationId(),
                    allocation.subscriberId(), allocation.poolId(), allocation.subscriberId(), prefix.canonical());
        } catch (DataAccessException refused) {
            throw refusal(allocation.tenantId(), refused, prefix + " overlaps a prefix reserved concurrently");
        }
        if (reserved != 1) {
            throw race(prefix + " is no longer free");
        }
    }

    /** The quarantined reservation handed back to its subscriber, under the new delegation. */
    private void reclaim(Allocation allocation) {
        int taken = jdbc.update("""
                UPDATE prefix_reservation SET delegation_id = ?, quarantined_until = NULL
                WHERE delegation_id = ? AND prefix = ?::cidr AND quarantined_until IS NOT NULL""",
                allocation.delegationId(), allocation.reclaimedFrom(), allocation.prefix().canonical());
        if (taken != 1) {
            throw race(allocation.prefix() + " left quarantine before it could be reclaimed");
        }
    }

    /**
     * What a refused reservation statement means: over the tenant's quota (a business refusal), lost to a
     * concurrent transaction (a race, retried), or data PostgreSQL cannot take (Spring's name covers SQLSTATE
     * class 22 too: no race, and a retry would fail the same way).
     */
    private RuntimeException refusal(String tenantId, DataAccessException refused, String raceMessage) {
        Optional<TenantQuotaExceededException> overQuota = overQuota(tenantId, refused);
        if (overQuota.isPresent()) {
            return overQuota.get();
        }
        if (!(refused instanceof DataIntegrityViolationException) || !lostToAConcurrentTransaction(refused)) {
            return refused;
        }
        return race(raceMessage);
    }

    private static String texts(Collection<Ipv6Prefix> prefixes) {
        return prefixes.stream().map(Ipv6Prefix::canonical).collect(Collectors.joining(",", "{", "}"));
    }

    /** Keeps the ended delegation's prefix for its subscriber until {@code until}. */
    void quarantine(UUID delegationId, Instant until) {
        int updated = jdbc.update("UPDATE prefix_reservation SET quarantined_until = ? WHERE delegation_id = ?",
                Timestamp.from(until), delegationId);
        if (updated != 1) {
            // The sweep reports and repairs such a leak; the delegation's own history stays correct.
            log.error("Delegation {} ended but held no reservation to quarantine", delegationId);
        }
    }

    /** Returns the quarantined prefix to free space, unless its subscriber has taken it back. */
    void release(UUID delegationId) {
        List<Map<String, Object>> released = jdbc.queryForList("""
                DELETE FROM prefix_reservation WHERE delegation_id = ? AND quarantined_until IS NOT NULL
                RETURNING pool_id, prefix::text AS prefix""", delegationId);
        if (released.isEmpty()) {
            return;
        }
        UUID poolId = (UUID) released.get(0).get("pool_id");
        Ipv6Prefix block = Ipv6Prefix.parse((String) released.get(0).get("prefix"));
        // Releases of one pool take turns, so two buddies released at once still merge; allocations
        // never take this lock.
        jdbc.queryForObject("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(?::text, 0))", Integer.class, poolId);
        int poolLength = jdbc.queryForObject("SELECT masklen(prefix) FROM pool_registry WHERE pool_id = ?",
                Integer.class, poolId);
        while (block.length() > poolLength && jdbc.update(
                "DELETE FROM free_block WHERE pool_id = ? AND prefix = ?::cidr", poolId,
                BuddyBlocks.buddy(block).canonical()) == 1) {
            block = block.parent(block.length() - 1);
        }
        addFree(poolId, List.of(block));
    }

    /** The free block that holds {@code prefix}, locked; empty when the prefix is not wholly free. */
    Optional<Ipv6Prefix> lockFreeBlockContaining(UUID poolId, Ipv6Prefix prefix) {
        return lockFreeBlock(poolId, "prefix = ANY (?::cidr[])", BuddyBlocks.enclosing(prefix));
    }

    /** As {@link #lockFreeBlockContaining}, but empty at once when another transaction holds that block. */
    Optional<Ipv6Prefix> tryLockFreeBlockContaining(UUID poolId, Ipv6Prefix prefix) {
        return firstFreeBlock(poolId, "prefix = ANY (?::cidr[])", " FOR UPDATE SKIP LOCKED", BuddyBlocks.enclosing(prefix));
    }

    /**
     * The first free block of the pool that matches {@code condition}, locked until the transaction ends.
     * Blocks that concurrent allocations hold are skipped; only when every match is held does it wait. A
     * wait can end with the block gone, split by the allocation that held it, and PostgreSQL then returns
     * nothing for the statement ({@code FOR UPDATE} re-checks rows but never sees rows committed after the
     * statement began), so it looks again in a fresh snapshot: "nothing free" is answered only when true.
     */
    Optional<Ipv6Prefix> lockFreeBlock(UUID poolId, String condition, Object... arguments) {
        for (int attempt = 0; attempt < MAX_WAITS; attempt++) {
            Optional<Ipv6Prefix> block = firstFreeBlock(poolId, condition, " FOR UPDATE SKIP LOCKED", arguments)
                    .or(() -> firstFreeBlock(poolId, condition, " FOR UPDATE", arguments));
            if (block.isPresent() || firstFreeBlock(poolId, condition, "", arguments).isEmpty()) {
                return block;
            }
        }
        throw race("free space kept changing under " + MAX_WAITS + " attempts to take a block");
    }

    private Optional<Ipv6Prefix> firstFreeBlock(UUID poolId, String condition, String locking, Object... arguments) {
        Object[] all = new Object[arguments.length + 1];
        all[0] = poolId;
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return jdbc.query("SELECT prefix FROM free_block WHERE pool_id = ? AND " + condition + locking,
                        (rs, i) -> Ipv6Prefix.parse(rs.getString(1)), all)
                .stream().findFirst();
    }

    /** How many more prefixes of each length the pool can give: exact, from its free blocks. */
    Map<Integer, BigInteger> capacity(UUID poolId, List<Integer> lengths) {
        Map<Integer, BigInteger> capacity = new TreeMap<>();
        lengths.forEach(length -> capacity.put(length, BigInteger.ZERO));
        jdbc.query("SELECT length, count(*) FROM free_block WHERE pool_id = ? GROUP BY length", rs -> {
            int blockLength = rs.getInt(1);
            BigInteger blocks = BigInteger.valueOf(rs.getLong(2));
            capacity.replaceAll((length, free) -> length >= blockLength
                    ? free.add(blocks.shiftLeft(length - blockLength)) : free);
        }, poolId);
        return capacity;
    }

    private void addFree(UUID poolId, List<Ipv6Prefix> blocks) {
        jdbc.batchUpdate("INSERT INTO free_block (pool_id, prefix, length) VALUES (?, ?::cidr, ?)", blocks, blocks.size(),
                (statement, block) -> {
                    statement.setObject(1, poolId);
                    statement.setString(2, block.canonical());
                    statement.setInt(3, block.length());
                });
    }

    /**
     * V15's quota trigger refused the reservation (SQLSTATE QT001): a business refusal, never retried. Its
     * message names the quota's length (0: every length), its limit and its use before this allocation.
     */
    private static Optional<TenantQuotaExceededException> overQuota(String tenantId, DataAccessException refused) {
        if (!(refused.getMostSpecificCause() instanceof SQLException sql) || !"QT001".equals(sql.getSQLState())) {
            return Optional.empty();
        }
        Matcher quota = QUOTA_REFUSAL.matcher(String.valueOf(sql.getMessage()));
        if (!quota.find()) {
            throw refused;
        }
        int length = Integer.parseInt(quota.group(1));
        return Optional.of(new TenantQuotaExceededException(tenantId, length == 0 ? null : length,
                Long.parseLong(quota.group(2)), Long.parseLong(quota.group(3))));
    }

    /**
     * The exclusion constraint (23P01): a prefix reserved by a transaction that committed after this one
     * chose; or a unique key (23505), which only a concurrent change of the same free blocks can break.
     */
    private static boolean lostToAConcurrentTransaction(DataAccessException refused) {
        return refused.getMostSpecificCause() instanceof SQLException sql
                && ("23P01".equals(sql.getSQLState()) || "23505".equals(sql.getSQLState()));
    }

    private AllocationRaceException race(String message) {
        races.increment();
        return new AllocationRaceException(message);
    }
}

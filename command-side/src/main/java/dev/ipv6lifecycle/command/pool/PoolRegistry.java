package dev.ipv6lifecycle.command.pool;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import dev.ipv6lifecycle.api.pool.PoolOverlapException;
import dev.ipv6lifecycle.api.pool.PoolState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The command side's table of pools: what allocations check, kept in step with pool events. Allocations
 * read their pool here with a KEY SHARE lock: they do not block one another, but retiring the pool waits
 * for them.
 */
@Component
public class PoolRegistry {

    private static final String SELECT = "SELECT pool_id, prefix, delegated_lengths, default_length, "
            + "extract(epoch FROM quarantine)::bigint, state FROM pool_registry";

    private final JdbcTemplate jdbc;

    public PoolRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A pool of the tenant that overlaps {@code prefix}, described for an error message. */
    Optional<String> overlapping(String tenantId, Ipv6Prefix prefix) {
        return jdbc.query("SELECT pool_id, prefix FROM pool_registry WHERE tenant_id = ? AND prefix && ?::cidr LIMIT 1",
                (rs, i) -> rs.getString(2) + " (pool " + rs.getString(1) + ")", tenantId, prefix.canonical())
                .stream().findFirst();
    }

    /**
     * Counts the pool's live and quarantined prefixes, after waiting for allocations in flight: they hold
     * a key-share lock on the pool's row, which this update lock waits out.
     */
    long lockAndCountHeld(UUID poolId) {
        jdbc.queryForList("SELECT pool_id FROM pool_registry WHERE pool_id = ? FOR UPDATE", poolId);
        return jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE pool_id = ?", Long.class, poolId);
    }

    void add(PoolCreatedEvent event) {
        try {
            jdbc.update("""
                    INSERT INTO pool_registry (pool_id, tenant_id, prefix, delegated_lengths, default_length,
                                               quarantine, state, created_at, allocate_on_first_sight)
                    VALUES (?, ?, ?::cidr, ?::smallint[], ?, ?::interval, 'ACTIVE', ?, ?)""",
                    event.poolId(), event.tenantId(), event.prefix().canonical(),
                    event.delegatedLengths().toString().replace('[', '{').replace(']', '}'),
                    event.defaultLength(), event.quarantine().toString(), Timestamp.from(event.createdAt()),
                    event.allocatesOnFirstSight());
        } catch (DataIntegrityViolationException overlap) {
            // A concurrent creation won the race that the command handler's check could not see.
            throw new PoolOverlapException(event.prefix(), "created concurrently");
        }
        jdbc.update("INSERT INTO free_block (pool_id, prefix, length) VALUES (?, ?::cidr, ?)",
                event.poolId(), event.prefix().canonical(), event.prefix().length());
    }

    void changeState(UUID poolId, PoolState state) {
        jdbc.update("UPDATE pool_registry SET state = ? WHERE pool_id = ?", state.name(), poolId);
    }

    /** The tenant's pool, for an allocation into it. */
    public AllocatablePool lockForAllocation(String tenantId, UUID poolId) {
        return jdbc.query(SELECT + " WHERE pool_id = ? AND tenant_id = ? FOR KEY SHARE", PoolRegistry::map, poolId,
                        tenantId)
                .stream().findFirst().orElseThrow(() -> DomainRejection.notFound("no pool " + poolId));
    }

    /** The tenant's pools that are not retired, oldest first: the order an allocation without a pool tries. */
    public List<AllocatablePool> lockTenantPools(String tenantId) {
        return jdbc.query(SELECT + " WHERE tenant_id = ? AND state <> 'RETIRED' ORDER BY created_at, pool_id "
                + "FOR KEY SHARE", PoolRegistry::map, tenantId);
    }

    /** Whether any active pool of the tenant allocates on first sight: one index lookup, without locks. */
    public boolean allocatesOnFirstSight(String tenantId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM pool_registry WHERE tenant_id = ? "
                + "AND state = 'ACTIVE' AND allocate_on_first_sight)", Boolean.class, tenantId));
    }

    /** The tenant's active pools marked for allocation on first sight, oldest first. */
    public List<AllocatablePool> lockFirstSightPools(String tenantId) {
        return jdbc.query(SELECT + " WHERE tenant_id = ? AND state = 'ACTIVE' AND allocate_on_first_sight "
                + "ORDER BY created_at, pool_id FOR KEY SHARE", PoolRegistry::map, tenantId);
    }

    /** The tenant's pool that holds {@code prefix}, for an explicit allocation. */
    public AllocatablePool lockPoolContaining(String tenantId, Ipv6Prefix prefix) {
        return jdbc.query(SELECT + " WHERE tenant_id = ? AND prefix >>= ?::cidr FOR KEY SHARE", PoolRegistry::map,
                        tenantId, prefix.canonical())
                .stream().findFirst().orElseThrow(() -> DomainRejection.invalid(
                        prefix + " is not inside any pool of the tenant"));
    }

    private static AllocatablePool map(ResultSet rs, int row) throws SQLException {
        Short[] lengths = (Short[]) rs.getArray(3).getArray();
        return new AllocatablePool(rs.getObject(1, UUID.class), Ipv6Prefix.parse(rs.getString(2)),
                Arrays.stream(lengths).map(Short::intValue).toList(), rs.getInt(4), Duration.ofSeconds(rs.getLong(5)),
                rs.getString(6));
    }
}

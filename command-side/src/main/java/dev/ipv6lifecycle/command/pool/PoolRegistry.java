package dev.ipv6lifecycle.command.pool;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import dev.ipv6lifecycle.api.pool.PoolOverlapException;
import dev.ipv6lifecycle.api.pool.PoolState;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The command side's table of pools: what allocations check, kept in step with pool events. */
@Component
class PoolRegistry {

    private final JdbcTemplate jdbc;

    PoolRegistry(JdbcTemplate jdbc) {
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
                                               quarantine, state, created_at)
                    VALUES (?, ?, ?::cidr, ?::smallint[], ?, ?::interval, 'ACTIVE', ?)""",
                    event.poolId(), event.tenantId(), event.prefix().canonical(),
                    event.delegatedLengths().toString().replace('[', '{').replace(']', '}'),
                    event.defaultLength(), event.quarantine().toString(), Timestamp.from(event.createdAt()));
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
}

package dev.ipv6lifecycle.command.aaa;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code radius_authorization} table: which prefixes each RADIUS user name of a tenant holds, and in which
 * state. Written only by {@link RadiusAuthorizationProjection}, in the transaction of the delegation's events;
 * read by every Access-Request. Because it holds live delegations only, a revocation removes the row in the
 * transaction of its command, and any read after that commit, on any node, finds no prefix.
 */
@Component
public class RadiusAuthorizations {

    /** One live delegation of the user name. */
    public record Authorization(UUID delegationId, Ipv6Prefix prefix, LifecycleState state) {
    }

    private final JdbcTemplate jdbc;

    public RadiusAuthorizations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The user name's live delegations in the tenant, oldest first. */
    public List<Authorization> find(String tenantId, String radiusUserName) {
        return jdbc.query("""
                        SELECT delegation_id, prefix, state FROM radius_authorization
                        WHERE tenant_id = ? AND radius_user_name = ? ORDER BY allocated_at, delegation_id""",
                (rs, i) -> new Authorization(rs.getObject(1, UUID.class), Ipv6Prefix.parse(rs.getString(2)),
                        LifecycleState.valueOf(rs.getString(3))),
                tenantId, radiusUserName);
    }

    /**
     * Makes allocations on first sight of one user name take turns until their transactions end, so that the
     * second of two retransmitted Access-Requests sees the first one's delegation (READ COMMITTED: the statement
     * after the lock sees what the first transaction committed).
     */
    public void lockForFirstSight(String tenantId, String radiusUserName) {
        jdbc.queryForObject("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(?, 0))", Integer.class,
                // Tenant ids have no '/', so tenant and user name cannot run into each other.
                "radius-first-sight/" + tenantId + "/" + radiusUserName);
    }

    /** Rows for new delegations, in one statement however many. */
    void insertAll(List<PrefixAllocatedEvent> allocations) {
        jdbc.update("""
                        INSERT INTO radius_authorization (delegation_id, tenant_id, radius_user_name, prefix, state,
                                                          allocated_at)
                        SELECT delegation_id, tenant_id, radius_user_name, prefix, 'ALLOCATED', allocated_at
                        FROM unnest(?::uuid[], ?::text[], ?::text[], ?::cidr[], ?::timestamptz[])
                            AS allocated(delegation_id, tenant_id, radius_user_name, prefix, allocated_at)""",
                allocations.stream().map(PrefixAllocatedEvent::delegationId).toArray(UUID[]::new),
                allocations.stream().map(PrefixAllocatedEvent::tenantId).toArray(String[]::new),
                allocations.stream().map(PrefixAllocatedEvent::effectiveRadiusUserName).toArray(String[]::new),
                allocations.stream().map(allocated -> allocated.prefix().canonical()).toArray(String[]::new),
                allocations.stream().map(allocated -> allocated.allocatedAt().toString()).toArray(String[]::new));
    }

    void changeState(UUID delegationId, LifecycleState state) {
        jdbc.update("UPDATE radius_authorization SET state = ? WHERE delegation_id = ?", state.name(), delegationId);
    }

    void rename(UUID delegationId, String radiusUserName) {
        jdbc.update("UPDATE radius_authorization SET radius_user_name = ? WHERE delegation_id = ?", radiusUserName,
                delegationId);
    }

    void remove(UUID delegationId) {
        jdbc.update("DELETE FROM radius_authorization WHERE delegation_id = ?", delegationId);
    }
}

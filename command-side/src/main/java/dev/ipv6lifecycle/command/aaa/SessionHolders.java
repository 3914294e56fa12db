package dev.ipv6lifecycle.command.aaa;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Who holds a prefix a session reports, from the command side's tables (never behind a committed command): the
 * reservation (V3, found through its span index, V11) and the delegation's row in {@code radius_authorization}
 * when it is live. Read-only, in statements of their own: nothing here touches the allocation path.
 */
@Component
public class SessionHolders {

    /**
     * The delegation that holds a prefix, or held it and has it in quarantine.
     *
     * @param radiusUserName the user name Access-Requests are answered for; {@code null} when not live
     * @param state          ALLOCATED, ACTIVE or SUSPENDED; {@code null} when not live (revoking, revoked, failed)
     * @param quarantined    whether the prefix is in quarantine after a revocation
     */
    public record Holder(UUID delegationId, String subscriberId, String radiusUserName, LifecycleState state,
                         boolean quarantined) {

        /** Whether a session of {@code userName} may carry the prefix (an unnamed session is given the benefit). */
        public boolean holds(String userName) {
            return state != null && (userName == null || userName.equals(radiusUserName));
        }
    }

    private final JdbcTemplate jdbc;

    public SessionHolders(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's delegation of exactly {@code prefix}, if any. */
    public Optional<Holder> holderOf(String tenantId, Ipv6Prefix prefix) {
        if (prefix.length() < 48 || prefix.length() > 64) {
            return Optional.empty(); // reservations are /48 to /64 (V11)
        }
        return jdbc.query("""
                        SELECT r.delegation_id, r.subscriber_id, a.radius_user_name, a.state,
                               r.quarantined_until IS NOT NULL AS quarantined
                        FROM prefix_reservation r LEFT JOIN radius_authorization a ON a.delegation_id = r.delegation_id
                        WHERE r.tenant_id = ? AND r.span && prefix_span(?::cidr) AND r.prefix = ?::cidr""",
                (rs, i) -> new Holder(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4) == null ? null : LifecycleState.valueOf(rs.getString(4)), rs.getBoolean(5)),
                tenantId, prefix.canonical(), prefix.canonical()).stream().findFirst();
    }

    /** Whether {@code prefix} lies in one of the tenant's pools: space this service hands out. */
    public boolean inPools(String tenantId, Ipv6Prefix prefix) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM pool_registry WHERE tenant_id = ? AND prefix >>= ?::cidr)",
                Boolean.class, tenantId, prefix.canonical()));
    }
}

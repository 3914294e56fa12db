package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.NasSession;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The sessions that RADIUS accounting reports as carrying a prefix now (the command side's {@code radius_session},
 * V16): where CoA and Disconnect go when the command that caused them carried no {@code nas} details. Only sessions
 * with a NAS address and an Acct-Session-Id can be addressed; the shared secret is the configured one for that
 * NAS address ({@code radius.dae.nas-secrets}, else {@code radius.dae.secret}).
 */
@Component
class LiveSessions {

    private final JdbcTemplate jdbc;

    LiveSessions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's open sessions carrying exactly {@code prefix}, oldest first. */
    List<NasSession> carrying(String tenantId, Ipv6Prefix prefix) {
        if (prefix == null || prefix.length() < 32 || prefix.length() > 64) {
            return List.of(); // what radius_session can hold
        }
        return jdbc.query("""
                        SELECT user_name, nas_ip, acct_session_id FROM radius_session
                        WHERE tenant_id = ? AND stopped_at IS NULL AND prefix IS NOT NULL
                          AND prefix_span(prefix) && prefix_span(?::cidr) AND prefix = ?::cidr
                          AND nas_ip IS NOT NULL AND acct_session_id IS NOT NULL
                        ORDER BY started_at NULLS LAST, session_id""",
                (rs, i) -> new NasSession(rs.getString(1), rs.getString(2), rs.getString(3)), tenantId,
                prefix.canonical(), prefix.canonical());
    }
}

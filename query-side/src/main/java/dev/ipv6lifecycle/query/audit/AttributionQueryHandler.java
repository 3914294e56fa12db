package dev.ipv6lifecycle.query.audit;

import static dev.ipv6lifecycle.query.Timestamps.instant;
import static dev.ipv6lifecycle.query.Timestamps.toSql;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.audit.Attribution;
import dev.ipv6lifecycle.api.audit.AttributionQuery;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Answers "who held this address or prefix then" from {@code assignment_history}. */
@Component
class AttributionQueryHandler {

    private final JdbcTemplate jdbc;

    AttributionQueryHandler(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One lookup in the GiST index on (tenant_id, prefix, held_during). Held prefixes of a tenant never
     * overlap, and a holding ends before the next one of an overlapping prefix starts, so at most one row
     * matches; the ordering only makes the answer deterministic should a corrupted history hold two.
     */
    @QueryHandler
    Optional<Attribution> handle(AttributionQuery query) {
        return jdbc.query("""
                SELECT prefix::text AS prefix, subscriber_id, delegation_id, held_from, held_until
                FROM assignment_history
                WHERE tenant_id = ? AND prefix >>= ?::cidr AND held_during @> ?::timestamptz
                ORDER BY held_from DESC
                LIMIT 1""",
                (row, i) -> new Attribution(Ipv6Prefix.parse(row.getString("prefix")), row.getString("subscriber_id"),
                        row.getObject("delegation_id", UUID.class), instant(row, "held_from"),
                        instant(row, "held_until")),
                query.tenantId(), query.prefix().canonical(), toSql(query.at())).stream().findFirst();
    }
}

package dev.ipv6lifecycle.query.audit;

import static dev.ipv6lifecycle.query.Timestamps.instant;
import static dev.ipv6lifecycle.query.Timestamps.toSql;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.audit.Attribution;
import dev.ipv6lifecycle.api.audit.AttributionQuery;
import dev.ipv6lifecycle.api.delegation.DelegatedLengths;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
     * A few lookups in the B-tree on (tenant_id, prefix, held_from): the prefixes that can contain the one asked
     * about are its supernets of the delegated lengths (a history row is always one, migration V19). Held
     * prefixes of a tenant never overlap, and a holding ends before the next one of an overlapping prefix
     * starts, so at most one row matches; the ordering only makes the answer deterministic should a corrupted
     * history hold two.
     */
    @QueryHandler
    Optional<Attribution> handle(AttributionQuery query) {
        int longest = Math.min(DelegatedLengths.LONGEST, query.prefix().length());
        String containing = IntStream.rangeClosed(DelegatedLengths.SHORTEST, longest)
                .mapToObj(length -> query.prefix().parent(length).canonical())
                .collect(Collectors.joining(",", "{", "}"));
        return jdbc.query("""
                SELECT prefix::text AS prefix, subscriber_id, delegation_id, held_from, held_until
                FROM assignment_history
                WHERE tenant_id = ? AND prefix = ANY (?::cidr[]) AND held_during @> ?::timestamptz
                ORDER BY held_from DESC
                LIMIT 1""",
                (row, i) -> new Attribution(Ipv6Prefix.parse(row.getString("prefix")), row.getString("subscriber_id"),
                        row.getObject("delegation_id", UUID.class), instant(row, "held_from"),
                        instant(row, "held_until")),
                query.tenantId(), containing, toSql(query.at())).stream().findFirst();
    }
}

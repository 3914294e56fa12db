package dev.ipv6lifecycle.query.delegation;

import static dev.ipv6lifecycle.query.Timestamps.instant;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.FindDelegationQuery;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.ListDelegationsQuery;
import dev.ipv6lifecycle.api.delegation.SubscriberStatus;
import dev.ipv6lifecycle.api.delegation.SubscriberStatusQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Answers the delegation queries from {@code delegation_view}, always within the caller's tenant. */
@Component
class DelegationQueryHandler {

    private static final String COLUMNS = """
            delegation_id, subscriber_id, pool_id, prefix::text AS prefix, state, allocated_at, activated_at,
            suspended_at, revoked_at, failed_at, reason, quarantine_until""";
    /** Newest allocation first; the id breaks ties so that pages never overlap. */
    private static final String NEWEST_FIRST = " ORDER BY allocated_at DESC, delegation_id DESC";
    private static final String LIVE = "state IN ('ALLOCATED', 'ACTIVE', 'SUSPENDED', 'REVOKING')";

    private final JdbcTemplate jdbc;

    DelegationQueryHandler(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    Optional<DelegationView> handle(FindDelegationQuery query) {
        return jdbc.query("SELECT " + COLUMNS + " FROM delegation_view WHERE tenant_id = ? AND delegation_id = ?",
                (row, i) -> view(row), query.tenantId(), query.delegationId()).stream().findFirst();
    }

    /**
     * Declared with the raw {@code Page}: Axon matches a caller's response type against the declared
     * return type, and no {@code ResponseTypes.instanceOf(Page.class)} matches a parameterized one.
     */
    @QueryHandler
    @SuppressWarnings("rawtypes")
    Page handle(ListDelegationsQuery query) {
        if (query.page() < 0 || query.size() < 1) {
            throw new IllegalArgumentException("page must be 0 or more and size 1 or more, not page " + query.page()
                    + " and size " + query.size());
        }
        StringBuilder where = new StringBuilder(" WHERE tenant_id = ?");
        List<Object> arguments = new ArrayList<>(List.of(query.tenantId()));
        if (query.subscriberId() != null) {
            where.append(" AND subscriber_id = ?");
            arguments.add(query.subscriberId());
        }
        if (query.poolId() != null) {
            where.append(" AND pool_id = ?");
            arguments.add(query.poolId());
        }
        if (query.state() != null) {
            where.append(" AND state = ?");
            arguments.add(query.state().name());
        }
        if (query.prefix() != null) {
            where.append(" AND prefix <<= ?::cidr");
            arguments.add(query.prefix().canonical());
        }
        long total = jdbc.queryForObject("SELECT count(*) FROM delegation_view" + where, Long.class,
                arguments.toArray());
        List<Object> paged = new ArrayList<>(arguments);
        paged.add(query.size());
        paged.add((long) query.page() * query.size());
        List<DelegationView> content = jdbc.query("SELECT " + COLUMNS + " FROM delegation_view" + where + NEWEST_FIRST
                + " LIMIT ? OFFSET ?", (row, i) -> view(row), paged.toArray());
        return new Page<>(content, query.page(), query.size(), total);
    }

    @QueryHandler
    SubscriberStatus handle(SubscriberStatusQuery query) {
        List<DelegationView> live = jdbc.query("SELECT " + COLUMNS + " FROM delegation_view"
                        + " WHERE tenant_id = ? AND subscriber_id = ? AND " + LIVE + NEWEST_FIRST,
                (row, i) -> view(row), query.tenantId(), query.subscriberId());
        LifecycleState state = live.isEmpty() ? LifecycleState.PENDING : live.get(0).state();
        return new SubscriberStatus(query.subscriberId(), state, live);
    }

    private static DelegationView view(ResultSet row) throws SQLException {
        Ipv6Prefix prefix = Ipv6Prefix.parse(row.getString("prefix"));
        return new DelegationView(row.getObject("delegation_id", UUID.class), row.getString("subscriber_id"),
                row.getObject("pool_id", UUID.class), prefix, prefix.length(),
                LifecycleState.valueOf(row.getString("state")), instant(row, "allocated_at"),
                instant(row, "activated_at"), instant(row, "suspended_at"), instant(row, "revoked_at"),
                instant(row, "failed_at"), row.getString("reason"), instant(row, "quarantine_until"));
    }
}

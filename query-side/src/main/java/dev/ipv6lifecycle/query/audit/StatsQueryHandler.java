package dev.ipv6lifecycle.query.audit;

import dev.ipv6lifecycle.api.audit.Stats;
import dev.ipv6lifecycle.api.audit.StatsQuery;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The tenant's figures, from {@code delegation_view} and the {@code pool_utilization} view. */
@Component
class StatsQueryHandler {

    private final JdbcTemplate jdbc;

    StatsQueryHandler(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    Stats handle(StatsQuery query) {
        Map<LifecycleState, Long> byState = new EnumMap<>(LifecycleState.class);
        for (LifecycleState state : LifecycleState.values()) {
            // PENDING describes a subscriber without a live delegation, never a delegation.
            if (state != LifecycleState.PENDING) {
                byState.put(state, 0L);
            }
        }
        jdbc.query("SELECT state, count(*) AS delegations FROM delegation_view WHERE tenant_id = ? GROUP BY state",
                row -> {
                    byState.put(LifecycleState.valueOf(row.getString("state")), row.getLong("delegations"));
                }, query.tenantId());
        List<Stats.PoolUtilization> pools = jdbc.query("""
                SELECT pool_id, name, utilization_percent FROM pool_utilization
                WHERE tenant_id = ? ORDER BY created_at, pool_id""",
                (row, i) -> new Stats.PoolUtilization(row.getObject("pool_id", UUID.class), row.getString("name"),
                        row.getDouble("utilization_percent")),
                query.tenantId());
        // Leaks are what the sweep finds (docs/operations.md); the sweep's issue fills this in once it records its
        // findings. Until then there are none to report.
        long leaks = 0;
        return new Stats(byState, pools, leaks);
    }
}

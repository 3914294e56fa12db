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

/**
 * The tenant's figures, from {@code delegation_view}, the {@code pool_utilization} view and the latest sweep
 * run's findings ({@code sweep_run}, {@code sweep_run_tenant}).
 */
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
        // The open leaks of the latest finished sweep in this tenant: the leaks it detected here less those it
        // repaired itself. A sweep covers every tenant, so the latest run is the cluster's latest; a tenant
        // it found nothing in has no row (0), and so has every tenant before the first sweep.
        Long leaks = jdbc.queryForObject("""
                SELECT coalesce(sum(t.leaks_detected - t.leaks_repaired), 0) FROM sweep_run_tenant t
                WHERE t.tenant_id = ?
                  AND t.run_id = (SELECT r.run_id FROM sweep_run r ORDER BY r.finished_at DESC, r.run_id LIMIT 1)""",
                Long.class, query.tenantId());
        return new Stats(byState, pools, leaks);
    }
}

package dev.ipv6lifecycle.server.console;

import dev.ipv6lifecycle.api.audit.Stats;
import dev.ipv6lifecycle.api.audit.StatsQuery;
import dev.ipv6lifecycle.server.admin.ProjectionProcessors;
import dev.ipv6lifecycle.server.security.CallerIdentity;
import dev.ipv6lifecycle.server.security.Role;
import dev.ipv6lifecycle.server.web.Caller;
import java.time.Instant;
import java.util.List;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * Health: the sweep's latest runs and what they found, leaks, and (for admins, as in the API) the
 * projections' positions with a replay button.
 */
@Controller
class HealthPages {

    private static final int RUNS = 20;

    private final QueryGateway queries;
    private final ProjectionProcessors projections;
    private final JdbcTemplate jdbc;
    private final Caller caller;
    private final ConsoleSettings settings;

    HealthPages(QueryGateway queries, ProjectionProcessors projections, JdbcTemplate jdbc, Caller caller,
                ConsoleSettings settings) {
        this.queries = queries;
        this.projections = projections;
        this.jdbc = jdbc;
        this.caller = caller;
        this.settings = settings;
    }

    /**
     * One sweep run. The sweep covers every tenant: its installation-wide counts are shown to tenant
     * {@code default} only, leaks to each tenant as its own.
     */
    record SweepRun(Instant startedAt, Instant finishedAt, String trigger, Long revokedPurged, Long allocatedStale,
                    Long revokingStuck, long leaksDetected, long leaksRepaired, Long errors) {
    }

    @GetMapping("/console/health")
    String health(Model model) {
        CallerIdentity me = caller.identity();
        boolean installation = CallerIdentity.OPERATOR_TENANT.equals(me.tenantId());
        model.addAttribute("stats", queries.query(new StatsQuery(me.tenantId()), ResponseTypes.instanceOf(Stats.class))
                .join());
        model.addAttribute("installation", installation);
        model.addAttribute("runs", runs(me.tenantId(), installation));
        model.addAttribute("projections", me.role() == Role.ADMIN ? projections.status() : List.of());
        model.addAttribute("grafanaUrl", settings.grafanaUrl().isBlank() ? null : settings.grafanaUrl());
        return "console/health";
    }

    @PostMapping("/console/health/projections/{name}/replay")
    String replay(@PathVariable String name) {
        projections.replay(name);
        return "redirect:/console/health";
    }

    private List<SweepRun> runs(String tenantId, boolean installation) {
        return jdbc.query("""
                SELECT r.started_at, r.finished_at, r.trigger, r.revoked_purged, r.allocated_stale, r.revoking_stuck,
                       r.errors, coalesce(t.leaks_detected, 0) AS leaks_detected,
                       coalesce(t.leaks_repaired, 0) AS leaks_repaired
                FROM sweep_run r LEFT JOIN sweep_run_tenant t ON t.run_id = r.run_id AND t.tenant_id = ?
                ORDER BY r.finished_at DESC LIMIT ?""", (row, i) -> new SweepRun(
                row.getTimestamp("started_at").toInstant(), row.getTimestamp("finished_at").toInstant(),
                row.getString("trigger"), installation ? row.getLong("revoked_purged") : null,
                installation ? row.getLong("allocated_stale") : null,
                installation ? row.getLong("revoking_stuck") : null, row.getLong("leaks_detected"),
                row.getLong("leaks_repaired"), installation ? row.getLong("errors") : null), tenantId, RUNS);
    }
}

package dev.ipv6lifecycle.server.maintenance;

import dev.ipv6lifecycle.sagas.sweep.Sweep;
import dev.ipv6lifecycle.sagas.sweep.SweepReport;
import dev.ipv6lifecycle.server.aaa.AccountingChecks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/maintenance")
@Tag(name = "Maintenance", description = "The sweep")
class SweepController {

    private final Sweep sweep;
    private final AccountingChecks accounting;

    SweepController(Sweep sweep, AccountingChecks accounting) {
        this.sweep = sweep;
        this.accounting = accounting;
    }

    /**
     * The sweep's counts, and those of the RADIUS accounting checks it runs after it: sessions closed as stale,
     * ACTIVE delegations without accounting (both also run on their own schedule).
     */
    record SweepAnswer(long revokedPurged, long allocatedStale, long revokingStuck, long leaksDetected,
                       long leaksRepaired, long errors, long staleSessionsClosed, long activeWithoutAccounting) {

        static SweepAnswer of(SweepReport report, AccountingChecks.Findings findings) {
            return new SweepAnswer(report.revokedPurged(), report.allocatedStale(), report.revokingStuck(),
                    report.leaksDetected(), report.leaksRepaired(), report.errors(), findings.staleSessions(),
                    findings.staleActive());
        }
    }

    @PostMapping("/sweep")
    @Operation(summary = "Run the sweep now", description = "The daily sweep, at once: purges long-revoked rows "
            + "from the current views, reports stale allocations, drives stuck revocations again, finds and "
            + "repairs leaks, then closes stale RADIUS sessions and counts ACTIVE delegations without accounting. "
            + "Answers its counts when it has finished; 409 while another sweep runs. Covers every "
            + "tenant: the installation's operator runs it.")
    SweepAnswer sweep() {
        SweepReport report = sweep.run(Sweep.Trigger.API);
        return SweepAnswer.of(report, accounting.run(Instant.now()));
    }
}

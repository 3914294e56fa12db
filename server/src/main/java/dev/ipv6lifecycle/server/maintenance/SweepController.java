package dev.ipv6lifecycle.server.maintenance;

import dev.ipv6lifecycle.sagas.sweep.Sweep;
import dev.ipv6lifecycle.sagas.sweep.SweepReport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/maintenance")
@Tag(name = "Maintenance", description = "The sweep")
class SweepController {

    private final Sweep sweep;

    SweepController(Sweep sweep) {
        this.sweep = sweep;
    }

    @PostMapping("/sweep")
    @Operation(summary = "Run the sweep now", description = "The daily sweep, at once: purges long-revoked rows "
            + "from the current views, reports stale allocations, drives stuck revocations again, finds and "
            + "repairs leaks. Answers its counts when it has finished; 409 while another sweep runs. Covers every "
            + "tenant: the installation's operator runs it.")
    SweepReport sweep() {
        return sweep.run(Sweep.Trigger.API);
    }
}

package dev.ipv6lifecycle.server.audit;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.audit.Attribution;
import dev.ipv6lifecycle.api.audit.AttributionQuery;
import dev.ipv6lifecycle.api.audit.Stats;
import dev.ipv6lifecycle.api.audit.StatsQuery;
import dev.ipv6lifecycle.command.aaa.RadiusSessions;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Session;
import dev.ipv6lifecycle.server.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Audit", description = "Attribution, export and figures")
class AuditController {

    private final QueryGateway queries;
    private final AuditExport export;
    private final Caller caller;
    private final RadiusSessions sessions;

    AuditController(QueryGateway queries, AuditExport export, Caller caller, RadiusSessions sessions) {
        this.queries = queries;
        this.export = export;
        this.caller = caller;
        this.sessions = sessions;
    }

    /**
     * A holding, and beside it the evidence from the network: the RADIUS sessions that carried the prefix at that
     * instant, as accounting reported them (empty when the NAS sends no accounting, or not the prefix).
     */
    record AttributionAnswer(Ipv6Prefix prefix, String subscriberId, UUID delegationId, Instant from, Instant to,
                             List<Session> sessions) {
    }

    @GetMapping("/attribution")
    @Operation(summary = "Who held an address or prefix at a time", description = "Give `address` or `prefix`, "
            + "and `at` (ISO-8601). A holding runs from allocation until revocation completed. 404 when nobody did. "
            + "`sessions` are the RADIUS sessions that accounting reported carrying the prefix at that instant.")
    AttributionAnswer attribution(
            @Parameter(example = "2001:db8:12:3456::1") @RequestParam(required = false) String address,
            @Parameter(example = "2001:db8:12:3400::/56") @RequestParam(required = false) Ipv6Prefix prefix,
            @Parameter(example = "2026-03-14T10:00:00Z") @RequestParam Instant at) {
        if ((address == null) == (prefix == null)) {
            throw DomainRejection.invalid("give exactly one of address and prefix");
        }
        Ipv6Prefix subject = prefix != null ? prefix : Ipv6Prefix.parse(address.strip() + "/128");
        String tenantId = caller.tenantId();
        Attribution holding = queries.query(new AttributionQuery(tenantId, subject, at),
                        ResponseTypes.optionalInstanceOf(Attribution.class)).join()
                .orElseThrow(() -> new NobodyHeldItException(subject, at));
        return new AttributionAnswer(holding.prefix(), holding.subscriberId(), holding.delegationId(), holding.from(),
                holding.to(), sessions.carrying(tenantId, holding.prefix(), at));
    }

    @GetMapping(value = "/audit/events", produces = "application/x-ndjson")
    @Operation(summary = "Export lifecycle events", description = "Every pool and delegation event of the tenant "
            + "with from <= time < to, oldest first, one JSON object a line, streamed from the event store.")
    ResponseEntity<StreamingResponseBody> events(
            @Parameter(example = "2026-01-01T00:00:00Z") @RequestParam Instant from,
            @Parameter(example = "2027-01-01T00:00:00Z") @RequestParam Instant to) {
        if (!from.isBefore(to)) {
            throw DomainRejection.invalid("from must be before to");
        }
        String tenantId = caller.tenantId();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson"))
                .body(out -> export.write(tenantId, from, to, out));
    }

    @GetMapping("/stats")
    @Operation(summary = "Figures", description = "Delegations per state, utilisation per pool, leaks found by the sweep.")
    Stats stats() {
        return queries.query(new StatsQuery(caller.tenantId()), ResponseTypes.instanceOf(Stats.class)).join();
    }
}

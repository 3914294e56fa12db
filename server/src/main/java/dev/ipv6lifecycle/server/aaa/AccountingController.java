package dev.ipv6lifecycle.server.aaa;

import dev.ipv6lifecycle.command.aaa.RadiusSessions;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.AccountingRecord;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Applied;
import dev.ipv6lifecycle.server.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The endpoint that FreeRADIUS's {@code rlm_rest} calls from its accounting section ({@code body = 'json'}). It
 * answers 204, which {@code rlm_rest} turns into {@code ok}, only after the record's transaction has committed:
 * the shipped policy lets FreeRADIUS drop a record from its buffer only then. Every record is answered 204, even
 * one this service cannot use (no status it handles, no NAS or session to key it on): an error would make
 * FreeRADIUS resend it for ever. A failure to store is a 5xx, and FreeRADIUS keeps the record and retries.
 *
 * <p>What the network's report means for the delegations (activation, drift) follows the commit, in
 * {@link AccountingReactions}; its failures never fail the record, which is stored already.
 */
@RestController
@RequestMapping("/api/v1/aaa")
class AccountingController {

    private final RadiusSessions sessions;
    private final AccountingReactions reactions;
    private final Caller caller;
    private final AccountingMetrics metrics;
    private final NetworkDrift drift;

    AccountingController(RadiusSessions sessions, AccountingReactions reactions, Caller caller,
                         AccountingMetrics metrics, NetworkDrift drift) {
        this.sessions = sessions;
        this.reactions = reactions;
        this.caller = caller;
        this.metrics = metrics;
        this.drift = drift;
    }

    @PostMapping(path = "/accounting", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "RADIUS accounting (rlm_rest)", description = "Takes an Accounting-Request's attributes as "
            + "rlm_rest sends them with body = 'json' (Start, Interim-Update, Stop, Accounting-On, Accounting-Off) and "
            + "answers 204 once the record is stored. Retransmitted and out-of-order records change nothing; a "
            + "closed session is never reopened. Needs the role aaa. See radius/README.md.")
    ResponseEntity<Void> accounting(@RequestBody JsonNode request) {
        String tenant = caller.tenantId();
        drift.seen(tenant);
        Optional<AccountingRecord> record = AccountingRecords.read(tenant, request, Instant.now());
        if (record.isEmpty()) {
            metrics.ignored();
            return ResponseEntity.noContent().build();
        }
        Applied applied = sessions.apply(record.get());
        metrics.applied(record.get().status(), applied.outcome());
        reactions.after(record.get(), applied);
        return ResponseEntity.noContent().build();
    }
}

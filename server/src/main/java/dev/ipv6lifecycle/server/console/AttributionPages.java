package dev.ipv6lifecycle.server.console;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.audit.Attribution;
import dev.ipv6lifecycle.api.audit.AttributionQuery;
import dev.ipv6lifecycle.server.audit.AuditExport;
import dev.ipv6lifecycle.server.web.Caller;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The abuse desk: who held an address or prefix at a moment, given in a named time zone (shown on the
 * result, so a printed answer says which clock it means). The same attribution query as the API's, and,
 * for admins, the API's audit export of the holding period.
 */
@Controller
class AttributionPages {

    private final QueryGateway queries;
    private final AuditExport export;
    private final Caller caller;

    AttributionPages(QueryGateway queries, AuditExport export, Caller caller) {
        this.queries = queries;
        this.export = export;
        this.caller = caller;
    }

    /** The question as asked, and its answer (empty: nobody held it then). */
    record Answer(String subject, ZonedDateTime at, Optional<Attribution> holder) {

        String csv() {
            String header = "subject,at,prefix,subscriber_id,delegation_id,from,to\n";
            return header + holder.map(found -> String.join(",", quoted(subject), at.toInstant().toString(),
                    found.prefix().canonical(), quoted(found.subscriberId()), found.delegationId().toString(),
                    found.from().toString(), found.to() == null ? "" : found.to().toString()))
                    .orElse(String.join(",", quoted(subject), at.toInstant().toString(), "", "", "", "", "")) + "\n";
        }

        String ndjson() {
            return holder.map(found -> "{\"subject\":" + json(subject) + ",\"at\":\"" + at.toInstant()
                    + "\",\"prefix\":\"" + found.prefix().canonical() + "\",\"subscriberId\":" + json(found.subscriberId())
                    + ",\"delegationId\":\"" + found.delegationId() + "\",\"from\":\"" + found.from() + "\",\"to\":"
                    + (found.to() == null ? "null" : "\"" + found.to() + "\"") + "}\n")
                    .orElse("{\"subject\":" + json(subject) + ",\"at\":\"" + at.toInstant() + "\",\"holder\":null}\n");
        }

        /** CSV cells that a spreadsheet will not run as formulas. */
        private static String quoted(String text) {
            String safe = text.startsWith("=") || text.startsWith("+") || text.startsWith("-") || text.startsWith("@")
                    ? "'" + text : text;
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }

        private static String json(String text) {
            StringBuilder out = new StringBuilder("\"");
            text.codePoints().forEach(c -> {
                if (c == '"' || c == '\\') {
                    out.append('\\').appendCodePoint(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.appendCodePoint(c);
                }
            });
            return out.append('"').toString();
        }
    }

    @GetMapping("/console/attribution")
    String attribution(@RequestParam(defaultValue = "") String subject, @RequestParam(defaultValue = "") String at,
                       @RequestParam(defaultValue = "UTC") String zone, Model model) {
        model.addAttribute("subject", subject);
        model.addAttribute("at", at);
        model.addAttribute("zone", zone);
        model.addAttribute("zones", ZoneId.getAvailableZoneIds().stream().sorted().toList());
        if (!subject.isBlank() && !at.isBlank()) {
            model.addAttribute("answer", answer(subject, at, zone));
        }
        return "console/attribution";
    }

    @GetMapping("/console/attribution.csv")
    ResponseEntity<String> csv(@RequestParam String subject, @RequestParam String at,
                               @RequestParam(defaultValue = "UTC") String zone) {
        return download(answer(subject, at, zone).csv(), "attribution.csv", new MediaType("text", "csv",
                StandardCharsets.UTF_8));
    }

    @GetMapping("/console/attribution.ndjson")
    ResponseEntity<String> ndjson(@RequestParam String subject, @RequestParam String at,
                                  @RequestParam(defaultValue = "UTC") String zone) {
        return download(answer(subject, at, zone).ndjson(), "attribution.ndjson",
                MediaType.parseMediaType("application/x-ndjson"));
    }

    /** Every event of the tenant from the start of the holding to its end (or now): the API's audit export. */
    @GetMapping("/console/audit/events.ndjson")
    ResponseEntity<StreamingResponseBody> events(@RequestParam Instant from, @RequestParam(required = false) Instant to) {
        Instant end = to == null ? Instant.now() : to.plus(1, ChronoUnit.MILLIS);
        if (!from.isBefore(end)) {
            throw DomainRejection.invalid("from must be before to");
        }
        String tenantId = caller.tenantId();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("events.ndjson")
                        .build().toString())
                .body(out -> export.write(tenantId, from, end, out));
    }

    private Answer answer(String subject, String at, String zone) {
        String text = TextInput.checked("the address or prefix", subject);
        Ipv6Prefix asked = Ipv6Prefix.parse(text.contains("/") ? text : text + "/128");
        ZonedDateTime moment;
        try {
            moment = LocalDateTime.parse(at.strip()).atZone(ZoneId.of(zone));
        } catch (DateTimeException invalid) { // an unparsable time or an unknown zone
            throw DomainRejection.invalid("give the time as 2026-03-14T10:00 and a time zone such as UTC or "
                    + "Europe/Berlin");
        }
        Optional<Attribution> holder = queries.query(new AttributionQuery(caller.tenantId(), asked, moment.toInstant()),
                ResponseTypes.optionalInstanceOf(Attribution.class)).join();
        return new Answer(text, moment, holder);
    }

    private static ResponseEntity<String> download(String body, String name, MediaType type) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build().toString())
                .body(body);
    }
}

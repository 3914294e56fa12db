package dev.ipv6lifecycle.server.aaa;

import dev.ipv6lifecycle.command.aaa.RadiusSessions.Outcome;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code ipv6_aaa_accounting_records_total{status,outcome}}: the accounting records stored, by Acct-Status-Type
 * and by what they did ({@code opened}, {@code refreshed}, {@code closed}, {@code unchanged} for retransmissions
 * and late records, {@code nas-reset}), and {@code ignored} for those the service could not use. Every series
 * exists from the start, so that a rate is 0 rather than absent.
 */
@Component
class AccountingMetrics {

    private final Map<String, Counter> counters = new HashMap<>();
    private final Counter ignored;

    AccountingMetrics(MeterRegistry registry) {
        for (Status status : Status.values()) {
            for (Outcome outcome : Outcome.values()) {
                counters.put(key(status, outcome), Counter.builder("ipv6.aaa.accounting.records")
                        .description("RADIUS accounting records stored, by status and outcome")
                        .tag("status", label(status.name())).tag("outcome", label(outcome.name())).register(registry));
            }
        }
        ignored = Counter.builder("ipv6.aaa.accounting.records")
                .description("RADIUS accounting records stored, by status and outcome")
                .tag("status", "unknown").tag("outcome", "ignored").register(registry);
    }

    void applied(Status status, Outcome outcome) {
        counters.get(key(status, outcome)).increment();
    }

    void ignored() {
        ignored.increment();
    }

    private static String key(Status status, Outcome outcome) {
        return status + "/" + outcome;
    }

    private static String label(String name) {
        return name.toLowerCase().replace('_', '-');
    }
}

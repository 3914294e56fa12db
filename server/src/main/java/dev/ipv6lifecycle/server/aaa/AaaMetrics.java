package dev.ipv6lifecycle.server.aaa;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code ipv6_aaa_authorizations_total{outcome}} and {@code ipv6_aaa_authorization_duration_seconds}: what the
 * network was told, and how fast. The counters exist from the start, so that a rate over an outcome that has
 * not happened yet is 0 rather than no series, which the alert and the dashboard rely on.
 */
@Component
class AaaMetrics {

    /** What one Access-Request was answered; the label values of {@code outcome}. */
    enum Outcome {
        /** ALLOCATED or ACTIVE: the prefix. */
        AUTHORIZED,
        /** SUSPENDED: the prefix and the restricting Filter-Id. */
        SUSPENDED,
        /** No live delegation, and none allocated: no prefix. */
        NONE,
        /** No live delegation; one was allocated on first sight. */
        FIRST_SIGHT,
        /** The request named no usable User-Name: no prefix. */
        INVALID,
        /** The service could not answer (a 5xx): FreeRADIUS's policy authorizes without a prefix. */
        ERROR;

        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
    private final Timer latency;

    AaaMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder("ipv6.aaa.authorizations")
                    .description("RADIUS authorizations answered, by outcome").tag("outcome", outcome.label())
                    .register(registry));
        }
        latency = Timer.builder("ipv6.aaa.authorization.duration").description("RADIUS authorization latency")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
    }

    void record(Outcome outcome, Timer.Sample sample) {
        sample.stop(latency);
        counters.get(outcome).increment();
    }

    Timer.Sample start() {
        return Timer.start();
    }
}

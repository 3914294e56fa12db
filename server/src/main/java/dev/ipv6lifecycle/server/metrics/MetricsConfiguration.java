package dev.ipv6lifecycle.server.metrics;

import dev.ipv6lifecycle.query.metrics.ReadSideMetricsQueries;
import dev.ipv6lifecycle.server.web.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The service's own metrics (DESIGN.md §7), exported with Axon's at {@code /actuator/prometheus}. Meter
 * names are Micrometer's dotted names; the Prometheus registry turns {@code ipv6.lifecycle.operations}
 * into {@code ipv6_lifecycle_operations_total} and a timer into {@code ..._seconds}.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    static final List<String> OPERATIONS = List.of("allocate", "activate", "suspend", "resume", "revoke",
            "create-pool", "drain-pool", "undrain-pool", "retire-pool");

    /** The network calls the sagas will make: RADIUS CoA and Disconnect to the NAS, NetBox for the IPAM. */
    static final List<List<String>> NOTIFICATIONS = List.of(List.of("radius", "coa"), List.of("radius", "disconnect"),
            List.of("netbox", "ipam"));

    @Bean
    ReadSideGauges readSideGauges(ReadSideMetricsQueries queries, MeterRegistry registry,
                                  @Value("${ipv6.metrics.refresh:PT5S}") Duration refresh) {
        return new ReadSideGauges(queries, registry, refresh);
    }

    @Bean
    OperationMetrics operationMetrics(MeterRegistry registry) {
        OperationMetrics metrics = new OperationMetrics(registry);
        // Registered at zero from the start, so that rates and ratios exist before the first command.
        for (String operation : OPERATIONS) {
            metrics.timer(operation);
            for (String outcome : List.of(OperationMetrics.SUCCESS, OperationMetrics.REJECTED, OperationMetrics.ERROR)) {
                metrics.counter(Caller.DEFAULT_TENANT, operation, outcome);
            }
        }
        return metrics;
    }

    @Bean
    TransitionMetrics transitionMetrics(MeterRegistry registry, EventStore eventStore) {
        TransitionMetrics metrics = new TransitionMetrics(registry, eventStore);
        eventStore.registerDispatchInterceptor(metrics);
        return metrics;
    }

    /**
     * Meters whose drivers do not exist yet (issue #5: the sweep, the activation and revocation sagas). They
     * are registered now so that dashboards and alerts have their series: the leak counter at 0 for the
     * default tenant, the sweep's last success at 0 (never), the notification counter at 0. The sweep and
     * the sagas will increment these same meters through {@link PendingMeters}.
     */
    @Bean
    PendingMeters pendingMeters(MeterRegistry registry) {
        Counter leaks = Counter.builder("ipv6.prefix.leak").description("Leaks found by the sweep")
                .tag("tenant", Caller.DEFAULT_TENANT).register(registry);
        AtomicLong lastSweep = new AtomicLong();
        Gauge.builder("ipv6.lifecycle.sweep.last.success.timestamp.seconds", lastSweep, AtomicLong::doubleValue)
                .description("When the last sweep completed, in seconds since the epoch (0: never)").register(registry);
        for (List<String> targetAndKind : NOTIFICATIONS) {
            for (String outcome : List.of("success", "failure", "retry")) {
                Counter.builder("ipv6.network.notifications").description("CoA, Disconnect and NetBox calls")
                        .tags("target", targetAndKind.get(0), "kind", targetAndKind.get(1), "outcome", outcome)
                        .register(registry);
            }
        }
        return new PendingMeters(leaks, lastSweep);
    }

    /** What the sweep will drive: leaks found, and the time of its last completed run. */
    record PendingMeters(Counter leaks, AtomicLong lastSweepEpochSeconds) {
    }
}

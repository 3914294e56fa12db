package dev.ipv6lifecycle.server.metrics;

import dev.ipv6lifecycle.command.metrics.PoolSpaceQueries;
import dev.ipv6lifecycle.command.quota.TenantQuotas;
import dev.ipv6lifecycle.query.metrics.ReadSideMetricsQueries;
import dev.ipv6lifecycle.server.web.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import java.util.List;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * The service's own metrics (docs/monitoring.md), exported with Axon's at {@code /actuator/prometheus}. Meter
 * names are Micrometer's dotted names; the Prometheus registry turns {@code ipv6.lifecycle.operations}
 * into {@code ipv6_lifecycle_operations_total} and a timer into {@code ..._seconds}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsSettings.class)
class MetricsConfiguration {

    static final List<String> OPERATIONS = List.of("allocate", "activate", "suspend", "resume", "revoke", "complete-revocation",
            "create-pool", "drain-pool", "undrain-pool", "retire-pool");

    /**
     * No {@code http_server_requests_seconds} for {@code POST /api/v1/aaa/authorize}, which FreeRADIUS calls for
     * every Access-Request: {@code ipv6_aaa_authorizations_total{outcome}} and
     * {@code ipv6_aaa_authorization_duration_seconds} count and time it, and the observation was a tenth of the
     * call's CPU (JFR, 2026-12-02).
     */
    @Bean
    ObservationPredicate noHttpObservationOfAaaAuthorizations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getRequestURI().endsWith("/api/v1/aaa/authorize"));
    }

    @Bean
    ReadSideGauges readSideGauges(ReadSideMetricsQueries readSide, PoolSpaceQueries poolSpace, TenantQuotas quotas,
                                  MeterRegistry registry, MetricsSettings settings) {
        return new ReadSideGauges(readSide, poolSpace, quotas, registry, settings.refresh());
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
        TransitionMetrics metrics = new TransitionMetrics(registry);
        eventStore.registerDispatchInterceptor(metrics);
        return metrics;
    }
}

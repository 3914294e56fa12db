package dev.ipv6lifecycle.server.metrics;

import dev.ipv6lifecycle.api.DomainRejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ipv6_lifecycle_operations_total{tenant,operation,outcome}} and
 * {@code ipv6_lifecycle_operation_duration_seconds{operation}} around every command the REST layer sends.
 * The histogram publishes buckets so that Prometheus computes p95/p99 over every node with
 * {@code histogram_quantile}, which client-side percentiles could not be aggregated into.
 */
public class OperationMetrics {

    static final String SUCCESS = "success";
    static final String REJECTED = "rejected";
    static final String ERROR = "error";

    /** Operation names by command class name, as the dashboard and alerts use them. */
    private static final Map<String, String> OPERATIONS = Map.of(
            "AllocatePrefixCommand", "allocate",
            "ActivatePrefixCommand", "activate",
            "SuspendPrefixCommand", "suspend",
            "ResumePrefixCommand", "resume",
            "RevokePrefixCommand", "revoke",
            "CompleteRevocationCommand", "complete-revocation",
            "CreatePoolCommand", "create-pool",
            "DrainPoolCommand", "drain-pool",
            "UndrainPoolCommand", "undrain-pool",
            "RetirePoolCommand", "retire-pool");

    private final MeterRegistry registry;

    OperationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static String operation(Object command) {
        String name = command.getClass().getSimpleName();
        return OPERATIONS.getOrDefault(name, name.replaceAll("Command$", "")
                .replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase());
    }

    /** Counts and times a command that took {@code nanos} and failed with {@code failure}, or succeeded (null). */
    public void record(String tenant, Object command, long nanos, Throwable failure) {
        String operation = operation(command);
        String outcome = failure == null ? SUCCESS : failure instanceof DomainRejection ? REJECTED : ERROR;
        timer(operation).record(nanos, TimeUnit.NANOSECONDS);
        counter(tenant, operation, outcome).increment();
    }

    Counter counter(String tenant, String operation, String outcome) {
        return Counter.builder("ipv6.lifecycle.operations").description("Commands handled")
                .tags("tenant", tenant, "operation", operation, "outcome", outcome).register(registry);
    }

    Timer timer(String operation) {
        return Timer.builder("ipv6.lifecycle.operation.duration").description("Command latency")
                .tags("operation", operation).publishPercentileHistogram().register(registry);
    }
}

package dev.ipv6lifecycle.sagas.sweep;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code ipv6_prefix_leak_total} and {@code ipv6_lifecycle_sweep_last_success_timestamp_seconds}. */
public class SweepMetrics {

    /** Registered at zero from the start, so the leak alert's series exists before the first leak. */
    static final String DEFAULT_TENANT = "default";

    private final MeterRegistry registry;
    /** Each tenant's counter, looked up once: a sweep may count a leak for every delegation of a tenant. */
    private final Map<String, Counter> leakCounters = new ConcurrentHashMap<>();
    private final AtomicLong lastSuccessEpochSeconds;

    public SweepMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.registry = registry;
        leaks(DEFAULT_TENANT);
        // Restored from the runs table: a restart must not look like a sweep that stopped running.
        Long last = jdbc.queryForObject("SELECT extract(epoch FROM max(finished_at))::bigint FROM sweep_run", Long.class);
        lastSuccessEpochSeconds = new AtomicLong(last == null ? 0 : last);
        Gauge.builder("ipv6.lifecycle.sweep.last.success.timestamp.seconds", lastSuccessEpochSeconds,
                        AtomicLong::doubleValue)
                .description("When the last sweep completed, in seconds since the epoch (0: never)").register(registry);
    }

    void leakFound(String tenantId) {
        leakCounters.computeIfAbsent(tenantId, this::leaks).increment();
    }

    void completed(Instant finished) {
        lastSuccessEpochSeconds.accumulateAndGet(finished.getEpochSecond(), Math::max);
    }

    private Counter leaks(String tenantId) {
        return Counter.builder("ipv6.prefix.leak").description("Leaks found by the sweep").tag("tenant", tenantId)
                .register(registry);
    }
}

package dev.ipv6lifecycle.server.metrics;

import dev.ipv6lifecycle.query.metrics.ReadSideMetricsQueries;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The gauges of DESIGN.md §7 that describe the read side: delegations per state, pool utilisation and
 * free prefixes per length. A scrape reads the last snapshot held in memory, never the database, so it
 * costs the same whatever the number of delegations. The snapshot is taken from the projections' tables
 * when the application starts (before it serves traffic: a restarted node shows the right numbers at its
 * first scrape) and then every {@code ipv6.metrics.refresh}, on a thread of its own.
 */
class ReadSideGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadSideGauges.class);

    private final ReadSideMetricsQueries queries;
    private final Duration refresh;
    private final MultiGauge prefixes;
    private final MultiGauge utilization;
    private final MultiGauge freePrefixes;
    private final AtomicReference<ReadSideSnapshot> current = new AtomicReference<>(ReadSideSnapshot.empty());
    private ScheduledExecutorService scheduler;

    ReadSideGauges(ReadSideMetricsQueries queries, MeterRegistry registry, Duration refresh) {
        this.queries = queries;
        this.refresh = refresh;
        this.prefixes = MultiGauge.builder("ipv6.lifecycle.prefixes")
                .description("Delegations per lifecycle state").register(registry);
        this.utilization = MultiGauge.builder("ipv6.pool.utilization.percent")
                .description("Reserved (live and quarantined) share of the pool's address space, in percent")
                .register(registry);
        this.freePrefixes = MultiGauge.builder("ipv6.pool.free.prefixes")
                .description("How many more prefixes of that length fit in the pool").register(registry);
    }

    /** Takes a snapshot now and publishes it; a failure keeps the previous one (and is logged). */
    void refresh() {
        try {
            publish(queries.snapshot());
        } catch (RuntimeException e) {
            log.warn("Could not refresh the read-side gauges; keeping the snapshot of {}", current.get().takenAt(), e);
        }
    }

    ReadSideSnapshot current() {
        return current.get();
    }

    private void publish(ReadSideSnapshot snapshot) {
        // overwrite = true: a pool that disappeared (a replay in progress) loses its series instead of
        // showing its last value for ever.
        prefixes.register(snapshot.prefixes().stream().map(count -> MultiGauge.Row.of(
                Tags.of("tenant", count.tenantId(), "pool", count.poolId().toString(), "state", count.state()),
                count.count())).toList(), true);
        utilization.register(snapshot.utilization().stream().map(pool -> MultiGauge.Row.of(
                Tags.of("tenant", pool.tenantId(), "pool", pool.poolId().toString()), pool.percent())).toList(), true);
        freePrefixes.register(snapshot.freePrefixes().stream().map(free -> MultiGauge.Row.of(
                Tags.of("tenant", free.tenantId(), "pool", free.poolId().toString(), "length",
                        String.valueOf(free.length())), free.free())).toList(), true);
        current.set(snapshot);
    }

    @Override
    public void start() {
        refresh();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "read-side-gauges");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Before the web server starts serving (Integer.MAX_VALUE - 1): the first scrape already has the numbers. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}

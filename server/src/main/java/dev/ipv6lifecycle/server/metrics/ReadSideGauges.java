package dev.ipv6lifecycle.server.metrics;

import dev.ipv6lifecycle.query.metrics.ReadSideMetricsQueries;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * first scrape) and then every {@code ipv6.metrics.refresh}, on a thread of its own, or less often when a
 * snapshot takes longer than a tenth of that (it reads the whole read side: seconds at a million delegations).
 */
class ReadSideGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadSideGauges.class);

    /** A snapshot may take at most this share of the refresh thread's time (and of a database connection). */
    private static final int MAX_SHARE_PERCENT = 10;

    private final ReadSideMetricsQueries queries;
    private final Duration refresh;
    private final Family prefixes;
    private final Family utilization;
    private final Family freePrefixes;
    private final AtomicReference<ReadSideSnapshot> current = new AtomicReference<>(ReadSideSnapshot.empty());
    private ScheduledExecutorService scheduler;

    ReadSideGauges(ReadSideMetricsQueries queries, MeterRegistry registry, Duration refresh) {
        this.queries = queries;
        this.refresh = refresh;
        this.prefixes = new Family(MultiGauge.builder("ipv6.lifecycle.prefixes")
                .description("Delegations per lifecycle state").register(registry));
        this.utilization = new Family(MultiGauge.builder("ipv6.pool.utilization.percent")
                .description("Reserved (live and quarantined) share of the pool's address space, in percent")
                .register(registry));
        this.freePrefixes = new Family(MultiGauge.builder("ipv6.pool.free.prefixes")
                .description("How many more prefixes of that length fit in the pool").register(registry));
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
        Map<Tags, Double> counts = new LinkedHashMap<>();
        snapshot.prefixes().forEach(count -> counts.put(
                Tags.of("tenant", count.tenantId(), "pool", count.poolId().toString(), "state", count.state()),
                (double) count.count()));
        prefixes.set(counts);
        Map<Tags, Double> percent = new LinkedHashMap<>();
        snapshot.utilization().forEach(pool -> percent.put(
                Tags.of("tenant", pool.tenantId(), "pool", pool.poolId().toString()), pool.percent()));
        utilization.set(percent);
        Map<Tags, Double> free = new LinkedHashMap<>();
        snapshot.freePrefixes().forEach(length -> free.put(Tags.of("tenant", length.tenantId(), "pool",
                length.poolId().toString(), "length", String.valueOf(length.length())), length.free()));
        freePrefixes.set(free);
        current.set(snapshot);
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "read-side-gauges");
            thread.setDaemon(true);
            return thread;
        });
        refreshAndReschedule(0);
    }

    /**
     * The snapshot reads the whole read side, so its cost grows with the delegations (seconds at a million,
     * BENCHMARKS.md); the next one waits until it has taken at most {@link #MAX_SHARE_PERCENT} of the time.
     */
    private void refreshAndReschedule(long delayMillis) {
        ScheduledExecutorService executor = scheduler;
        if (delayMillis == 0) {
            long started = System.nanoTime();
            refresh();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            delayMillis = Math.max(refresh.toMillis(), tookMillis * (100 / MAX_SHARE_PERCENT - 1));
            if (delayMillis > refresh.toMillis()) {
                log.info("The read-side gauges' snapshot took {} ms; the next one in {} ms", tookMillis, delayMillis);
            }
        }
        if (executor != null && !executor.isShutdown()) {
            executor.schedule(() -> refreshAndReschedule(0), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One gauge family: a value holder per series. A refresh updates the holders; the meters are registered
     * again only when series appear or disappear (a pool created, a replay emptying the tables). Registering
     * every series again at each refresh made a concurrent scrape fail now and then with Prometheus'
     * "Duplicate labels" error, seen in the benchmark.
     */
    private static final class Family {

        private final MultiGauge gauge;
        private Map<Tags, AtomicReference<Double>> series = Map.of();

        Family(MultiGauge gauge) {
            this.gauge = gauge;
        }

        synchronized void set(Map<Tags, Double> values) {
            if (values.keySet().equals(series.keySet())) {
                values.forEach((tags, value) -> series.get(tags).set(value));
                return;
            }
            Map<Tags, AtomicReference<Double>> next = new LinkedHashMap<>();
            values.forEach((tags, value) -> next.put(tags, new AtomicReference<>(value)));
            // overwrite = true: a series that disappeared loses its meter instead of showing its last value.
            gauge.register(next.entrySet().stream().map(entry -> MultiGauge.Row.of(entry.getKey(), entry.getValue(),
                    (AtomicReference<Double> holder) -> holder.get())).toList(), true);
            series = next;
        }
    }

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

package dev.ipv6lifecycle.server.metrics;

import dev.ipv6lifecycle.api.pool.LengthForecast;
import dev.ipv6lifecycle.command.metrics.PoolSpace;
import dev.ipv6lifecycle.command.metrics.PoolSpaceQueries;
import dev.ipv6lifecycle.command.quota.TenantQuotas;
import dev.ipv6lifecycle.query.metrics.ReadSideMetricsQueries;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.KnownPool;
import dev.ipv6lifecycle.query.pool.CapacityTrend;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The gauges (docs/monitoring.md) that describe state rather than events: delegations per state, pool utilisation,
 * free prefixes per length, the largest free block, exhaustion forecasts and tenant quotas. A scrape reads the values last published, never the database. They are
 * read when the application starts (before it serves traffic: a restarted node shows the right numbers at
 * its first scrape) and then every {@code ipv6.metrics.refresh}, on a thread of their own, in a few queries
 * whose cost grows with the pools, not with the delegations: the counts per pool and state that
 * delegation_view's triggers keep (migration V8, {@link ReadSideMetricsQueries}) and the free blocks of the
 * command side's buddy system ({@link PoolSpaceQueries}).
 *
 * <p>The series are those of the pools the read side knows ({@code pool_view}, RETIRED ones included), as
 * before: a pool appears in the gauges when the pools projection has seen it.
 */
class ReadSideGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReadSideGauges.class);

    private final ReadSideMetricsQueries readSide;
    private final PoolSpaceQueries poolSpace;
    private final Duration refresh;
    private final Family prefixes;
    private final Family utilization;
    private final Family freePrefixes;
    private final Family largestFreeBlock;
    private final Family exhaustionForecast;
    private final TenantQuotas quotas;
    private final Family quotaLimit;
    private final Family quotaUsed;
    private volatile Instant publishedAt = Instant.EPOCH;
    private ScheduledExecutorService scheduler;

    ReadSideGauges(ReadSideMetricsQueries readSide, PoolSpaceQueries poolSpace, TenantQuotas quotas, MeterRegistry registry,
                   Duration refresh) {
        this.readSide = readSide;
        this.poolSpace = poolSpace;
        this.quotas = quotas;
        this.refresh = refresh;
        this.prefixes = new Family(MultiGauge.builder("ipv6.lifecycle.prefixes")
                .description("Delegations per lifecycle state").register(registry));
        this.utilization = new Family(MultiGauge.builder("ipv6.pool.utilization.percent")
                .description("Reserved (live and quarantined) share of the pool's address space, in percent")
                .register(registry));
        this.freePrefixes = new Family(MultiGauge.builder("ipv6.pool.free.prefixes")
                .description("How many more prefixes of that length fit in the pool").register(registry));
        this.largestFreeBlock = new Family(MultiGauge.builder("ipv6.pool.largest.free.block.length")
                .description("Prefix length of the pool's largest free block (no series when the pool is full)")
                .register(registry));
        this.exhaustionForecast = new Family(MultiGauge.builder("ipv6.pool.exhaustion.forecast.days")
                .description("Days until no prefix of that length is left, at the last 7 days' net rate "
                        + "(no series when that rate takes no space)").register(registry));
        this.quotaLimit = new Family(MultiGauge.builder("ipv6.tenant.quota.limit")
                .description("Most prefixes the tenant may hold, live or quarantined (length: total or one length)")
                .register(registry));
        this.quotaUsed = new Family(MultiGauge.builder("ipv6.tenant.quota.used")
                .description("Prefixes the tenant holds toward that quota, live or quarantined").register(registry));
    }

    /** Reads the numbers now and publishes them; a failure keeps the previous ones (and is logged). */
    void refresh() {
        try {
            // The read side first: a pool it knows is then always in the registry read just after.
            ReadSideSnapshot snapshot = readSide.snapshot();
            publish(snapshot, poolSpace.all());
            publishQuotas(quotas.all());
        } catch (RuntimeException e) {
            log.warn("Could not refresh the read-side gauges; keeping the values of {}", publishedAt, e);
        }
    }

    private void publish(ReadSideSnapshot snapshot, Map<UUID, PoolSpace> space) {
        Map<Tags, Double> counts = new LinkedHashMap<>();
        snapshot.prefixes().forEach(count -> counts.put(
                Tags.of("tenant", count.tenantId(), "pool", count.poolId().toString(), "state", count.state()),
                (double) count.count()));
        Map<Tags, Double> percent = new LinkedHashMap<>();
        Map<Tags, Double> free = new LinkedHashMap<>();
        Map<Tags, Double> largest = new LinkedHashMap<>();
        Map<Tags, Double> forecast = new LinkedHashMap<>();
        for (KnownPool pool : snapshot.pools()) {
            String poolId = pool.poolId().toString();
            PoolSpace ofPool = space.get(pool.poolId());
            // The registry is written in the pool's creation's own transaction, before any projection sees
            // the pool; should it still lack one, the pool shows as the read side would: nothing held.
            percent.put(Tags.of("tenant", pool.tenantId(), "pool", poolId),
                    ofPool == null ? 0.0 : ofPool.utilizationPercent());
            for (int length : pool.delegatedLengths()) {
                BigInteger fits = ofPool == null ? BigInteger.ONE.shiftLeft(length - pool.prefixLength()) : ofPool.free(length);
                Tags series = Tags.of("tenant", pool.tenantId(), "pool", poolId, "length", String.valueOf(length));
                free.put(series, fits.doubleValue());
                CapacityTrend.Net trend = snapshot.trend(pool.poolId());
                Double daysLeft = LengthForecast.of(length, fits, trend.lastShortWindow(), trend.lastLongWindow()).daysLeft();
                if (daysLeft != null) {
                    forecast.put(series, daysLeft);
                }
            }
            Optional<Integer> largestBlock = ofPool == null ? Optional.of(pool.prefixLength()) : ofPool.largestFreeBlock();
            largestBlock.ifPresent(length -> largest.put(Tags.of("tenant", pool.tenantId(), "pool", poolId),
                    (double) length));
        }
        prefixes.set(counts);
        utilization.set(percent);
        freePrefixes.set(free);
        largestFreeBlock.set(largest);
        exhaustionForecast.set(forecast);
        publishedAt = snapshot.takenAt();
    }

    private void publishQuotas(List<TenantQuotas.Quota> all) {
        Map<Tags, Double> limits = new LinkedHashMap<>();
        Map<Tags, Double> used = new LinkedHashMap<>();
        for (TenantQuotas.Quota quota : all) {
            Tags series = Tags.of("tenant", quota.tenantId(), "length",
                    quota.length() == null ? "total" : String.valueOf(quota.length()));
            limits.put(series, (double) quota.limit());
            used.put(series, (double) quota.used());
        }
        quotaLimit.set(limits);
        quotaUsed.set(used);
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "read-side-gauges");
            thread.setDaemon(true);
            return thread;
        });
        // At once, before the application serves traffic (SmartLifecycle phase below), then at a fixed delay.
        refresh();
        scheduler.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
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

package dev.ipv6lifecycle.server.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * {@code ipv6_projection_dead_letters}, {@code ipv6_projection_failing_segments} and
 * {@code ipv6_projection_unclaimed_segments}, per projection group: what the projections' status says, for
 * alerts. Refreshed every few seconds on a thread of their own (two small queries per group), so a scrape
 * reads only memory.
 */
@Component
class ProjectionGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectionGauges.class);
    private static final long REFRESH_SECONDS = 10;

    private final ProjectionProcessors processors;
    private final MeterRegistry registry;
    private final Map<String, ProjectionStatus> latest = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    ProjectionGauges(ProjectionProcessors processors, MeterRegistry registry) {
        this.processors = processors;
        this.registry = registry;
    }

    void refresh() {
        try {
            for (ProjectionStatus status : processors.status()) {
                if (latest.put(status.name(), status) == null) {
                    register(status.name());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not refresh the projection gauges; keeping the previous values", e);
        }
    }

    private void register(String group) {
        gauge("ipv6.projection.dead.letters", "Events parked in the projection's dead-letter queue", group,
                status -> status.deadLetters());
        gauge("ipv6.projection.failing.segments", "Segments of this node whose last batch failed", group,
                status -> status.failingSegments().size());
        gauge("ipv6.projection.unclaimed.segments", "Segments no node holds: their events are not projected", group,
                status -> status.unclaimedSegments().size());
    }

    private void gauge(String name, String description, String group,
                       ToDoubleFunction<ProjectionStatus> value) {
        Gauge.builder(name, latest, statuses -> value.applyAsDouble(statuses.get(group)))
                .description(description).tag("group", group).register(registry);
    }

    @Override
    public void start() {
        refresh();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "projection-gauges");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
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

    /** After the event processors have started, so the first reading sees their segments. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }
}

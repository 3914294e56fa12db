package dev.ipv6lifecycle.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.junit.jupiter.api.Test;

class AxonMetricsConfigurationTests {

    private final AxonMetricsConfiguration configuration = new AxonMetricsConfiguration();

    @Test
    void anEventProcessorGetsTimersLatencyAndCountsButNoCapacityMonitor() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GlobalMetricRegistry axon = configuration.globalMetricRegistry(registry);

        @SuppressWarnings("unchecked")
        MessageMonitor<EventMessage<?>> monitor = (MessageMonitor<EventMessage<?>>) (MessageMonitor<?>)
                axon.registerComponentWithDefaultTags(org.axonframework.eventhandling.EventProcessor.class, "delegations");
        for (int i = 0; i < 1_000; i++) {
            monitor.onMessageIngested(GenericEventMessage.asEventMessage("event " + i)).reportSuccess();
        }

        List<String> names = registry.getMeters().stream().map(meter -> meter.getId().getName()).distinct().toList();
        assertThat(names).contains("eventProcessor.allTimer", "eventProcessor.successTimer", "eventProcessor.latency",
                "eventProcessor.ingestedCounter", "eventProcessor.processedCounter");
        assertThat(names).noneMatch(name -> name.toLowerCase().contains("capacity"));
        assertThat(registry.get("eventProcessor.allTimer").tag("processorName", "delegations").timer().count())
                .isEqualTo(1_000);
    }

    @Test
    void theCountsAndTimersPerPayloadTypeAreThoseOfAxonsOwnMonitors() {
        SimpleMeterRegistry axons = new SimpleMeterRegistry();
        SimpleMeterRegistry ours = new SimpleMeterRegistry();
        // As in the service, where the timers publish no client-side percentiles.
        List.of(axons, ours).forEach(registry -> registry.config().meterFilter(configuration.noClientSidePercentiles()));
        Function<Message<?>, Iterable<Tag>> tags = message -> Tags.of("processorName", "delegations",
                "payloadType", message.getPayloadType().getSimpleName());
        MessageMonitor<Message<?>> axon = new MultiMessageMonitor<>(List.of(
                MessageTimerMonitor.buildMonitor("eventProcessor", axons, tags),
                MessageCountingMonitor.buildMonitor("eventProcessor", axons, tags)));
        MessageMonitor<Message<?>> payloadTypeMeters = new PayloadTypeMeters("eventProcessor", ours, tags);

        for (int i = 0; i < 30; i++) {
            Message<?> message = GenericEventMessage.asEventMessage(i % 3 == 0 ? (Object) ("event " + i) : (Object) i);
            for (MessageMonitor<Message<?>> monitor : List.of(axon, payloadTypeMeters)) {
                MessageMonitor.MonitorCallback callback = monitor.onMessageIngested(message);
                switch (i % 5) {
                    case 0 -> callback.reportFailure(new IllegalStateException("refused"));
                    case 1 -> callback.reportIgnored();
                    default -> callback.reportSuccess();
                }
            }
        }

        assertThat(counts(ours)).isEqualTo(counts(axons)).containsEntry(
                "eventProcessor.successCounter [tag(payloadType=Integer), tag(processorName=delegations)]", 12.0);
    }

    /** Every meter by name and tags, with its count. */
    private static Map<String, Double> counts(SimpleMeterRegistry registry) {
        Map<String, Double> counts = new TreeMap<>();
        registry.getMeters().forEach(meter -> counts.put(meter.getId().getName() + " " + meter.getId().getTags(),
                meter instanceof Timer timer ? (double) timer.count() : ((Counter) meter).count()));
        return counts;
    }

    @Test
    void timersLoseTheirClientSidePercentilesButKeepHistogramBuckets() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterFilter filter = configuration.noClientSidePercentiles();
        registry.config().meterFilter(filter);

        Timer timer = Timer.builder("axon.like").publishPercentiles(0.5, 0.99).register(registry);
        timer.record(Duration.ofMillis(5));
        DistributionStatisticConfig buckets = filter.configure(new Meter.Id("ours", Tags.empty(), null, null,
                Meter.Type.TIMER), DistributionStatisticConfig.builder().percentilesHistogram(true)
                .serviceLevelObjectives(0.05).build());

        assertThat(timer.takeSnapshot().percentileValues()).isEmpty();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(buckets.isPercentileHistogram()).isTrue();
        assertThat(buckets.getServiceLevelObjectiveBoundaries()).containsExactly(0.05);
    }
}

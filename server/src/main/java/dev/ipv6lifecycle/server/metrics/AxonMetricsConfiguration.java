package dev.ipv6lifecycle.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.List;
import java.util.function.Function;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's meters (axon-micrometer, registered by Axon's Spring Boot auto-configuration), minus two things
 * whose cost grows with the traffic rather than with the number of meters:
 *
 * <ul>
 * <li>Axon's {@code CapacityMonitor} ({@code event_processor_capacity}, {@code commandBus_capacity}) keeps every message's processing
 * time of the last ten minutes in a {@code ConcurrentSkipListMap}, and each scrape copies and sums all of
 * them. After a rebuild of a million events that was 5.2 million entries (about 440 MB of heap, two thirds of
 * the heap after a full GC) and seconds per scrape (BENCHMARKS.md). The same figure, the share of time each
 * processor is busy, is {@code rate(event_processor_all_duration_seconds_sum[1m])}: the timers below sum
 * exactly those processing times.</li>
 * <li>Client-side percentiles ({@code quantile="0.5"} ... {@code "0.999"} on every Axon timer, six series per
 * processor and payload type): they cannot be aggregated over nodes or time, nothing in {@code grafana/} reads
 * them, and each one keeps rotating HdrHistograms. The timers keep their count, sum and max.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class AxonMetricsConfiguration {

    /** Replaces the auto-configuration's registry (it backs off when one exists). */
    @Bean
    GlobalMetricRegistry globalMetricRegistry(MeterRegistry registry) {
        return new WithoutCapacityMonitor(registry);
    }

    @Bean
    MeterFilter noClientSidePercentiles() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                double[] percentiles = config.getPercentiles();
                if (percentiles == null || percentiles.length == 0) {
                    return config;
                }
                // A set value wins over the meter's own in merge(); an empty array is "none".
                return DistributionStatisticConfig.builder().percentiles().build().merge(config);
            }
        };
    }

    /**
     * Axon's registry, with the event processors' and the command bus's monitors it registers except the capacity
     * monitor: timer, latency (processors) and message counts, with the same names and tags, the counts and
     * timers from {@link PayloadTypeMeters}. Queries and the event bus are unchanged.
     */
    static final class WithoutCapacityMonitor extends GlobalMetricRegistry {

        private static final Function<Message<?>, Iterable<Tag>> NO_TAGS = message -> Tags.empty();

        private final MeterRegistry registry;

        WithoutCapacityMonitor(MeterRegistry registry) {
            super(registry);
            this.registry = registry;
        }

        @Override
        public MessageMonitor<? super CommandMessage<?>> registerCommandBus(String commandBusName) {
            return registerCommandBus(commandBusName, NO_TAGS);
        }

        @Override
        public MessageMonitor<? super CommandMessage<?>> registerCommandBus(
                String commandBusName, Function<Message<?>, Iterable<Tag>> tagsBuilder) {
            return new PayloadTypeMeters(commandBusName, registry, tagsBuilder);
        }

        @Override
        public MessageMonitor<? super EventMessage<?>> registerEventProcessor(String eventProcessorName) {
            return registerEventProcessor(eventProcessorName, NO_TAGS, NO_TAGS);
        }

        @Override
        public MessageMonitor<? super EventMessage<?>> registerEventProcessor(
                String eventProcessorName, Function<Message<?>, Iterable<Tag>> tagsBuilder,
                Function<Message<?>, Iterable<Tag>> latencyTagsBuilder) {
            return new MultiMessageMonitor<>(List.of(
                    new PayloadTypeMeters(eventProcessorName, registry, tagsBuilder),
                    EventProcessorLatencyMonitor.builder().meterNamePrefix(eventProcessorName)
                            .meterRegistry(registry).tagsBuilder(latencyTagsBuilder).build()));
        }
    }
}

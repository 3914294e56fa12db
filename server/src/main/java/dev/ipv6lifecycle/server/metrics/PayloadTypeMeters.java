package dev.ipv6lifecycle.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

/**
 * The meters of Axon's {@code MessageCountingMonitor} and {@code MessageTimerMonitor}, with the same names, tags and
 * meaning, looked up once per payload type instead of once per message. Axon's monitors ask the registry for nine
 * meters for every message (building each meter's id, hashing and comparing its tags): a tenth of the service's
 * CPU in a bulk allocation's profile, where each of a thousand events passes three in-transaction handlers and six
 * processors (BENCHMARKS.md).
 *
 * <p>The meters of a message are those of its payload type: the tags Axon gives them (the component's name and the
 * payload type) depend on nothing else.
 */
final class PayloadTypeMeters implements MessageMonitor<Message<?>> {

    private final String prefix;
    private final MeterRegistry registry;
    private final Function<Message<?>, Iterable<Tag>> tags;
    private final Map<Class<?>, Meters> byPayloadType = new ConcurrentHashMap<>();

    PayloadTypeMeters(String prefix, MeterRegistry registry, Function<Message<?>, Iterable<Tag>> tags) {
        this.prefix = prefix;
        this.registry = registry;
        this.tags = tags;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Meters meters = byPayloadType.computeIfAbsent(message.getPayloadType(), type -> new Meters(tags.apply(message)));
        meters.ingested.increment();
        long start = registry.config().clock().monotonicTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                meters.success.increment();
                meters.processed.increment();
                record(meters.successTimer);
            }

            @Override
            public void reportFailure(Throwable cause) {
                meters.failure.increment();
                meters.processed.increment();
                record(meters.failureTimer);
            }

            @Override
            public void reportIgnored() {
                meters.ignored.increment();
                record(meters.ignoredTimer);
            }

            private void record(Timer outcome) {
                long nanos = registry.config().clock().monotonicTime() - start;
                meters.allTimer.record(nanos, TimeUnit.NANOSECONDS);
                outcome.record(nanos, TimeUnit.NANOSECONDS);
            }
        };
    }

    private final class Meters {
        final Counter ingested;
        final Counter success;
        final Counter failure;
        final Counter processed;
        final Counter ignored;
        final Timer allTimer;
        final Timer successTimer;
        final Timer failureTimer;
        final Timer ignoredTimer;

        Meters(Iterable<Tag> tags) {
            ingested = registry.counter(prefix + ".ingestedCounter", tags);
            success = registry.counter(prefix + ".successCounter", tags);
            failure = registry.counter(prefix + ".failureCounter", tags);
            processed = registry.counter(prefix + ".processedCounter", tags);
            ignored = registry.counter(prefix + ".ignoredCounter", tags);
            allTimer = timer("allTimer", tags);
            successTimer = timer("successTimer", tags);
            failureTimer = timer("failureTimer", tags);
            ignoredTimer = timer("ignoredTimer", tags);
        }

        private Timer timer(String name, Iterable<Tag> tags) {
            // As Axon builds them; the client-side percentiles are dropped by AxonMetricsConfiguration's filter.
            return Timer.builder(prefix + "." + name).distributionStatisticExpiry(Duration.ofMinutes(10)).tags(tags)
                    .register(registry);
        }
    }
}

package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.sagas.network.Ipam;
import dev.ipv6lifecycle.sagas.network.NetworkAccessServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The sagas' processors, their settings, and the outbox through which they reach the network. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SagaSettings.class)
class SagaConfiguration {

    static final int BATCH_SIZE = 100;

    /**
     * Pooled processors that start at the head of the event stream: a saga acts on the network, so a new
     * installation on an old event store, or a reset, must never re-run what was done long ago. Events are
     * handled in batches of up to {@link #BATCH_SIZE} per transaction (Axon's default is one): every event
     * reaches every saga processor, and one commit per event and processor cost more than the sagas' own
     * work under load. The network calls are unaffected: the outbox makes them after the batch commits. Their
     * segment count is their own ({@link SagaSettings#segments()}), applied after the cluster's default for
     * every processor.
     */
    @Bean
    ConfigurerModule sagaProcessors(SagaSettings settings) {
        return configurer -> configurer.eventProcessing(processing -> SagaGroups.ALL.forEach(group -> processing
                .registerPooledStreamingEventProcessor(group, configuration -> configuration.eventStore(),
                        (configuration, processor) -> processor
                                .initialToken(StreamableMessageSource::createHeadToken)
                                .initialSegmentCount(settings.segments())
                                .batchSize(BATCH_SIZE))));
    }

    @Bean
    ActivationOnRequest activationOnRequest() {
        return new ActivationOnRequest();
    }

    @Bean
    OwnStepsOnly ownStepsOnly() {
        return new OwnStepsOnly();
    }

    @Bean(destroyMethod = "close")
    AfterCommitOutbox sagaOutbox(NetworkAccessServer nas, Ipam ipam, MeterRegistry registry, CommandGateway commands,
                                 SagaSettings settings, LiveSessions sessions) {
        AtomicInteger threads = new AtomicInteger();
        return new AfterCommitOutbox(new NetworkCalls(nas, ipam, registry, sessions), commands,
                Executors.newFixedThreadPool(settings.networkThreads(), runnable -> {
                    Thread thread = new Thread(runnable, "network-call-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }));
    }
}

package dev.ipv6lifecycle.server.axon;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.audit.Actor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How commands are sent. The gateway retries what a retry can fix: an allocation whose chosen prefix a
 * concurrent transaction took first (PostgreSQL refused it, nothing was stored), or two writers on one
 * aggregate. A business refusal, a duplicate id or a malformed command fails at once.
 */
@Configuration(proxyBeanMethods = false)
class AxonCommandConfiguration {

    @Bean(destroyMethod = "shutdown")
    ScheduledExecutorService commandRetryExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    CommandGateway commandGateway(CommandBus commandBus, ScheduledExecutorService commandRetryExecutor,
                                  @Value("${ipv6.commands.max-retries}") int maxRetries) {
        var retries = ExponentialBackOffIntervalRetryScheduler.builder()
                .retryExecutor(commandRetryExecutor)
                .backoffFactor(5)
                .maxRetryCount(maxRetries)
                .addNonTransientFailurePredicate(failure -> failure instanceof DomainRejection
                        || failure instanceof AggregateStreamCreationException
                        || failure instanceof IllegalArgumentException
                        || failure instanceof IllegalStateException)
                .build();
        return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(retries).build();
    }

    /** The actor, copied from every command onto the events it causes, beside Axon's correlation ids. */
    @Bean
    CorrelationDataProvider actorCorrelation() {
        return new SimpleCorrelationDataProvider(Actor.METADATA_KEY);
    }

    /** Axon's own correlation and trace ids; declared here because any provider bean replaces its default. */
    @Bean
    CorrelationDataProvider messageOriginCorrelation() {
        return new MessageOriginProvider();
    }
}

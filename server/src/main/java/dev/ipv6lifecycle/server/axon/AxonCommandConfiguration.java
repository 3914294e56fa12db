package dev.ipv6lifecycle.server.axon;

import dev.ipv6lifecycle.api.audit.Actor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * How commands are sent. The gateway retries only what a retry can fix ({@link RetryableCommandFailures}): a
 * prefix or an aggregate that a concurrent transaction took first, a serialization failure or deadlock, a lost
 * connection. A business refusal, a duplicate id, data PostgreSQL refuses or a bug fails at once.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CommandSettings.class)
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
                                  CommandSettings settings) {
        RetryScheduler backoff = ExponentialBackOffIntervalRetryScheduler.builder()
                .retryExecutor(commandRetryExecutor)
                .backoffFactor(5)
                .maxRetryCount(settings.maxRetries())
                // Axon would judge each exception of the cause chain on its own, and give up on the duplicate
                // key beneath a ConcurrencyException; RetryableCommandFailures reads the chain as a whole.
                .nonTransientFailurePredicate(failure -> false)
                .build();
        RetryScheduler onlyRetryable = (command, failure, failures, dispatch) -> RetryableCommandFailures
                .isRetryable(failure) && backoff.scheduleRetry(command, failure, failures, dispatch);
        return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(onlyRetryable).build();
    }

    /** Lets a batch tell whether a command that failed had begun to write ({@link BatchItem}). */
    @Bean
    SmartInitializingSingleton batchItemsSeeTheirWrites(CommandBus commandBus) {
        return () -> commandBus.registerHandlerInterceptor(BatchItem.WRITES);
    }

    /** Axon's units of work on Spring's transactions; see {@link JoiningUnitsOfWork} for its one difference. */
    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager transactions) {
        return new JoiningUnitsOfWork(transactions);
    }

    /** Connections for Axon's JDBC components whose commit and rollback the Spring transaction decides. */
    @Bean
    ConnectionProvider connectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new TransactionalConnections(dataSource));
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

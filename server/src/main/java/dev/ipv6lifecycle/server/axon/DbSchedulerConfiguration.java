package dev.ipv6lifecycle.server.axon;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import dev.ipv6lifecycle.server.cluster.ClusterNode;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * db-scheduler, wired by hand: its Spring Boot starter still targets Boot 3's auto-configuration
 * classes. Axon's {@code AxonDbSchedulerAutoConfiguration} sees this {@link Scheduler} and builds the
 * durable {@code DeadlineManager} and {@code EventScheduler} on it, and contributes their tasks here.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SchedulerSettings.class)
class DbSchedulerConfiguration {

    @Bean
    Scheduler dbScheduler(DataSource dataSource, List<Task<?>> tasks, List<RecurringTask<?>> recurringTasks,
                          SchedulerSettings settings, ClusterNode node) {
        // Transaction-aware, so a deadline scheduled by a command handler is written in the same
        // transaction as the command's events: both commit, or neither does.
        // Recurring tasks are started (their first execution stored) rather than only known.
        // Every node polls the same table; an execution is picked by one of them only. One that a dead node
        // had picked is run again by another once its heartbeats have stopped for the missed-heartbeat limit.
        List<Task<?>> oneTime = tasks.stream().filter(task -> !(task instanceof RecurringTask)).toList();
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), oneTime)
                .startTasks(recurringTasks)
                .pollingInterval(settings.pollingInterval())
                .threads(settings.threads())
                .enableImmediateExecution()
                .schedulerName(new SchedulerName.Fixed(node.id()))
                .heartbeatInterval(settings.heartbeatInterval())
                .missedHeartbeatsLimit(settings.missedHeartbeatsLimit())
                .build();
    }

    /** Runs deadlines only once the whole application, Axon included, is up; stops them first. */
    @Bean
    SmartLifecycle dbSchedulerLifecycle(Scheduler scheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                scheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                scheduler.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MAX_VALUE - 100;
            }
        };
    }
}

package dev.ipv6lifecycle.server.aaa;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The accounting checks as db-scheduler recurring tasks, each run once per due time across the whole cluster:
 * stale sessions every {@code check-interval}, stale ACTIVE delegations hourly (each run counts every one it
 * finds, so a shorter period would only repeat the same count).
 */
@Configuration(proxyBeanMethods = false)
class AccountingScheduleConfiguration {

    @Bean
    RecurringTask<Void> staleSessionsTask(AccountingChecks checks, AccountingSettings settings) {
        return Tasks.recurring("ipv6-accounting-stale-sessions", Schedules.fixedDelay(settings.checkInterval()))
                .execute((instance, context) -> checks.closeStaleSessions(Instant.now()));
    }

    @Bean
    RecurringTask<Void> staleActiveTask(AccountingChecks checks) {
        return Tasks.recurring("ipv6-accounting-stale-active", Schedules.fixedDelay(Duration.ofHours(1)))
                .execute((instance, context) -> checks.reportStaleActive(Instant.now()));
    }
}

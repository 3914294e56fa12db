package dev.ipv6lifecycle.server.maintenance;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.sagas.sweep.Sweep;
import dev.ipv6lifecycle.sagas.sweep.SweepSettings;
import dev.ipv6lifecycle.server.aaa.AccountingChecks;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The daily sweep as a db-scheduler recurring task: it runs once per due time across the whole cluster. */
@Configuration(proxyBeanMethods = false)
class SweepScheduleConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SweepScheduleConfiguration.class);

    @Bean
    RecurringTask<Void> sweepTask(Sweep sweep, SweepSettings settings, AccountingChecks accounting) {
        return Tasks.recurring("ipv6-sweep", Schedules.cron(settings.cron(), ZoneOffset.UTC))
                .execute((instance, context) -> {
                    try {
                        sweep.run(Sweep.Trigger.SCHEDULE);
                        accounting.run(Instant.now());
                    } catch (DomainRejection alreadyRunning) {
                        log.info("Scheduled sweep skipped: {}", alreadyRunning.getMessage());
                    }
                });
    }
}

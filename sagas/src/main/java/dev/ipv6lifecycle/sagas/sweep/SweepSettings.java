package dev.ipv6lifecycle.sagas.sweep;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param cron               when the scheduled sweep runs, in UTC (db-scheduler's six-field cron; "-" disables it)
 * @param revokedRetention   how long a revoked delegation stays in the current views
 * @param revokingStuckAfter how long a revocation may take before the sweep drives it again
 * @param leakGrace          how long a disagreement between the command side and the views must last to count
 *                           as a leak (the views are eventually consistent)
 * @param batchSize          rows per statement and per batch of commands
 * @param leaksLogged        leaks of a run logged one by one; the rest are counted and logged as one line per run
 *                           (a lost table is one leak per delegation, and a log line each would flood the logs)
 */
@ConfigurationProperties("ipv6.sweep")
public record SweepSettings(@DefaultValue("0 0 2 * * *") String cron,
                            @DefaultValue("P90D") Duration revokedRetention,
                            @DefaultValue("PT1H") Duration revokingStuckAfter,
                            @DefaultValue("PT10M") Duration leakGrace,
                            @DefaultValue("1000") int batchSize,
                            @DefaultValue("100") int leaksLogged) {
}

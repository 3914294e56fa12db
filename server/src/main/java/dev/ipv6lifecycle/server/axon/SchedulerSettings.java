package dev.ipv6lifecycle.server.axon;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * db-scheduler, which runs the durable deadlines and the cluster-wide recurring jobs.
 *
 * @param missedHeartbeatsLimit an execution picked by a node that died runs again elsewhere after
 *                              {@code heartbeatInterval} times this many
 */
@ConfigurationProperties("ipv6.scheduler")
record SchedulerSettings(@DefaultValue("PT1S") Duration pollingInterval, @DefaultValue("4") int threads,
                         @DefaultValue("PT10S") Duration heartbeatInterval,
                         @DefaultValue("6") int missedHeartbeatsLimit) {
}

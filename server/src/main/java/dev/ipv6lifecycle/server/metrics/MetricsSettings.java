package dev.ipv6lifecycle.server.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param refresh how often the gauges are read from the database; a scrape only reads them in memory */
@ConfigurationProperties("ipv6.metrics")
record MetricsSettings(@DefaultValue("PT5S") Duration refresh) {
}

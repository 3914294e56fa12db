package dev.ipv6lifecycle.server.axon;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param batchSize events read per query, by processors and when loading an aggregate (Axon's default is 100) */
@ConfigurationProperties("ipv6.event-store")
record EventStoreSettings(@DefaultValue("1000") int batchSize) {
}

package dev.ipv6lifecycle.server.axon;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param maxRetries retries of a command that failed for a reason a retry can fix, with exponential backoff */
@ConfigurationProperties("ipv6.commands")
record CommandSettings(@DefaultValue("8") int maxRetries) {
}

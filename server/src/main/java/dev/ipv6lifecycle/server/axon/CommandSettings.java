package dev.ipv6lifecycle.server.axon;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxRetries       retries of a command that failed for a reason a retry can fix, with exponential backoff
 * @param maxGroup         REST commands that arrive together and are sent in one transaction, at most
 * @param concurrentGroups such groups under way at once
 */
@ConfigurationProperties("ipv6.commands")
public record CommandSettings(@DefaultValue("8") int maxRetries, @DefaultValue("64") int maxGroup,
                              @DefaultValue("2") int concurrentGroups) {

    public CommandSettings {
        if (maxGroup < 1 || concurrentGroups < 1) {
            throw new IllegalArgumentException("ipv6.commands.max-group and concurrent-groups must be at least 1");
        }
    }
}

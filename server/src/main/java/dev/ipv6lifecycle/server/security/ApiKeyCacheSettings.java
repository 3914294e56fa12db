package dev.ipv6lifecycle.server.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-memory cache of API keys ({@link ApiKeyCache}, docs/security.md).
 *
 * @param maxAge     how long a cached key is served at most before it is looked up again: the second guard
 *                   behind the change notifications, should one ever be lost
 * @param maxEntries how many keys one node holds at most; beyond that, a new key replaces an old one
 * @param heartbeat  how often the listening connection proves that it is alive; the cache serves nothing
 *                   while the last proof is older than twice this, so a silently lost connection stops the
 *                   cache within about two heartbeats
 */
@ConfigurationProperties("ipv6.security.api-key-cache")
record ApiKeyCacheSettings(@DefaultValue("PT60S") Duration maxAge, @DefaultValue("10000") int maxEntries,
                           @DefaultValue("PT0.5S") Duration heartbeat) {

    ApiKeyCacheSettings {
        if (maxAge.isNegative() || maxEntries < 0 || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("ipv6.security.api-key-cache: max-age and max-entries must not be "
                    + "negative and heartbeat must be positive, not " + maxAge + ", " + maxEntries + ", " + heartbeat);
        }
    }
}

package dev.ipv6lifecycle.server.delegation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param activationWait how long {@code POST /delegations} with {@code activate: true} waits for the
 *                       activation saga before it answers (ACTIVE, FAILED, or ALLOCATED while the network
 *                       is still being retried)
 */
@ConfigurationProperties("ipv6.api")
record ApiSettings(@DefaultValue("PT2S") Duration activationWait) {
}

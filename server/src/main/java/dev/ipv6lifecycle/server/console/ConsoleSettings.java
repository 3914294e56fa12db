package dev.ipv6lifecycle.server.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's links outward (its session timeout is a security setting: {@code ipv6.console.session-timeout}).
 *
 * @param grafanaUrl the Grafana dashboard's address, linked from the health page; empty, no link
 */
@ConfigurationProperties("ipv6.console")
record ConsoleSettings(@DefaultValue("") String grafanaUrl) {
}

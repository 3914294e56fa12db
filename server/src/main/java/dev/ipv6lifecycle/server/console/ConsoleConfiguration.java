package dev.ipv6lifecycle.server.console;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The operator console: server-side pages under {@code /console/}, secured by ConsoleSecurityConfiguration. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleSettings.class)
class ConsoleConfiguration {
}

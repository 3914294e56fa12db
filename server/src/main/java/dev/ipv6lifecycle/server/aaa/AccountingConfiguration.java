package dev.ipv6lifecycle.server.aaa;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** RADIUS accounting: its settings (the endpoint, reactions and drift checks are components of this package). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccountingSettings.class)
class AccountingConfiguration {
}

package dev.ipv6lifecycle.server.persistence;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The storage settings, needed with an external database too (the admin key file lives in the data
 * directory), where {@link EmbeddedPostgresConfiguration} does not apply.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageSettings.class)
class PersistenceConfiguration {
}

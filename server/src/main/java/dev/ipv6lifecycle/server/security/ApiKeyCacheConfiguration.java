package dev.ipv6lifecycle.server.security;

import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API key cache and its listening connection (docs/security.md). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiKeyCacheSettings.class)
class ApiKeyCacheConfiguration {

    @Bean
    ApiKeyCache apiKeyCache(ApiKeyCacheSettings settings, DataSource dataSource) {
        return new ApiKeyCache(settings, ApiKeyCache.connectorFor(dataSource));
    }
}

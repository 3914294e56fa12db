package dev.ipv6lifecycle.sagas.radius;

import dev.ipv6lifecycle.sagas.network.NetworkAccessServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The NAS the sagas talk to: RADIUS Dynamic Authorization, disabled (every call skipped) until a secret is set. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RadiusProperties.class)
class RadiusConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RadiusConfiguration.class);

    @Bean
    NetworkAccessServer networkAccessServer(RadiusProperties properties) {
        if (properties.enabled()) {
            log.info("RADIUS dynamic authorization enabled: {}", properties);
        } else {
            log.info("RADIUS dynamic authorization disabled (no radius.dae.secret): NAS steps are skipped");
        }
        return new RadiusDaeClient(properties);
    }
}

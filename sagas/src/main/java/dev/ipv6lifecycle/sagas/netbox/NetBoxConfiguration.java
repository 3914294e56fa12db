package dev.ipv6lifecycle.sagas.netbox;

import dev.ipv6lifecycle.sagas.network.Ipam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The IPAM the sagas and the sweep use: NetBox when {@code netbox.url} and {@code netbox.token} are set. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NetBoxProperties.class)
class NetBoxConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NetBoxConfiguration.class);

    @Bean
    Ipam ipam(NetBoxProperties properties) {
        if (!properties.configured()) {
            log.info("No IPAM configured: set netbox.url and netbox.token to record delegated prefixes in NetBox");
            return new NoIpam();
        }
        log.info("Recording delegated prefixes in NetBox at {}", properties.url());
        return new NetBoxClient(properties);
    }
}

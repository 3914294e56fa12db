package dev.ipv6lifecycle.sagas.sweep;

import dev.ipv6lifecycle.sagas.network.Ipam;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The sweep and its meters; the server schedules it and exposes it over REST. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SweepSettings.class)
class SweepConfiguration {

    @Bean
    SweepMetrics sweepMetrics(MeterRegistry registry, DataSource dataSource) {
        return new SweepMetrics(registry, new JdbcTemplate(dataSource));
    }

    @Bean
    Sweep sweep(DataSource dataSource, CommandGateway commands, Ipam ipam, SweepSettings settings,
                SweepMetrics metrics) {
        return new Sweep(dataSource, commands, ipam, settings, metrics);
    }
}

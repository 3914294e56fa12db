package dev.ipv6lifecycle;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The IPv6 prefix lifecycle service. Without a configured datasource it starts its own PostgreSQL
 * from the embedded binaries; see {@code server.persistence.EmbeddedPostgresConfiguration}.
 */
// Axon's update checker writes ~/.axoniq/machine_id as soon as it is constructed, even when it is told
// not to check, so the service never lets that auto-configuration create it.
@SpringBootApplication(excludeName = "org.axonframework.springboot.autoconfig.UpdateCheckerAutoConfiguration")
public class Ipv6LifecycleApplication {

    public static void main(String[] args) {
        SpringApplication.run(Ipv6LifecycleApplication.class, args);
    }
}

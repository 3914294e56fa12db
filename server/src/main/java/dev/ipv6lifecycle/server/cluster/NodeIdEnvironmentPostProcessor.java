package dev.ipv6lifecycle.server.cluster;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives the node an id when none is configured: host name, process id and a short random suffix, so that
 * two processes on one host, or two applications in one JVM, never share one. Decided once, before the
 * context starts, so that the token store, db-scheduler and the database connections all use the same id.
 */
class NodeIdEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String NODE_ID = "ipv6.node-id";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(NODE_ID);
        if (configured == null || configured.isBlank()) {
            // First, over application.yml's empty default; only when nothing was configured.
            environment.getPropertySources().addFirst(new MapPropertySource("ipv6-generated-node-id",
                    Map.of(NODE_ID, generated())));
        }
    }

    private static String generated() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception unknown) {
            host = "node";
        }
        long pid = ProcessHandle.current().pid();
        String suffix = UUID.randomUUID().toString().substring(0, 4);
        return host + "-" + pid + "-" + suffix;
    }
}

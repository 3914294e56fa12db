package dev.ipv6lifecycle.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points the integration tests' RADIUS client at a loopback port that is bound but never answers, as a NAS
 * that is down: a revocation of a delegation with NAS session details stays REVOKING (its saga retries,
 * ten minutes apart, so no retry lands in the middle of a test), while delegations without session details
 * go through their sagas at once. The socket stays bound for the JVM's life so no one else takes the port.
 */
public class SilentNasInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final DatagramSocket SILENT = bind();

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("radius.dae.secret=integration-test-secret", "radius.dae.port=" + SILENT.getLocalPort(),
                "radius.dae.timeout=PT0.2S", "radius.dae.retries=0",
                "ipv6.sagas.first-retry=PT10M", "ipv6.sagas.max-retry=PT10M").applyTo(context);
    }

    /** A session on the silent NAS, as the JSON of a request's {@code nas}. */
    public static String sessionJson(String username) {
        return "{\"username\": \"" + username + "\", \"nasIp\": \"127.0.0.1\", \"sessionId\": \"s-" + username + "\"}";
    }

    private static DatagramSocket bind() {
        try {
            return new DatagramSocket(0, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

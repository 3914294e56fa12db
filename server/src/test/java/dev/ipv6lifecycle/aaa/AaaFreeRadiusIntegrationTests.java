package dev.ipv6lifecycle.aaa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.FreeRadiusAaa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A real FreeRADIUS with the shipped module and policy, as the ISP's AAA server, asking the service through
 * rlm_rest; Access-Requests sent with radclient, whose decoding of the Access-Accept from the wire is what the
 * assertions read.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AaaFreeRadiusIntegrationTests {

    private static final String SECRET = "aaa-test-secret";
    /** A common BNG retransmit timer; the shipped timeout must answer well within it. */
    private static final Duration BNG_RETRANSMIT = Duration.ofSeconds(3);

    @LocalServerPort
    int port;

    private AaaTenant tenant;
    private FreeRadiusAaa radius;
    private final List<AutoCloseable> closeAfterwards = new ArrayList<>();

    @BeforeAll
    void start() {
        tenant = AaaTenant.create(new Api(port));
        tenant.pool("2001:db8:200::/40", false);
        radius = closing(FreeRadiusAaa.start(SECRET, "http://127.0.0.1:" + port, tenant.aaaKey()));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : closeAfterwards) {
            closeable.close();
        }
    }

    @Test
    void anActiveSubscribersPrefixIsInTheAccessAccept() {
        String id = tenant.allocate("active-1", "").get("id").asString();
        String prefix = tenant.transition(id, "activate").get("prefix").asString();

        FreeRadiusAaa.Answer answer = radius.authorize("active-1");

        assertThat(answer.packetType()).as(radius.log()).isEqualTo("Access-Accept");
        assertThat(answer.values("Delegated-IPv6-Prefix")).map(Ipv6Prefix::parse)
                .containsExactly(Ipv6Prefix.parse(prefix));
        assertThat(answer.values("Filter-Id")).isEmpty();
    }

    @Test
    void aSuspendedSubscriberGetsThePrefixAndTheRestrictingFilterId() {
        String id = tenant.allocate("suspended-1", ", \"radiusUserName\": \"suspended-1@isp\"").get("id").asString();
        tenant.transition(id, "activate");
        String prefix = tenant.transition(id, "suspend").get("prefix").asString();

        FreeRadiusAaa.Answer answer = radius.authorize("suspended-1@isp");

        assertThat(answer.packetType()).isEqualTo("Access-Accept");
        assertThat(answer.values("Delegated-IPv6-Prefix")).map(Ipv6Prefix::parse)
                .containsExactly(Ipv6Prefix.parse(prefix));
        assertThat(answer.values("Filter-Id")).containsExactly("ipv6-suspended");
    }

    @Test
    void aRevokedSubscriberIsAcceptedWithoutAPrefix() {
        String id = tenant.allocate("revoked-1", "").get("id").asString();
        tenant.transition(id, "activate");
        assertThat(radius.authorize("revoked-1").values("Delegated-IPv6-Prefix")).hasSize(1);
        tenant.transition(id, "revoke");

        FreeRadiusAaa.Answer answer = radius.authorize("revoked-1");

        assertThat(answer.packetType()).isEqualTo("Access-Accept");
        assertThat(answer.attributes()).doesNotContainKey("Delegated-IPv6-Prefix");
    }

    @Test
    void anotherTenantsSubscriberGetsNothing() {
        AaaTenant other = AaaTenant.create(new Api(port));
        other.pool("2001:db8:200::/40", false);
        other.allocate("theirs-1", "");

        FreeRadiusAaa.Answer answer = radius.authorize("theirs-1");

        assertThat(answer.packetType()).isEqualTo("Access-Accept");
        assertThat(answer.attributes()).doesNotContainKey("Delegated-IPv6-Prefix");
    }

    @Test
    void aPoolMarkedForItAllocatesOnFirstSightAndKeepsThePrefixForTheNextRequest() {
        AaaTenant fresh = AaaTenant.create(new Api(port));
        fresh.pool("2001:db8:300::/40", true);
        FreeRadiusAaa ownRadius = closing(FreeRadiusAaa.start(SECRET, "http://127.0.0.1:" + port, fresh.aaaKey()));

        FreeRadiusAaa.Answer first = ownRadius.authorize("new-line@isp");
        FreeRadiusAaa.Answer second = ownRadius.authorize("new-line@isp");

        assertThat(first.values("Delegated-IPv6-Prefix")).as(ownRadius.log()).hasSize(1);
        Ipv6Prefix prefix = Ipv6Prefix.parse(first.values("Delegated-IPv6-Prefix").get(0));
        assertThat(Ipv6Prefix.parse("2001:db8:300::/40").contains(prefix)).isTrue();
        assertThat(prefix.length()).isEqualTo(56);
        assertThat(second.values("Delegated-IPv6-Prefix")).map(Ipv6Prefix::parse).containsExactly(prefix);
    }

    @Test
    void withTheServiceStoppedFreeRadiusStillAcceptsWithinTheBngTimer() throws IOException {
        int stopped;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            stopped = socket.getLocalPort(); // nothing listens there once it is closed
        }
        FreeRadiusAaa orphan = closing(FreeRadiusAaa.start(SECRET, "http://127.0.0.1:" + stopped, tenant.aaaKey()));

        FreeRadiusAaa.Answer answer = orphan.authorize("active-1");

        assertThat(answer.packetType()).as(orphan.log()).isEqualTo("Access-Accept");
        assertThat(answer.attributes()).doesNotContainKey("Delegated-IPv6-Prefix");
        assertThat(answer.elapsed()).isLessThan(BNG_RETRANSMIT);
    }

    @Test
    void withTheServiceHangingFreeRadiusAcceptsAfterItsTimeoutWithinTheBngTimer() throws IOException {
        // Accepts connections and never answers: a service stuck in a pause or behind a dead load balancer.
        ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (!hanging.isClosed()) {
                    held.add(hanging.accept());
                }
            } catch (IOException closed) {
                // The test is over.
            }
        }, "hanging-service");
        acceptor.start();
        closeAfterwards.add(() -> {
            hanging.close();
            acceptor.join();
            for (Socket socket : held) {
                socket.close();
            }
        });
        FreeRadiusAaa stuck = closing(FreeRadiusAaa.start(SECRET, "http://127.0.0.1:" + hanging.getLocalPort(),
                tenant.aaaKey()));

        FreeRadiusAaa.Answer answer = stuck.authorize("active-1");

        assertThat(answer.packetType()).as(stuck.log()).isEqualTo("Access-Accept");
        assertThat(answer.attributes()).doesNotContainKey("Delegated-IPv6-Prefix");
        // The shipped timeout is 1.0 s: the answer waited for it, and no longer than the BNG would.
        assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(BNG_RETRANSMIT);
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeAfterwards.add(closeable);
        return closeable;
    }
}

package dev.ipv6lifecycle.sagas.radius;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome.Result;
import dev.ipv6lifecycle.testsupport.FreeRadiusNas;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against FreeRADIUS 3 acting as the NAS: an independent implementation decodes what we send,
 * checks our authenticators with its own code, and answers with its own.
 */
class RadiusDaeClientFreeRadiusTests {

    private static final String SECRET = "dae-test-secret";
    private static FreeRadiusNas nas;

    private final NasSession session = new NasSession("alice@isp.example", "127.0.0.1", "acct-0001");

    @BeforeAll
    static void startNas() {
        nas = FreeRadiusNas.start(SECRET);
    }

    @AfterAll
    static void stopNas() {
        if (nas != null) {
            nas.close();
        }
    }

    @BeforeEach
    void answerAck() {
        nas.acknowledge();
    }

    private RadiusDaeClient client(String secret, int retries, Duration timeout) {
        return new RadiusDaeClient(new RadiusProperties(secret, Map.of(), nas.port(), retries, timeout, "ipv6-suspended"));
    }

    private RadiusDaeClient client() {
        return client(SECRET, 2, Duration.ofSeconds(2));
    }

    private Map<String, String> lastReceived(int before) {
        List<Map<String, String>> received = nas.received();
        assertThat(received).hasSize(before + 1);
        return received.get(before);
    }

    @Test
    void pushesTheDelegatedPrefixThatFreeRadiusDecodesAsSent() {
        int before = nas.received().size();

        NetworkOutcome outcome = client().pushPrefix(session, Ipv6Prefix.parse("2001:db8:12:3400::/56"));

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(outcome.detail()).isEqualTo("CoA-ACK from 127.0.0.1:" + nas.port());
        Map<String, String> coa = lastReceived(before);
        assertThat(coa).containsEntry("Packet-Type", "CoA-Request")
                .containsEntry("Delegated-IPv6-Prefix", "2001:db8:12:3400::/56")
                .containsEntry("User-Name", "alice@isp.example")
                .containsEntry("Acct-Session-Id", "acct-0001")
                .containsEntry("NAS-IP-Address", "127.0.0.1")
                .doesNotContainKey("Filter-Id");
    }

    @Test
    void pushesSlash48And64PrefixesWithTheirLengths() {
        int before = nas.received().size();

        assertThat(client().pushPrefix(session, Ipv6Prefix.parse("2001:db8:ab::/48")).result()).isEqualTo(Result.SUCCEEDED);
        assertThat(client().pushPrefix(session, Ipv6Prefix.parse("2001:db8:ab:cd01::/64")).result())
                .isEqualTo(Result.SUCCEEDED);

        List<Map<String, String>> received = nas.received();
        assertThat(received.get(before)).containsEntry("Delegated-IPv6-Prefix", "2001:db8:ab::/48");
        assertThat(received.get(before + 1)).containsEntry("Delegated-IPv6-Prefix", "2001:db8:ab:cd01::/64");
    }

    @Test
    void identifiesAnIpv6NasByNasIpv6Address() {
        int before = nas.received().size();
        NasSession onIpv6 = new NasSession("bob", "::1", "acct-v6");

        NetworkOutcome outcome = client().pushPrefix(onIpv6, Ipv6Prefix.parse("2001:db8:77::/48"));

        assertThat(outcome).isEqualTo(NetworkOutcome.succeeded("CoA-ACK from [::1]:" + nas.port()));
        assertThat(lastReceived(before)).containsEntry("NAS-IPv6-Address", "::1")
                .containsEntry("User-Name", "bob")
                .doesNotContainKey("NAS-IP-Address");
    }

    @Test
    void restrictsWithTheConfiguredFilterId() {
        int before = nas.received().size();

        NetworkOutcome outcome = client().restrict(session);

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(lastReceived(before)).containsEntry("Packet-Type", "CoA-Request")
                .containsEntry("Filter-Id", "ipv6-suspended")
                .containsEntry("User-Name", "alice@isp.example")
                .containsEntry("Acct-Session-Id", "acct-0001")
                .doesNotContainKey("Delegated-IPv6-Prefix");
    }

    @Test
    void disconnectsWithSessionIdentificationOnly() {
        int before = nas.received().size();

        NetworkOutcome outcome = client().disconnect(session);

        assertThat(outcome).isEqualTo(NetworkOutcome.succeeded("Disconnect-ACK from 127.0.0.1:" + nas.port()));
        assertThat(lastReceived(before)).containsEntry("Packet-Type", "Disconnect-Request")
                .containsEntry("User-Name", "alice@isp.example")
                .containsEntry("Acct-Session-Id", "acct-0001")
                .containsEntry("NAS-IP-Address", "127.0.0.1")
                .doesNotContainKey("Delegated-IPv6-Prefix")
                .doesNotContainKey("Filter-Id");
    }

    @Test
    void reportsANakWithItsErrorCauseAsRejected() {
        nas.nakWith(501);

        NetworkOutcome outcome = client().pushPrefix(session, Ipv6Prefix.parse("2001:db8:12:3400::/56"));

        assertThat(outcome).isEqualTo(NetworkOutcome.rejected(
                "CoA-NAK from 127.0.0.1:" + nas.port() + ": Error-Cause 501 Administratively-Prohibited"));
    }

    @Test
    void takesADisconnectNakForAnUnknownSessionAsDone() {
        nas.nakWith(503);

        NetworkOutcome disconnect = client().disconnect(session);
        NetworkOutcome restrict = client().restrict(session);

        assertThat(disconnect.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(disconnect.detail()).contains("Disconnect-NAK", "503 Session-Context-Not-Found", "session already gone");
        assertThat(restrict.result()).isEqualTo(Result.REJECTED);
        assertThat(restrict.detail()).contains("CoA-NAK", "503 Session-Context-Not-Found");
    }

    @Test
    void isUnreachableWhenFreeRadiusDropsARequestSignedWithAnotherSecret() {
        int before = nas.received().size();
        int logBefore = nas.log().length();

        NetworkOutcome outcome = client("not-the-secret", 0, Duration.ofMillis(700))
                .pushPrefix(session, Ipv6Prefix.parse("2001:db8:12:3400::/56"));

        assertThat(outcome).isEqualTo(
                NetworkOutcome.unreachable("no answer from 127.0.0.1:" + nas.port() + " after 1 attempt"));
        assertThat(outcome.detail()).doesNotContain("not-the-secret");
        assertThat(nas.received()).hasSize(before);
        assertThat(nas.log().substring(logBefore)).contains("invalid Message-Authenticator", "Shared secret is incorrect");
    }

    @Test
    void isUnreachableAfterItsRetriesWhenTheNasDoesNotAnswer() {
        long disconnectsBefore = received("Disconnect-Request");
        nas.pause();
        long started = System.nanoTime();
        NetworkOutcome outcome;
        try {
            outcome = client(SECRET, 2, Duration.ofMillis(300)).disconnect(session);
        } finally {
            nas.resume();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome).isEqualTo(
                NetworkOutcome.unreachable("no answer from 127.0.0.1:" + nas.port() + " after 3 attempts"));
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        // Answered again once continued; it handles requests in order, so the queued ones are in by now.
        assertThat(client().restrict(session).result()).isEqualTo(Result.SUCCEEDED);
        // The three transmissions were one request (same identifier and authenticator): two were duplicates.
        assertThat(received("Disconnect-Request")).isEqualTo(disconnectsBefore + 1);
    }

    private static long received(String packetType) {
        return nas.received().stream().filter(packet -> packetType.equals(packet.get("Packet-Type"))).count();
    }
}

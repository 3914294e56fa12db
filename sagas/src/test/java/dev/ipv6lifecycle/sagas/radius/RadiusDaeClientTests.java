package dev.ipv6lifecycle.sagas.radius;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome.Result;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted NAS in the test: what goes on the wire, and what each answer comes to. */
class RadiusDaeClientTests {

    private static final String SECRET = "testing123";
    private static final byte[] SECRET_BYTES = SECRET.getBytes(StandardCharsets.US_ASCII);
    private static final NasSession ALICE = new NasSession("alice", "127.0.0.1", "s1");

    private DatagramSocket nas;

    @BeforeEach
    void openNas() throws Exception {
        nas = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        nas.setSoTimeout(5_000);
    }

    @AfterEach
    void closeNas() {
        nas.close();
    }

    private RadiusDaeClient client(int retries, Duration timeout) {
        return new RadiusDaeClient(new RadiusProperties(SECRET, Map.of(), nas.getLocalPort(), retries, timeout,
                "ipv6-suspended"));
    }

    private RadiusDaeClient client() {
        return client(2, Duration.ofSeconds(2));
    }

    private static CompletableFuture<NetworkOutcome> async(Supplier<NetworkOutcome> call) {
        return CompletableFuture.supplyAsync(call);
    }

    /** The next datagram the NAS receives, and where it came from. */
    private record Received(byte[] bytes, SocketAddress from) {
    }

    private Received receive() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
        nas.receive(packet);
        return new Received(Arrays.copyOf(packet.getData(), packet.getLength()), packet.getSocketAddress());
    }

    private void reply(Received request, byte[] answer) throws Exception {
        nas.send(new DatagramPacket(answer, answer.length, request.from()));
    }

    private void answer(Received request, int code, byte[]... attributes) throws Exception {
        reply(request, Answers.answer(code, request.bytes(), SECRET_BYTES, Answers.Signing.ZERO_AUTHENTICATOR, attributes));
    }

    private String peer() {
        return "127.0.0.1:" + nas.getLocalPort();
    }

    @Test
    void sendsTheCoaRequestComputedIndependently() throws Exception {
        CompletableFuture<NetworkOutcome> call =
                async(() -> client().pushPrefix(ALICE, Ipv6Prefix.parse("2001:db8:12:3400::/56")));

        Received request = receive();
        answer(request, 44);

        assertThat(HexFormat.of().formatHex(request.bytes())).isEqualTo(DaePacketsTests.COA_ALICE_SLASH_56);
        assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo(NetworkOutcome.succeeded("CoA-ACK from " + peer()));
    }

    @Test
    void sendsTheDisconnectRequestComputedIndependently() throws Exception {
        CompletableFuture<NetworkOutcome> call = async(() -> client().disconnect(ALICE));

        Received request = receive();
        answer(request, 41);

        assertThat(HexFormat.of().formatHex(request.bytes())).isEqualTo(DaePacketsTests.DISCONNECT_ALICE);
        assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo(NetworkOutcome.succeeded("Disconnect-ACK from " + peer()));
    }

    @Test
    void mapsACoaNakToRejectedWithTheErrorCauseNumberAndName() throws Exception {
        CompletableFuture<NetworkOutcome> call = async(() -> client().restrict(ALICE));

        answer(receive(), 45, Answers.errorCause(404));

        assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo(NetworkOutcome.rejected(
                "CoA-NAK from " + peer() + ": Error-Cause 404 Invalid-Request"));
    }

    @Test
    void mapsANakWithoutErrorCauseToRejected() throws Exception {
        CompletableFuture<NetworkOutcome> call = async(() -> client().disconnect(ALICE));

        answer(receive(), 42);

        assertThat(call.get(5, TimeUnit.SECONDS))
                .isEqualTo(NetworkOutcome.rejected("Disconnect-NAK from " + peer() + " without Error-Cause"));
    }

    @Test
    void takesADisconnectNakForAnUnknownSessionAsSucceededButNotACoaNak() throws Exception {
        CompletableFuture<NetworkOutcome> disconnect = async(() -> client().disconnect(ALICE));
        answer(receive(), 42, Answers.errorCause(503));
        CompletableFuture<NetworkOutcome> push =
                async(() -> client().pushPrefix(ALICE, Ipv6Prefix.parse("2001:db8:1::/48")));
        answer(receive(), 45, Answers.errorCause(503));

        assertThat(disconnect.get(5, TimeUnit.SECONDS)).isEqualTo(NetworkOutcome.succeeded("Disconnect-NAK from "
                + peer() + ": Error-Cause 503 Session-Context-Not-Found (session already gone)"));
        assertThat(push.get(5, TimeUnit.SECONDS)).isEqualTo(NetworkOutcome.rejected(
                "CoA-NAK from " + peer() + ": Error-Cause 503 Session-Context-Not-Found"));
    }

    @Test
    void namesAnErrorCauseRfc5176DoesNotDefineAsUnknown() throws Exception {
        CompletableFuture<NetworkOutcome> call = async(() -> client().restrict(ALICE));

        answer(receive(), 45, Answers.errorCause(999));

        assertThat(call.get(5, TimeUnit.SECONDS).detail()).endsWith("Error-Cause 999 (unknown)");
    }

    @Test
    void ignoresInvalidAnswersAndKeepsWaitingForAValidOne() throws Exception {
        CompletableFuture<NetworkOutcome> call = async(() -> client(0, Duration.ofSeconds(3)).disconnect(ALICE));

        Received request = receive();
        reply(request, Answers.answer(41, request.bytes(), "wrong".getBytes(StandardCharsets.US_ASCII),
                Answers.Signing.ZERO_AUTHENTICATOR));
        byte[] forgedAck = Answers.answer(41, request.bytes(), SECRET_BYTES, Answers.Signing.ZERO_AUTHENTICATOR);
        forgedAck[forgedAck.length - 1] ^= 1;
        reply(request, Answers.withResponseAuthenticator(forgedAck, request.bytes(), SECRET_BYTES));
        reply(request, new byte[] {41, request.bytes()[1], 0});
        Thread.sleep(200);
        assertThat(call).isNotDone();
        answer(request, 42, Answers.errorCause(501));

        assertThat(call.get(5, TimeUnit.SECONDS).result()).isEqualTo(Result.REJECTED);
    }

    @Test
    void retransmitsTheIdenticalPacketUntilAnswered() throws Exception {
        CompletableFuture<NetworkOutcome> call = async(() -> client(2, Duration.ofMillis(300)).restrict(ALICE));

        Received first = receive();
        Received second = receive();
        Received third = receive();
        answer(third, 44);

        assertThat(second.bytes()).isEqualTo(first.bytes());
        assertThat(third.bytes()).isEqualTo(first.bytes());
        assertThat(second.from()).isEqualTo(first.from());
        assertThat(call.get(5, TimeUnit.SECONDS).result()).isEqualTo(Result.SUCCEEDED);
    }

    @Test
    void isUnreachableWhenNoAnswerComesAfterTheRetries() throws Exception {
        long started = System.nanoTime();
        NetworkOutcome outcome = client(1, Duration.ofMillis(200)).disconnect(ALICE);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome).isEqualTo(NetworkOutcome.unreachable("no answer from " + peer() + " after 2 attempts"));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        Received first = receive();
        assertThat(receive().bytes()).isEqualTo(first.bytes());
    }

    @Test
    void isUnreachableWhenNothingListensOnTheNasPort() throws Exception {
        int closedPort = nas.getLocalPort();
        nas.close();
        RadiusDaeClient client = new RadiusDaeClient(new RadiusProperties(SECRET, Map.of(), closedPort, 1,
                Duration.ofMillis(200), "ipv6-suspended"));

        NetworkOutcome outcome = client.disconnect(ALICE);

        assertThat(outcome.result()).isEqualTo(Result.UNREACHABLE);
        assertThat(outcome.detail()).startsWith("no answer from 127.0.0.1:" + closedPort + " after 2 attempts");
    }

    @Test
    void givesConcurrentRequestsDistinctIdentifiers() throws Exception {
        RadiusDaeClient client = client(0, Duration.ofSeconds(3));
        List<CompletableFuture<NetworkOutcome>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(async(() -> client.restrict(ALICE)));
        }
        List<Received> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requests.add(receive());
        }
        Set<Integer> identifiers = new HashSet<>();
        for (Received request : requests) {
            identifiers.add(request.bytes()[1] & 0xff);
        }
        for (Received request : requests) {
            answer(request, 44);
        }

        assertThat(identifiers).hasSize(5);
        for (CompletableFuture<NetworkOutcome> call : calls) {
            assertThat(call.get(5, TimeUnit.SECONDS).result()).isEqualTo(Result.SUCCEEDED);
        }
    }

    @Test
    void usesTheSecretConfiguredForTheNasOverTheCommonOne() throws Exception {
        RadiusDaeClient client = new RadiusDaeClient(new RadiusProperties("common-secret",
                Map.of("127.0.0.1", SECRET), nas.getLocalPort(), 0, Duration.ofSeconds(3), "ipv6-suspended"));
        CompletableFuture<NetworkOutcome> call = async(() -> client.disconnect(ALICE));

        Received request = receive();
        answer(request, 41);

        assertThat(HexFormat.of().formatHex(request.bytes())).isEqualTo(DaePacketsTests.DISCONNECT_ALICE);
        assertThat(call.get(5, TimeUnit.SECONDS).result()).isEqualTo(Result.SUCCEEDED);
    }

    @Test
    void skipsWhenNoSecretIsConfigured() {
        RadiusDaeClient client = new RadiusDaeClient(new RadiusProperties(null, null, 3799, 2, Duration.ofSeconds(2),
                "ipv6-suspended"));

        assertThat(client.enabled()).isFalse();
        assertThat(client.disconnect(ALICE).result()).isEqualTo(Result.SKIPPED);
        assertThat(client.restrict(ALICE).result()).isEqualTo(Result.SKIPPED);
        assertThat(client.pushPrefix(ALICE, Ipv6Prefix.parse("2001:db8::/48")).result()).isEqualTo(Result.SKIPPED);
    }

    @Test
    void skipsWithoutSessionDetailsAndRejectsANasThatIsNoAddress() {
        RadiusDaeClient client = client();

        assertThat(client.enabled()).isTrue();
        assertThat(client.disconnect(null).result()).isEqualTo(Result.SKIPPED);
        assertThat(client.disconnect(new NasSession(null, "127.0.0.1", " ")).result()).isEqualTo(Result.SKIPPED);
        assertThat(client.disconnect(new NasSession("alice", null, "s1")).result()).isEqualTo(Result.SKIPPED);
        assertThat(client.disconnect(new NasSession("alice", "nas1.isp.example", "s1")))
                .isEqualTo(NetworkOutcome.rejected("NAS address 'nas1.isp.example' is not an IPv4 or IPv6 address"));
    }

    @Test
    void rejectsASessionWhoseUserNameDoesNotFitAnAttribute() {
        // RADIUS attributes hold at most 253 octets (RFC 2865 §5).
        NetworkOutcome outcome = client().disconnect(new NasSession("u".repeat(254), "127.0.0.1", "s1"));

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.detail()).startsWith("cannot encode the Disconnect-Request");
    }

    @Test
    void neverPutsTheSecretIntoADetail() throws Exception {
        NetworkOutcome unanswered = client(0, Duration.ofMillis(100)).disconnect(ALICE);
        receive();
        CompletableFuture<NetworkOutcome> nak = async(() -> client().restrict(ALICE));
        answer(receive(), 45, Answers.errorCause(404));

        assertThat(unanswered.detail()).doesNotContain(SECRET);
        assertThat(nak.get(5, TimeUnit.SECONDS).detail()).doesNotContain(SECRET);
    }
}

package dev.ipv6lifecycle.sagas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.FreeRadiusNas;
import dev.ipv6lifecycle.testsupport.NetBoxEmulator;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The sagas against a real FreeRADIUS acting as the NAS (RFC 5176 dynamic authorization) and an emulation
 * of NetBox 4's REST API, through the REST API as an operator would drive them.
 */
class NetworkSagasIntegrationTests {

    private static final String SECRET = "dae-test-secret";

    private static FreeRadiusNas nas;
    private static NetBoxEmulator netbox;
    private static RunningService service;
    private static String poolId;

    private Api http;
    private String subscriber;

    @BeforeAll
    static void start() {
        nas = FreeRadiusNas.start(SECRET);
        netbox = NetBoxEmulator.start();
        netbox.seedTenant("default", "Default ISP");
        service = RunningService.start(SharedPostgres.freshDatabase(),
                "--radius.dae.secret=" + SECRET, "--radius.dae.port=" + nas.port(), "--radius.dae.timeout=PT1S",
                "--radius.dae.retries=1", "--netbox.url=" + netbox.url(), "--netbox.token=" + netbox.token(),
                "--netbox.timeout=PT2S");
        poolId = service.createPool("2001:db8:5a00::/40");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (netbox != null) {
            netbox.close();
        }
        if (nas != null) {
            nas.close();
        }
    }

    @BeforeEach
    void setUp() {
        http = service.http;
        subscriber = "sub-" + UUID.randomUUID();
        nas.acknowledge();
    }

    @Test
    void activationRecordsThePrefixInNetBoxPushesItToTheNasAndThenActivates() {
        JsonNode delegation = allocateAndActivate();

        assertThat(delegation.get("state").asString()).isEqualTo("ACTIVE");
        String prefix = delegation.get("prefix").asString();
        String id = delegation.get("id").asString();
        Map<String, String> coa = lastPacketFor(subscriber);
        assertThat(coa).containsEntry("Packet-Type", "CoA-Request")
                .containsEntry("Delegated-IPv6-Prefix", prefix)
                .containsEntry("Acct-Session-Id", "sess-" + subscriber);
        assertThat(netbox.records()).anySatisfy(record -> {
            assertThat(record.prefix()).isEqualTo(prefix);
            assertThat(record.status()).isEqualTo("active");
            assertThat(record.tenantSlug()).isEqualTo("default");
            assertThat(record.description()).contains("delegation=" + id, "subscriber=" + subscriber);
        });
        assertThat(networkCalls(history(id))).containsSubsequence(
                "IPAM_RECORD SUCCEEDED 1 saga:activation", "PUSH_PREFIX SUCCEEDED 1 saga:activation");
    }

    @Test
    void aCoaNakFailsTheActivationAndRemovesTheNetBoxRecord() {
        nas.nakWith(404);

        JsonNode delegation = allocateAndActivate();

        assertThat(delegation.get("state").asString()).isEqualTo("FAILED");
        assertThat(delegation.get("reason").asString()).contains("PUSH_PREFIX refused", "404");
        String prefix = delegation.get("prefix").asString();
        String id = delegation.get("id").asString();
        JsonNode history = service.awaitHistory(id, body -> body.contains("IPAM_RELEASE"));
        assertThat(networkCalls(history)).containsSubsequence("IPAM_RECORD SUCCEEDED 1 saga:activation",
                "PUSH_PREFIX REJECTED 1 saga:activation", "IPAM_RELEASE SUCCEEDED 1 saga:activation");
        assertThat(netbox.records()).noneMatch(record -> record.prefix().equals(prefix));
    }

    @Test
    void revocationDisconnectsWithOnlySessionIdentificationReleasesNetBoxAndCompletes() {
        JsonNode delegation = allocateAndActivate();
        String id = delegation.get("id").asString();
        String prefix = delegation.get("prefix").asString();

        Api.Answer revoking = http.post("/api/v1/delegations/" + id + "/revoke", "{\"reason\": \"contract ended\"}");

        assertThat(revoking.status()).isEqualTo(200);
        JsonNode history = service.awaitHistory(id, body -> body.contains("\"PrefixRevoked\""));
        assertThat(networkCalls(history)).containsSubsequence("DISCONNECT SUCCEEDED 1 saga:revocation",
                "IPAM_RELEASE SUCCEEDED 1 saga:revocation");
        Map<String, String> disconnect = lastPacketFor(subscriber);
        assertThat(disconnect).containsEntry("Packet-Type", "Disconnect-Request")
                .containsEntry("Acct-Session-Id", "sess-" + subscriber)
                .doesNotContainKeys("Delegated-IPv6-Prefix", "Filter-Id");
        assertThat(netbox.records()).noneMatch(record -> record.prefix().equals(prefix));
    }

    @Test
    void aRevocationOutlastsNetBoxBeingDownAndCompletesOnceItAnswers() {
        JsonNode delegation = allocateAndActivate();
        String id = delegation.get("id").asString();
        netbox.failNext(3, 503);

        http.post("/api/v1/delegations/" + id + "/revoke", null);

        JsonNode history = service.awaitHistory(id, body -> body.contains("\"PrefixRevoked\""));
        List<String> calls = networkCalls(history);
        assertThat(calls).contains("IPAM_RELEASE UNREACHABLE 1 saga:revocation");
        assertThat(calls).anyMatch(call -> call.startsWith("IPAM_RELEASE SUCCEEDED"));
        assertThat(netbox.records()).noneMatch(record -> record.prefix().equals(delegation.get("prefix").asString()));
    }

    @Test
    void anOperatorCompletesARevocationTheNasWillNotAnswerAndTheSweepReleasesWhatWasLeft() {
        JsonNode delegation = allocateAndActivate();
        String id = delegation.get("id").asString();
        String prefix = delegation.get("prefix").asString();
        nas.pause();
        try {
            http.post("/api/v1/delegations/" + id + "/revoke", null);
            service.awaitHistory(id, body -> body.contains("UNREACHABLE"));

            Api.Answer completed = http.post("/api/v1/delegations/" + id + "/complete-revocation",
                    "{\"reason\": \"BNG decommissioned\"}");

            assertThat(completed.status()).isEqualTo(200);
            assertThat(completed.json().get("state").asString()).isEqualTo("REVOKED");
            assertThat(completed.json().get("reason").asString()).isEqualTo("completed by an operator: BNG decommissioned");
        } finally {
            nas.resume();
        }
        assertThat(netbox.records()).as("the saga stopped before the NetBox step")
                .anyMatch(record -> record.prefix().equals(prefix));
        await().until(() -> http.get("/api/v1/delegations/" + id).json().get("state").asString().equals("REVOKED"));

        JsonNode sweep = http.post("/api/v1/maintenance/sweep", null).json();

        assertThat(sweep.get("leaksDetected").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(sweep.get("leaksRepaired").asLong()).isEqualTo(sweep.get("leaksDetected").asLong());
        assertThat(netbox.records()).noneMatch(record -> record.prefix().equals(prefix));
    }

    @Test
    void suspendRestrictsTheSessionAndResumePushesThePrefixAgain() {
        JsonNode delegation = allocateAndActivate();
        String id = delegation.get("id").asString();

        http.post("/api/v1/delegations/" + id + "/suspend", null);
        service.awaitHistory(id, body -> body.contains("RESTRICT"));
        Map<String, String> restrict = lastPacketFor(subscriber);
        http.post("/api/v1/delegations/" + id + "/resume", null);
        JsonNode history = service.awaitHistory(id, body -> networkCalls(body).size() >= 4);

        assertThat(restrict).containsEntry("Packet-Type", "CoA-Request").containsEntry("Filter-Id", "ipv6-suspended")
                .doesNotContainKey("Delegated-IPv6-Prefix");
        assertThat(lastPacketFor(subscriber)).containsEntry("Delegated-IPv6-Prefix", delegation.get("prefix").asString());
        assertThat(networkCalls(history)).containsSubsequence("RESTRICT SUCCEEDED 1 notifier:session",
                "PUSH_PREFIX SUCCEEDED 1 notifier:session");
    }

    private JsonNode allocateAndActivate() {
        Api.Answer answer = http.post("/api/v1/delegations", "{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \""
                + poolId + "\", \"activate\": true, \"nas\": {\"username\": \"" + subscriber
                + "\", \"nasIp\": \"127.0.0.1\", \"sessionId\": \"sess-" + subscriber + "\"}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json();
    }

    private JsonNode history(String id) {
        return http.get("/api/v1/delegations/" + id + "/history").json();
    }

    /** The last packet FreeRADIUS decoded for the subscriber (its User-Name). */
    private static Map<String, String> lastPacketFor(String subscriber) {
        List<Map<String, String>> packets = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            packets.clear();
            nas.received().stream().filter(packet -> subscriber.equals(packet.get("User-Name"))).forEach(packets::add);
            return !packets.isEmpty();
        });
        return packets.get(packets.size() - 1);
    }

    /** "STEP RESULT attempt actor" for each recorded network call, in order. */
    static List<String> networkCalls(JsonNode history) {
        List<String> calls = new ArrayList<>();
        history.forEach(entry -> {
            if (entry.get("type").asString().equals("NetworkCallRecorded")) {
                JsonNode details = entry.get("details");
                calls.add(details.get("step").asString() + " " + details.get("result").asString() + " "
                        + details.get("attempt").asInt() + " " + entry.get("actor").asString());
            }
        });
        return calls;
    }

    private static List<String> networkCalls(String historyBody) {
        return networkCalls(tools.jackson.databind.json.JsonMapper.builder().build().readTree(historyBody));
    }
}

package dev.ipv6lifecycle.aaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.FreeRadiusAaa;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * RADIUS accounting through a real FreeRADIUS with the shipped module, policies and reader server: records sent
 * with radclient as a BNG sends them, answered by FreeRADIUS from its buffer, delivered to the service by the
 * buffer's reader, and read back through {@code GET /api/v1/sessions}. FreeRADIUS reaches the service through
 * {@link TcpRelay}, which a test closes to stop the service as FreeRADIUS sees it. NAS addresses are on loopback
 * (127.0.0.0/8), so that a Disconnect the service sends stays on this machine.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountingFreeRadiusIntegrationTests {

    private static final String SECRET = "acct-test-secret";
    private static final DateTimeFormatter RADIUS_DATE = DateTimeFormatter.ofPattern("MMM d yyyy HH:mm:ss 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** Long enough for the reader's retry interval (5 s) and a slow machine. */
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    private AaaTenant tenant;
    private TcpRelay relay;
    private FreeRadiusAaa radius;
    private final List<AutoCloseable> closeAfterwards = new ArrayList<>();

    @BeforeAll
    void start() {
        tenant = AaaTenant.create(new Api(port));
        tenant.pool("2001:db8:400::/40", false);
        relay = closing(TcpRelay.to(port));
        radius = closing(FreeRadiusAaa.start(SECRET, "http://127.0.0.1:" + relay.port(), tenant.aaaKey()));
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = closeAfterwards.size() - 1; i >= 0; i--) {
            closeAfterwards.get(i).close();
        }
    }

    @Test
    void aStartWithoutPrefixThenAnInterimWithItGiveOneSessionWithThePrefixAndActivateTheDelegation() {
        JsonNode allocated = tenant.allocate("late-pd", "");
        String id = allocated.get("id").asString();
        String prefix = allocated.get("prefix").asString();
        Instant t = now().minusSeconds(60);

        acknowledged(record("Start", "127.0.0.2", "late-pd-1", "late-pd", null, t));
        acknowledged(record("Interim-Update", "127.0.0.2", "late-pd-1", "late-pd", prefix, t.plusSeconds(5)));

        JsonNode session = await().atMost(DELIVERY).until(() -> only(sessions("userName=late-pd")),
                s -> s != null && s.path("prefix").isString());
        assertThat(session.get("prefix").asString()).isEqualTo(prefix);
        assertThat(session.get("nas").asString()).isEqualTo("127.0.0.2");
        assertThat(session.get("acctSessionId").asString()).isEqualTo("late-pd-1");
        assertThat(Instant.parse(session.get("startedAt").asString())).isEqualTo(t);
        assertThat(session.get("stoppedAt").isNull()).isTrue();
        await().atMost(DELIVERY).until(() -> tenant.admin().get("/api/v1/delegations/" + id).json()
                .get("state").asString(), "ACTIVE"::equals);
        JsonNode history = tenant.admin().get("/api/v1/delegations/" + id + "/history").json();
        assertThat(history.toString()).contains("radius:127.0.0.2");
    }

    @Test
    void retransmittedStartsAndInterimsGiveOneSession() {
        Instant t = now().minusSeconds(120);
        Map<String, String> start = record("Start", "127.0.0.3", "retx-1", "retx", null, t);
        Map<String, String> interim = record("Interim-Update", "127.0.0.3", "retx-1", "retx", null,
                t.plusSeconds(300));

        acknowledged(start);
        acknowledged(start);
        acknowledged(interim);
        acknowledged(interim);
        acknowledged(start);
        acknowledged(record("Interim-Update", "127.0.0.3", "retx-other", "retx", null, t)); // a marker, sent last

        await().atMost(DELIVERY).until(() -> sessions("userName=retx").size() == 2);
        List<JsonNode> retx = sessions("userName=retx").stream()
                .filter(s -> s.get("acctSessionId").asString().equals("retx-1")).toList();
        assertThat(retx).hasSize(1);
        assertThat(Instant.parse(retx.get(0).get("lastSeenAt").asString())).isEqualTo(t.plusSeconds(300));
        assertThat(Instant.parse(retx.get(0).get("startedAt").asString())).isEqualTo(t);
    }

    @Test
    void aStopBeforeTheInterimLeavesTheSessionClosed() {
        Instant t = now().minusSeconds(300);
        acknowledged(record("Start", "127.0.0.4", "ooo-1", "ooo", null, t));
        Map<String, String> stop = record("Stop", "127.0.0.4", "ooo-1", "ooo", null, t.plusSeconds(400));
        stop.put("Acct-Terminate-Cause", "User-Request");
        acknowledged(stop);
        // The Interim the NAS sent before its Stop, arriving after it, and one retransmitted later still.
        acknowledged(record("Interim-Update", "127.0.0.4", "ooo-1", "ooo", null, t.plusSeconds(300)));
        acknowledged(record("Interim-Update", "127.0.0.4", "ooo-1", "ooo", null, t.plusSeconds(500)));
        acknowledged(stop);
        acknowledged(record("Start", "127.0.0.4", "ooo-marker", "ooo", null, t)); // sent last

        await().atMost(DELIVERY).until(() -> sessions("userName=ooo").size() == 2);
        JsonNode session = sessions("userName=ooo").stream()
                .filter(s -> s.get("acctSessionId").asString().equals("ooo-1")).findFirst().orElseThrow();
        assertThat(Instant.parse(session.get("stoppedAt").asString())).isEqualTo(t.plusSeconds(400));
        assertThat(session.get("stopCause").asString()).isEqualTo("User-Request");
        assertThat(sessions("userName=ooo&open=true")).extracting(s -> s.get("acctSessionId").asString())
                .containsExactly("ooo-marker");
    }

    @Test
    void aStopOfASessionNeverSeenIsRecorded() {
        Instant t = now().minusSeconds(60);
        Map<String, String> stop = record("Stop", "127.0.0.5", "lonely-1", "lonely", null, t);
        stop.put("Acct-Session-Time", "3600");
        acknowledged(stop);

        JsonNode session = await().atMost(DELIVERY).until(() -> only(sessions("userName=lonely")),
                s -> s != null);
        assertThat(Instant.parse(session.get("stoppedAt").asString())).isEqualTo(t);
        assertThat(Instant.parse(session.get("startedAt").asString())).isEqualTo(t.minusSeconds(3600));
    }

    @Test
    void accountingOnClosesTheOpenSessionsOfThatNasOnly() {
        Instant t = now().minusSeconds(300);
        acknowledged(record("Start", "127.0.0.6", "reboot-1", "reboot-a", null, t));
        acknowledged(record("Start", "127.0.0.6", "reboot-2", "reboot-b", null, t));
        acknowledged(record("Start", "127.0.0.7", "reboot-1", "reboot-c", null, t));
        Map<String, String> on = new LinkedHashMap<>();
        on.put("Acct-Status-Type", "Accounting-On");
        on.put("NAS-IP-Address", "127.0.0.6");
        on.put("Event-Timestamp", RADIUS_DATE.format(t.plusSeconds(100)));
        acknowledged(on);
        acknowledged(record("Start", "127.0.0.6", "reboot-marker", "reboot-d", null, t.plusSeconds(101)));

        await().atMost(DELIVERY).until(() -> only(sessions("userName=reboot-d")) != null);
        for (String closed : List.of("reboot-a", "reboot-b")) {
            JsonNode session = only(sessions("userName=" + closed));
            assertThat(session.get("stopCause").asString()).isEqualTo("accounting-on");
            assertThat(Instant.parse(session.get("stoppedAt").asString())).isEqualTo(t.plusSeconds(100));
        }
        assertThat(only(sessions("userName=reboot-c")).get("stoppedAt").isNull()).isTrue();
    }

    @Test
    void recordsSentWhileTheServiceIsDownAreAcknowledgedAndAllDeliveredInOrderWhenItIsBack() {
        Instant t = now().minusSeconds(900);
        relay.stop();
        try {
            acknowledged(record("Start", "127.0.0.8", "down-1", "down-a", null, t));
            acknowledged(record("Interim-Update", "127.0.0.8", "down-1", "down-a", null, t.plusSeconds(300)));
            acknowledged(record("Stop", "127.0.0.8", "down-1", "down-a", null, t.plusSeconds(400)));
            acknowledged(record("Start", "127.0.0.8", "down-2", "down-b", null, t.plusSeconds(410)));
            // FreeRADIUS answered every record; its reader could not deliver the first, and keeps it.
            await().atMost(DELIVERY).until(() -> radius.log().contains("Couldn't connect"));
            await().atMost(DELIVERY).until(() -> radius.log().contains("Will retry"));
            assertThat(sessions("userName=down-a")).isEmpty();
        } finally {
            relay.start();
        }

        await().atMost(DELIVERY).until(() -> only(sessions("userName=down-b")) != null);
        JsonNode first = only(sessions("userName=down-a"));
        assertThat(Instant.parse(first.get("startedAt").asString())).isEqualTo(t);
        assertThat(Instant.parse(first.get("lastSeenAt").asString())).isEqualTo(t.plusSeconds(400));
        assertThat(Instant.parse(first.get("stoppedAt").asString())).isEqualTo(t.plusSeconds(400));
        assertThat(only(sessions("userName=down-b")).get("stoppedAt").isNull()).isTrue();
    }

    @Test
    void anotherTenantsAdminSeesNoneOfTheseSessions() {
        Instant t = now().minusSeconds(30);
        acknowledged(record("Start", "127.0.0.9", "mine-1", "mine", null, t));
        await().atMost(DELIVERY).until(() -> only(sessions("userName=mine")) != null);

        AaaTenant other = AaaTenant.create(new Api(port));
        Api.Answer theirs = other.admin().get("/api/v1/sessions?userName=mine");

        assertThat(theirs.status()).isEqualTo(200);
        assertThat(theirs.json().size()).isZero();
    }

    @Test
    void theAttributionOfAPrefixShowsTheSessionsThatCarriedItAtThatInstant() {
        JsonNode allocated = tenant.allocate("evidence", "");
        String id = allocated.get("id").asString();
        String prefix = allocated.get("prefix").asString();
        // After the allocation: the holding starts there.
        Instant t = now().plusSeconds(2);
        acknowledged(record("Start", "127.0.0.13", "evidence-1", "evidence", prefix, t));
        Map<String, String> stop = record("Stop", "127.0.0.13", "evidence-1", "evidence", prefix, t.plusSeconds(100));
        acknowledged(stop);
        acknowledged(record("Start", "127.0.0.13", "evidence-2", "evidence", prefix, t.plusSeconds(150)));
        await().atMost(DELIVERY).until(() -> sessions("userName=evidence").size() == 2);

        JsonNode during = await().atMost(DELIVERY).until(() -> attribution(prefix, t.plusSeconds(50)),
                a -> a != null);
        JsonNode between = attribution(prefix, t.plusSeconds(120));

        assertThat(during.get("delegationId").asString()).isEqualTo(id);
        assertThat(during.get("sessions")).extracting(s -> s.get("acctSessionId").asString())
                .containsExactly("evidence-1");
        assertThat(during.get("sessions").get(0).get("nas").asString()).isEqualTo("127.0.0.13");
        assertThat(between.get("sessions")).isEmpty();
    }

    @Test
    void aPrefixOnTheSessionsOfTwoUsersIsCountedAsDuplicateDrift() {
        JsonNode allocated = tenant.allocate("dup-owner", "");
        String prefix = allocated.get("prefix").asString();
        tenant.transition(allocated.get("id").asString(), "activate");
        Instant t = now().minusSeconds(30);

        acknowledged(record("Start", "127.0.0.10", "dup-1", "dup-owner", prefix, t));
        await().atMost(DELIVERY).until(() -> only(sessions("userName=dup-owner")) != null);
        assertThat(drift("duplicate")).isZero();
        acknowledged(record("Start", "127.0.0.11", "dup-2", "dup-intruder", prefix, t.plusSeconds(1)));

        await().atMost(DELIVERY).until(() -> drift("duplicate") == 1);
        assertThat(sessions("open=true&prefix=" + prefix)).hasSize(2);
    }

    @Test
    void aRevokedPrefixStillLiveIsCountedAsDriftEveryTimeItIsReported() {
        JsonNode allocated = tenant.allocate("gone", "");
        String id = allocated.get("id").asString();
        String prefix = allocated.get("prefix").asString();
        tenant.transition(id, "activate");
        tenant.transition(id, "revoke");
        await().atMost(DELIVERY).until(() -> tenant.admin().get("/api/v1/delegations/" + id).json().get("state")
                .asString(), "REVOKED"::equals);
        Instant t = now().minusSeconds(30);

        acknowledged(record("Start", "127.0.0.12", "gone-1", "gone", prefix, t));
        await().atMost(DELIVERY).until(() -> drift("revoked-live") == 1);
        acknowledged(record("Interim-Update", "127.0.0.12", "gone-1", "gone", prefix, t.plusSeconds(10)));

        await().atMost(DELIVERY).until(() -> drift("revoked-live") == 2);
    }

    @Test
    void aRevocationWithoutNasDetailsDisconnectsTheSessionThatAccountingReports() {
        JsonNode allocated = tenant.allocate("live-target", "");
        String id = allocated.get("id").asString();
        String prefix = allocated.get("prefix").asString();
        tenant.transition(id, "activate");
        // 127.0.0.1 is the integration tests' silent NAS: the Disconnect gets no answer.
        acknowledged(record("Start", "127.0.0.1", "live-target-1", "live-target", prefix, now()));
        await().atMost(DELIVERY).until(() -> only(sessions("open=true&userName=live-target")) != null);

        tenant.transition(id, "revoke");

        JsonNode history = await().atMost(DELIVERY).until(() -> tenant.admin()
                .get("/api/v1/delegations/" + id + "/history").json(), h -> h.toString().contains("live-target-1"));
        assertThat(history.toString()).contains("from accounting").contains("127.0.0.1");
        assertThat(tenant.admin().get("/api/v1/delegations/" + id).json().get("state").asString())
                .isEqualTo("REVOKING");
    }

    @Test
    void theSweepClosesASessionWhoseInterimUpdatesStoppedAsStaleAtItsLastRecord() {
        // 300 s interval, last record 50 minutes ago: ten intervals without a word.
        Instant t = now().minusSeconds(3000);
        acknowledged(record("Start", "127.0.0.14", "quiet-1", "quiet", null, t));
        await().atMost(DELIVERY).until(() -> only(sessions("userName=quiet")) != null);

        Api.Answer sweep = new Api(port).post("/api/v1/maintenance/sweep", null);

        assertThat(sweep.status()).as(sweep.body()).isEqualTo(200);
        assertThat(sweep.json().has("staleSessionsClosed")).isTrue();
        assertThat(sweep.json().has("activeWithoutAccounting")).isTrue();
        // The sweep, or the minutely check just before it, closed it.
        JsonNode session = only(sessions("userName=quiet"));
        assertThat(session.get("stopCause").asString()).isEqualTo("stale");
        assertThat(Instant.parse(session.get("stoppedAt").asString())).isEqualTo(t);
        assertThat(drift("stale-session")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aRecordTheServiceCannotUseIsAnsweredAsStoredSoThatFreeRadiusDoesNotResendItForEver() {
        // Straight to the endpoint, as the reader would deliver them: a status this service does not handle, no NAS,
        // and a User-Name with a control character (which no RADIUS user name of a delegation can be).
        List<String> bodies = List.of(
                "{\"Acct-Status-Type\":{\"value\":[\"Tunnel-Start\"]},\"NAS-IP-Address\":{\"value\":[\"127.0.0.15\"]},"
                        + "\"Acct-Session-Id\":{\"value\":[\"odd-1\"]}}",
                "{\"Acct-Status-Type\":{\"value\":[\"Start\"]},\"Acct-Session-Id\":{\"value\":[\"odd-2\"]}}",
                "{\"Acct-Status-Type\":{\"value\":[\"Start\"]},\"NAS-IP-Address\":{\"value\":[\"127.0.0.15\"]},"
                        + "\"Acct-Session-Id\":{\"value\":[\"odd-3\"]},\"User-Name\":{\"value\":[\"odd\\u0001\"]}}");
        for (String body : bodies) {
            Api.Answer answer = tenant.admin().send("POST", "/api/v1/aaa/accounting", body, Map.of(
                    "Content-Type", "application/json", "Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("freeradius:" + tenant.aaaKey()).getBytes(StandardCharsets.UTF_8))));
            assertThat(answer.status()).as(body + " -> " + answer.body()).isEqualTo(204);
        }
        // The third one names its session: it is stored, without the user name.
        assertThat(sessions("open=true").stream().filter(s -> s.get("acctSessionId").asString().equals("odd-3"))
                .toList()).singleElement().satisfies(s -> assertThat(s.get("userName").isNull()).isTrue());
    }

    /** An Accounting-Request as a BNG sends it, dated {@code at}; {@code prefix} may be null. */
    private static Map<String, String> record(String status, String nas, String sessionId, String user, String prefix,
                                              Instant at) {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("Acct-Status-Type", status);
        record.put("NAS-IP-Address", nas);
        record.put("Acct-Session-Id", sessionId);
        record.put("User-Name", user);
        record.put("Event-Timestamp", RADIUS_DATE.format(at));
        record.put("Acct-Interim-Interval", "300");
        if (prefix != null) {
            record.put("Delegated-IPv6-Prefix", prefix);
        }
        return record;
    }

    /** Event-Timestamp has whole seconds. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private void acknowledged(Map<String, String> record) {
        assertThat(radius.account(record)).as(radius.log()).isEqualTo("Accounting-Response");
    }

    private List<JsonNode> sessions(String query) {
        Api.Answer answer = tenant.admin().get("/api/v1/sessions?" + query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        answer.json().forEach(list::add);
        return list;
    }

    /** The attribution of {@code prefix} at {@code at}, or null while the read side does not show it yet. */
    private JsonNode attribution(String prefix, Instant at) {
        Api.Answer answer = tenant.admin().get("/api/v1/attribution?prefix=" + prefix + "&at=" + at);
        return answer.status() == 200 ? answer.json() : null;
    }

    /** ipv6_network_drift_total of this test's tenant for {@code kind}, as Prometheus scrapes it. */
    private double drift(String kind) {
        String series = "ipv6_network_drift_total{kind=\"" + kind + "\",tenant=\"" + tenant.name() + "\"} ";
        for (String line : new Api(port).get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith(series)) {
                return Double.parseDouble(line.substring(series.length()).trim());
            }
        }
        return 0;
    }

    private static JsonNode only(List<JsonNode> sessions) {
        assertThat(sessions).hasSizeLessThanOrEqualTo(1);
        return sessions.isEmpty() ? null : sessions.get(0);
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeAfterwards.add(closeable);
        return closeable;
    }
}

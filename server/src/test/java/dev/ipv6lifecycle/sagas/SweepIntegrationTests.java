package dev.ipv6lifecycle.sagas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ipv6lifecycle.sagas.sweep.Sweep;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.NetBoxEmulator;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The sweep on a database of its own, with every threshold at zero and batches of two, so each kind of
 * finding is produced by the test in seconds and every batching loop turns more than once.
 */
class SweepIntegrationTests {

    private static NetBoxEmulator netbox;
    private static RunningService service;
    private static DataSource dataSource;
    private static JdbcTemplate jdbc;
    private static Api http;

    @BeforeAll
    static void start() {
        netbox = NetBoxEmulator.start();
        String database = SharedPostgres.freshDatabase();
        dataSource = SharedPostgres.dataSource(database);
        jdbc = new JdbcTemplate(dataSource);
        service = RunningService.start(database, "--netbox.url=" + netbox.url(), "--netbox.token=" + netbox.token(),
                // A NAS address where nothing answers: revocations of delegations with a session get stuck.
                "--radius.dae.secret=unanswered", "--radius.dae.port=" + silentUdpPort(),
                "--radius.dae.timeout=PT0.2S", "--radius.dae.retries=0",
                "--ipv6.sweep.revoked-retention=PT0S", "--ipv6.sweep.revoking-stuck-after=PT0S",
                "--ipv6.sweep.leak-grace=PT0S", "--ipv6.sweep.batch-size=2", "--ipv6.sweep.leaks-logged=3");
        http = service.http;
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (netbox != null) {
            netbox.close();
        }
    }

    @Test
    void sweepsEveryKindOfFindingAndRecordsTheRun() throws Exception {
        String pool = service.createPool("2001:db8:7c00::/40");
        // Revoked and out of quarantine: purged from the current views.
        List<String> revoked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = allocate(pool, true);
            http.post("/api/v1/delegations/" + id + "/revoke", null);
            revoked.add(id);
        }
        for (String id : revoked) {
            service.awaitHistory(id, body -> body.contains("\"PrefixQuarantineEnded\""));
        }
        // Allocated and never activated, past the pool's stale threshold of one second.
        allocate(pool, false);
        allocate(pool, false);
        // Stuck in REVOKING: its NAS does not answer.
        String stuck = http.post("/api/v1/delegations", "{\"subscriberId\": \"sub-stuck\", \"poolId\": \"" + pool
                + "\", \"nas\": {\"username\": \"stuck\", \"nasIp\": \"127.0.0.1\", \"sessionId\": \"s\"}}")
                .json().get("id").asString();
        http.post("/api/v1/delegations/" + stuck + "/revoke", null);
        service.awaitHistory(stuck, body -> body.contains("\"UNREACHABLE\""));
        // An IPAM record naming a delegation this service never had.
        UUID stranger = UUID.randomUUID();
        netbox.seedPrefix("2001:db8:7cff:ff00::/56", "ipv6-lifecycle delegation=" + stranger
                + " tenant=default subscriber=ghost", null);
        // A live delegation whose reservation was lost behind the service's back.
        loseReservation(http, pool);
        // Another tenant: two lost reservations and an IPAM orphan of its own, which the sweep releases.
        Api other = http.as(adminKey("sweep-other"));
        String otherPool = RunningService.createPool(other, "2001:db8:7d00::/40");
        loseReservation(other, otherPool);
        loseReservation(other, otherPool);
        netbox.seedPrefix("2001:db8:7dff:ff00::/56", "ipv6-lifecycle delegation=" + UUID.randomUUID()
                + " tenant=sweep-other subscriber=ghost", null);
        Api quiet = http.as(adminKey("sweep-quiet"));
        Thread.sleep(1100); // past the stale threshold and the quarantines
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger sweepLog = (Logger) LoggerFactory.getLogger(Sweep.class);
        sweepLog.addAppender(logged);

        JsonNode report;
        try {
            report = http.post("/api/v1/maintenance/sweep", null).json();
        } finally {
            sweepLog.detachAppender(logged);
        }

        assertThat(report.get("revokedPurged").asLong()).isEqualTo(5);
        assertThat(revoked).allSatisfy(id -> assertThat(viewState(id)).isNull());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM assignment_history WHERE delegation_id = ANY (?::uuid[])",
                Long.class, "{" + String.join(",", revoked) + "}")).as("the history stays").isEqualTo(5L);
        assertThat(report.get("allocatedStale").asLong()).isEqualTo(2);
        assertThat(report.get("revokingStuck").asLong()).isEqualTo(1);
        assertThat(service.awaitHistory(stuck, body -> body.contains("\"PrefixRevocationRetried\"")).toString())
                .contains("re-driven by the sweep");
        assertThat(report.get("leaksDetected").asLong()).as("two IPAM orphans and three lost reservations").isEqualTo(5);
        assertThat(report.get("leaksRepaired").asLong()).as("only the IPAM orphans can be repaired").isEqualTo(2);
        assertThat(netbox.records()).noneMatch(record -> record.description().contains(stranger.toString()));
        // Each tenant's stats: the leaks of the latest sweep there, less those it repaired.
        assertThat(http.get("/api/v1/stats").json().get("leaks").asLong()).as("default: 2 found, 1 repaired")
                .isEqualTo(1);
        assertThat(other.get("/api/v1/stats").json().get("leaks").asLong()).as("sweep-other: 3 found, 1 repaired")
                .isEqualTo(2);
        assertThat(quiet.get("/api/v1/stats").json().get("leaks").asLong()).as("sweep-quiet: nothing found").isZero();
        assertThat(report.get("errors").asLong()).isZero();
        List<String> leakLines = logged.list.stream().filter(event -> event.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(leakLines).as("the first three leaks one by one, then the total in one line").hasSize(4);
        assertThat(leakLines.subList(0, 3)).allSatisfy(line -> assertThat(line).startsWith("Sweep: leak in tenant "));
        assertThat(leakLines.get(3)).isEqualTo(
                "Sweep: 5 leaks in all, the first 3 logged above; per tenant: {default=2, sweep-other=3}");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sweep_run WHERE trigger = 'API' AND revoked_purged = 5",
                Long.class)).isEqualTo(1L);
        assertThat(http.get("/actuator/prometheus").body())
                .contains("ipv6_prefix_leak_total{tenant=\"default\"} 2.0")
                .contains("ipv6_prefix_leak_total{tenant=\"sweep-other\"} 3.0")
                .doesNotContain("ipv6_lifecycle_sweep_last_success_timestamp_seconds 0.0");

        assertThat(http.post("/api/v1/delegations/" + stuck + "/complete-revocation", null).json().get("state")
                .asString()).isEqualTo("REVOKED");
    }

    @Test
    void answersConflictWhileAnotherSweepRuns() throws Exception {
        try (Connection other = dataSource.getConnection(); Statement statement = other.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + 0x6970763673776570L + ")");

            http.post("/api/v1/maintenance/sweep", null).assertProblem(409, "conflict");

            statement.execute("SELECT pg_advisory_unlock(" + 0x6970763673776570L + ")");
        }
        assertThat(http.post("/api/v1/maintenance/sweep", null).status()).isEqualTo(200);
    }

    @Test
    void schedulesTheDailySweepAtTwoInTheMorningUtcOnce() {
        List<java.sql.Timestamp> next = jdbc.queryForList(
                "SELECT execution_time FROM scheduled_tasks WHERE task_name = 'ipv6-sweep'", java.sql.Timestamp.class);

        assertThat(next).hasSize(1);
        assertThat(next.get(0).toInstant().atOffset(ZoneOffset.UTC).toLocalTime()).isEqualTo(LocalTime.of(2, 0));
        assertThat(next.get(0).toInstant()).isBefore(java.time.Instant.now().plus(Duration.ofDays(1)));
    }

    private static int silentUdpPort() {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A live delegation of the caller's tenant whose reservation is then deleted behind the service's back. */
    private static void loseReservation(Api caller, String pool) {
        String id = allocate(caller, pool, true);
        await().until(() -> "ACTIVE".equals(viewState(id)));
        jdbc.update("DELETE FROM prefix_reservation WHERE delegation_id = ?::uuid", id);
    }

    private static String adminKey(String tenant) {
        Api.Answer created = http.post("/api/v1/admin/api-keys", "{\"tenant\": \"" + tenant + "\", \"role\": \"admin\", "
                + "\"name\": \"sweep test\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    private static String allocate(String pool, boolean activate) {
        return allocate(http, pool, activate);
    }

    private static String allocate(Api caller, String pool, boolean activate) {
        Api.Answer answer = caller.post("/api/v1/delegations", "{\"subscriberId\": \"sub-" + UUID.randomUUID()
                + "\", \"poolId\": \"" + pool + "\", \"activate\": " + activate + "}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().get("id").asString();
    }

    private static String viewState(String id) {
        List<String> state = jdbc.queryForList("SELECT state FROM delegation_view WHERE delegation_id = ?::uuid",
                String.class, id);
        return state.isEmpty() ? null : state.get(0);
    }
}

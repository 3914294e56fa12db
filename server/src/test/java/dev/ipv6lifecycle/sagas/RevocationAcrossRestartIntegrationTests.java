package dev.ipv6lifecycle.sagas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.testsupport.FreeRadiusNas;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A revocation whose NAS does not answer survives the application stopping: the saga's state and its next
 * attempt are in PostgreSQL, and a new application carries on and completes it once the NAS answers.
 */
class RevocationAcrossRestartIntegrationTests {

    private static final String SECRET = "restart-secret";

    @Test
    void aRevocationInterruptedByAStopResumesAfterTheRestartAndCompletesWhenTheNasAnswers() {
        String database = SharedPostgres.freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(database));
        String subscriber = "sub-" + UUID.randomUUID();
        String id;
        try (FreeRadiusNas nas = FreeRadiusNas.start(SECRET)) {
            String[] radius = {"--radius.dae.secret=" + SECRET, "--radius.dae.port=" + nas.port(),
                    "--radius.dae.timeout=PT1S", "--radius.dae.retries=1"};

            try (RunningService first = RunningService.start(database, radius)) {
                String pool = first.createPool("2001:db8:6b00::/40");
                JsonNode delegation = first.http.post("/api/v1/delegations", "{\"subscriberId\": \"" + subscriber
                        + "\", \"poolId\": \"" + pool + "\", \"activate\": true, \"nas\": {\"username\": \"" + subscriber
                        + "\", \"nasIp\": \"127.0.0.1\", \"sessionId\": \"s-1\"}}").json();
                assertThat(delegation.get("state").asString()).isEqualTo("ACTIVE");
                id = delegation.get("id").asString();

                nas.pause();
                first.http.post("/api/v1/delegations/" + id + "/revoke", "{\"reason\": \"moved\"}");
                first.awaitHistory(id, body -> body.contains("\"UNREACHABLE\""));
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM saga_entry WHERE saga_type LIKE '%RevocationSaga'",
                    Long.class)).as("the saga waits in the database").isEqualTo(1L);
            assertThat(state(jdbc, id)).isEqualTo("REVOKING");

            nas.resume();
            try (RunningService second = RunningService.start(database, radius)) {
                JsonNode history = second.awaitHistory(id, body -> body.contains("\"PrefixRevoked\""));

                List<String> calls = NetworkSagasIntegrationTests.networkCalls(history).stream()
                        .filter(call -> call.endsWith("saga:revocation")).toList();
                assertThat(calls).first().isEqualTo("DISCONNECT UNREACHABLE 1 saga:revocation");
                assertThat(calls).anyMatch(call -> call.matches("DISCONNECT SUCCEEDED [2-9]\\d* saga:revocation"));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                        jdbc.queryForObject("SELECT count(*) FROM saga_entry", Long.class)).as("no saga left").isZero());
            }
        }
    }

    private static String state(JdbcTemplate jdbc, String id) {
        return jdbc.queryForObject("SELECT state FROM delegation_view WHERE delegation_id = ?::uuid", String.class, id);
    }
}

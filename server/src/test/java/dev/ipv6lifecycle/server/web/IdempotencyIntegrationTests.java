package dev.ipv6lifecycle.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.server.IntegrationTest;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code Idempotency-Key} on POST, over real HTTP, with the answers kept in PostgreSQL. Each test uses its own
 * names and keys, so the handler's invocation counts are its own.
 */
@IntegrationTest
class IdempotencyIntegrationTests {

    private static final String THINGS = "/api/v1/test-only/idempotency/things";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    IdempotencyStore store;

    Api api;
    String name;
    String key;

    @BeforeEach
    void connect() {
        api = new Api(port);
        name = "thing-" + UUID.randomUUID();
        key = UUID.randomUUID().toString();
    }

    @Test
    void replaysTheFirstAnswerForTheSameKeyAndBody() {
        Api.Answer first = api.post(THINGS, thing(name, null), key);
        Api.Answer second = api.post(THINGS, thing(name, null), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body()).contains("invocation 1");
        assertThat(second.header("Content-Type")).isEqualTo(first.header("Content-Type"));
        assertThat(second.header("Location")).isEqualTo(first.header("Location")).endsWith("/things/" + name);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(TestOnlyController.invocations(name)).isEqualTo(1);
    }

    @Test
    void refusesTheSameKeyWithAnotherBodyWith422() {
        api.post(THINGS, thing(name, null), key);

        Api.Answer reused = api.post(THINGS, thing(name, "another note"), key);

        reused.assertProblem(422, "idempotency-key-reused");
        assertThat(TestOnlyController.invocations(name)).isEqualTo(1);
    }

    @Test
    void refusesTheSameKeyOnAnotherPathWith422() {
        api.post(THINGS, thing(name, null), key);

        api.post("/api/v1/test-only/idempotency/async-things", thing(name, null), key)
                .assertProblem(422, "idempotency-key-reused");
        assertThat(TestOnlyController.invocations(name)).isEqualTo(1);
    }

    @Test
    void runsTheHandlerEachTimeWithoutAKey() {
        Api.Answer first = api.post(THINGS, thing(name, null));
        Api.Answer second = api.post(THINGS, thing(name, null));

        assertThat(first.body()).contains("invocation 1");
        assertThat(second.body()).contains("invocation 2");
        assertThat(second.header("Idempotent-Replayed")).isNull();
        assertThat(TestOnlyController.invocations(name)).isEqualTo(2);
    }

    @Test
    void answersARequestThatArrivesWhileTheFirstIsStillRunningWith409() throws Exception {
        TestOnlyController.Gate gate = TestOnlyController.gate(name);
        CompletableFuture<Api.Answer> first = CompletableFuture.supplyAsync(() -> api.post(THINGS, thing(name, null), key));
        assertThat(gate.entered().await(30, TimeUnit.SECONDS)).isTrue();

        Api.Answer meanwhile = api.post(THINGS, thing(name, null), key);
        gate.release().countDown();

        meanwhile.assertProblem(409, "request-in-progress");
        assertThat(meanwhile.header("Retry-After")).isEqualTo("1");
        assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        Api.Answer afterwards = api.post(THINGS, thing(name, null), key);
        assertThat(afterwards.status()).isEqualTo(201);
        assertThat(afterwards.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(TestOnlyController.invocations(name)).isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithOneKeyRunTheHandlerOnce() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Api.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> new Api(port).post(THINGS, thing(name, null), key)));
            }
            List<String> created = new ArrayList<>();
            for (Future<Api.Answer> future : answers) {
                Api.Answer answer = future.get(60, TimeUnit.SECONDS);
                if (answer.status() == 201) {
                    created.add(answer.body());
                } else {
                    answer.assertProblem(409, "request-in-progress");
                }
            }
            assertThat(created).isNotEmpty().allMatch(body -> body.equals(created.get(0)));
        } finally {
            clients.shutdownNow();
        }
        assertThat(TestOnlyController.invocations(name)).isEqualTo(1);
    }

    @Test
    void keepsTheAnswerInPostgresqlWhereAnotherClientGetsIt() {
        Api.Answer first = api.post(THINGS, thing(name, null), key);

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM idempotent_request WHERE idempotency_key = ?", key);
        assertThat(row.get("tenant_id")).isEqualTo(Caller.DEFAULT_TENANT);
        assertThat(((Number) row.get("response_status")).intValue()).isEqualTo(201);
        assertThat(new String((byte[]) row.get("response_body"), StandardCharsets.UTF_8)).isEqualTo(first.body());
        assertThat(row.get("completed_at")).isNotNull();

        // The filter keeps nothing in memory: what is replayed is whatever the table holds.
        jdbc.update("UPDATE idempotent_request SET response_body = ? WHERE idempotency_key = ?",
                "{\"from\":\"postgresql\"}".getBytes(StandardCharsets.UTF_8), key);
        Api.Answer replay = new Api(HttpClient.newHttpClient(), port).post(THINGS, thing(name, null), key);

        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo("{\"from\":\"postgresql\"}");
        assertThat(TestOnlyController.invocations(name)).isEqualTo(1);
    }

    @Test
    void fingerprintsARequestAsTheSha256OfItsMethodPathAndBody() {
        api.post(THINGS, "{\"name\": \"fingerprint-example\"}", key);

        // A worked example computed outside the service, over "POST <path>", a newline and the body bytes:
        //   printf 'POST /api/v1/test-only/idempotency/things\n{"name": "fingerprint-example"}' | sha256sum
        byte[] stored = jdbc.queryForObject("SELECT request_hash FROM idempotent_request WHERE idempotency_key = ?",
                byte[].class, key);
        assertThat(HexFormat.of().formatHex(stored))
                .isEqualTo("b2daf93605093b5b5f8dda618edeacc66c5a1fd7ef77349ee2e291e4ec5a3e74");
    }

    @Test
    void storesAClientErrorAndReplaysIt() {
        Api.Answer first = api.post(THINGS, thing(name, "conflict"), key);
        Api.Answer second = api.post(THINGS, thing(name, "conflict"), key);

        first.assertProblem(409, "conflict");
        second.assertProblem(409, "conflict");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(TestOnlyController.invocations(name)).isEqualTo(1);
    }

    @Test
    void releasesTheKeyAfterAFailureOfTheServiceSoTheClientMayRetry() {
        Api.Answer failed = api.post(THINGS, thing(name, "fail-first"), key);

        failed.assertProblem(500, "internal-error");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotent_request WHERE idempotency_key = ?",
                Integer.class, key)).isZero();

        Api.Answer retried = api.post(THINGS, thing(name, "fail-first"), key);
        Api.Answer replayed = api.post(THINGS, thing(name, "fail-first"), key);

        assertThat(retried.status()).isEqualTo(201);
        assertThat(replayed.body()).isEqualTo(retried.body()).contains("invocation 2");
        assertThat(TestOnlyController.invocations(name)).isEqualTo(2);
    }

    @Test
    void doesNotStoreAnAnswerThatOnlyTheErrorPageWrites() {
        String path = "/api/v1/test-only/idempotency/send-error";
        api.post(path, thing(name, null), key).assertProblem(410, "http-410");
        api.post(path, thing(name, null), key).assertProblem(410, "http-410");

        assertThat(TestOnlyController.invocations(name)).isEqualTo(2);
    }

    @Test
    void replaysAnAnswerThatWasCompletedAsynchronously() {
        String path = "/api/v1/test-only/idempotency/async-things";
        Api.Answer first = api.post(path, thing(name, null), key);
        Api.Answer second = api.post(path, thing(name, null), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(TestOnlyController.invocations(name)).isEqualTo(1);
    }

    @Test
    void replaysAValidationFailureWithoutRunningTheHandler() {
        Api.Answer first = api.post(THINGS, "{\"name\": \"\"}", key);
        Api.Answer second = api.post(THINGS, "{\"name\": \"\"}", key);

        first.assertProblem(400, "invalid-request");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void rejectsAKeyThatIsTooLongWith400() {
        api.post(THINGS, thing(name, null), "k".repeat(256)).assertProblem(400, "invalid-request");

        assertThat(TestOnlyController.invocations(name)).isZero();
    }

    @Test
    void acceptsAKeyOfTheMaximumLength() {
        assertThat(api.post(THINGS, thing(name, null), "k".repeat(255 - key.length()) + key).status()).isEqualTo(201);
    }

    @Test
    void rejectsAnEmptyKeyWith400() {
        api.post(THINGS, thing(name, null), "").assertProblem(400, "invalid-request");

        assertThat(TestOnlyController.invocations(name)).isZero();
    }

    @Test
    void rejectsTwoKeysOnOneRequestWith400() {
        Api.Answer twoKeys = api.send("POST", THINGS, thing(name, null), List.of("Content-Type", "application/json",
                "Idempotency-Key", key, "Idempotency-Key", "other-" + key));

        twoKeys.assertProblem(400, "invalid-request");
        assertThat(TestOnlyController.invocations(name)).isZero();
    }

    @Test
    void rejectsAKeyWithCharactersOutsidePrintableAsciiWith400() {
        JsonNode problem = api.sendByHand("POST", THINGS, thing(name, null),
                        List.of("Content-Type", "application/json", "Idempotency-Key", "caf\u00e9"))
                .assertProblem(400, "invalid-request");

        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(TestOnlyController.invocations(name)).isZero();
    }

    @Test
    void aKeyIsNewAgainOnceItHasExpired() {
        api.post(THINGS, thing(name, null), key);
        jdbc.update("UPDATE idempotent_request SET created_at = now() - interval '25 hours' WHERE idempotency_key = ?",
                key);

        Api.Answer reusedAfterExpiry = api.post(THINGS, thing(name, "a different body"), key);

        assertThat(reusedAfterExpiry.status()).isEqualTo(201);
        assertThat(reusedAfterExpiry.header("Idempotent-Replayed")).isNull();
        assertThat(TestOnlyController.invocations(name)).isEqualTo(2);
    }

    @Test
    void purgesExpiredAnswersOfOtherKeysToo() {
        String forgotten = "forgotten-" + key;
        jdbc.update("INSERT INTO idempotent_request (tenant_id, idempotency_key, request_hash, claim_token, "
                + "response_status, response_body, created_at, completed_at) VALUES (?, ?, ?, ?, 201, ?, "
                + "now() - interval '2 days', now() - interval '2 days')",
                Caller.DEFAULT_TENANT, forgotten, new byte[32], UUID.randomUUID(), new byte[0]);

        api.post(THINGS, thing(name, null), key);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotent_request WHERE idempotency_key = ?",
                Integer.class, forgotten)).isZero();
    }

    @Test
    void aClaimLeftByADeadProcessIsFreeAgainAfterTheClaimTimeout() {
        byte[] hash = IdempotencyFilter.fingerprint("POST", THINGS, null,
                thing(name, null).getBytes(StandardCharsets.UTF_8));
        jdbc.update("INSERT INTO idempotent_request (tenant_id, idempotency_key, request_hash, claim_token, created_at) "
                + "VALUES (?, ?, ?, ?, now() - interval '2 minutes')", Caller.DEFAULT_TENANT, key, hash, UUID.randomUUID());

        Api.Answer answer = api.post(THINGS, thing(name, null), key);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(TestOnlyController.invocations(name)).isEqualTo(1);
    }

    @Test
    void aFreshClaimOfAnotherProcessIsRespected() {
        byte[] hash = IdempotencyFilter.fingerprint("POST", THINGS, null,
                thing(name, null).getBytes(StandardCharsets.UTF_8));
        jdbc.update("INSERT INTO idempotent_request (tenant_id, idempotency_key, request_hash, claim_token, created_at) "
                + "VALUES (?, ?, ?, ?, now())", Caller.DEFAULT_TENANT, key, hash, UUID.randomUUID());

        api.post(THINGS, thing(name, null), key).assertProblem(409, "request-in-progress");
        assertThat(TestOnlyController.invocations(name)).isZero();
    }

    @Test
    void keysBelongToATenant() {
        byte[] hash = new byte[32];

        assertThat(store.claim("tenant-a", key, hash)).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(store.claim("tenant-b", key, hash)).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(store.claim("tenant-a", key, hash)).isInstanceOf(IdempotencyStore.InProgress.class);
    }

    @Test
    void ignoresTheKeyOnRequestsOtherThanPost() {
        Api.Answer answer = api.send("GET", "/api/v1/test-only/problems/time", null, Map.of("Idempotency-Key", ""));

        assertThat(answer.status()).isEqualTo(200);
    }

    private static String thing(String name, String note) {
        return note == null ? "{\"name\": \"" + name + "\"}" : "{\"name\": \"" + name + "\", \"note\": \"" + note + "\"}";
    }
}

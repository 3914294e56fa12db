package dev.ipv6lifecycle.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.server.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A control character, U+0000 or an unpaired surrogate in any text input of the real endpoints (a JSON field
 * at the top or nested, a path variable, a query parameter, the Idempotency-Key header) is a 400 problem
 * naming the input, and changes nothing: no event, no idempotency record. Each test marks its values with a
 * fresh id, so the events it looks for are its own.
 */
@IntegrationTest
class ForbiddenCharactersIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Api api;
    String marker;
    String key;

    @BeforeEach
    void connect() {
        api = new Api(port);
        marker = "m-" + UUID.randomUUID();
        key = "key-" + marker;
    }

    @Test
    void refusesANulInATopLevelFieldAndLeavesTheKeyFreeForTheCorrectedRequest() {
        String prefix = uniqueLocalPrefix();
        JsonNode problem = api.post("/api/v1/pools", pool(marker + "\\u0000", prefix), key)
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("name: must not contain control characters; found U+0000");
        assertThat(eventsMentioningTheMarker()).isZero();
        assertThat(idempotencyRowsWithTheKey()).isZero();
        // The same key again, without the NUL: a new request (not 422, key reused), and the event is there.
        assertThat(api.post("/api/v1/pools", pool(marker, prefix), key).status()).isEqualTo(201);
        assertThat(eventsMentioningTheMarker()).isEqualTo(1);
        assertThat(idempotencyRowsWithTheKey()).isEqualTo(1);
    }

    @Test
    void refusesAC1ControlCharacterInANestedFieldNamingItsPath() {
        JsonNode problem = api.post("/api/v1/delegations", "{\"subscriberId\": \"" + marker + "\", \"nas\": "
                        + "{\"username\": \"alice\u0085\", \"nasIp\": \"192.0.2.10\", \"sessionId\": \"s-1\"}}", key)
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("nas.username: must not contain control characters; found U+0085");
        assertThat(problem.path("detail").asString()).contains("nas.username");
        assertThat(eventsMentioningTheMarker()).isZero();
        assertThat(idempotencyRowsWithTheKey()).isZero();
    }

    @Test
    void refusesANewlineInAFreeTextReason() {
        JsonNode problem = api.post("/api/v1/delegations/" + UUID.randomUUID() + "/suspend",
                "{\"reason\": \"" + marker + "\\nsecond line\"}").assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("reason: must not contain control characters; found U+000A");
        assertThat(eventsMentioningTheMarker()).isZero();
    }

    @Test
    void refusesAnUnpairedSurrogate() {
        JsonNode problem = api.post("/api/v1/pools", pool(marker + "\\ud800", uniqueLocalPrefix()))
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("name: must not contain unpaired surrogates; found U+D800");
        assertThat(eventsMentioningTheMarker()).isZero();
    }

    @Test
    void acceptsASurrogatePairAndTextBeyondAscii() {
        Api.Answer answer = api.post("/api/v1/test-only/problems/body",
                "{\"name\": \"Zürich \\ud83d\\ude00\", \"prefix\": \"2001:db8::/48\", \"delegatedLengths\": [48]}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("name").asString()).isEqualTo("Zürich \uD83D\uDE00");
    }

    @Test
    void refusesAControlCharacterInAPathVariableNamingIt() {
        JsonNode problem = api.get("/api/v1/subscribers/sub%01" + marker + "/ipv6").assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("subscriberId: must not contain control characters; found U+0001");
    }

    @Test
    void refusesAControlCharacterInAPathVariableOfAKeyedPostWithoutKeepingTheKey() {
        JsonNode problem = api.post("/api/v1/admin/projections/dele%7Fgations/replay", "", key)
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("name: must not contain control characters; found U+007F");
        assertThat(idempotencyRowsWithTheKey()).isZero();
    }

    @Test
    void refusesANulInAQueryParameterNamingIt() {
        // It was a 500: the NUL reached PostgreSQL in the query's WHERE clause.
        JsonNode problem = api.get("/api/v1/delegations?subscriberId=a%00b").assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("subscriberId: must not contain control characters; found U+0000");
    }

    @Test
    void refusesAQueryParameterWhoseNameHasAControlCharacter() {
        JsonNode problem = api.get("/api/v1/pools?x%1B=1").assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("x\u001b: must not contain control characters; found U+001B");
    }

    @Test
    void refusesAControlCharacterInTheIdempotencyKeyNamingTheHeader() {
        JsonNode problem = api.post("/api/v1/delegations", "{\"subscriberId\": \"" + marker + "\"}", "k\t" + key)
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("Idempotency-Key: must not contain control characters; found U+0009");
        assertThat(eventsMentioningTheMarker()).isZero();
        assertThat(idempotencyRowsWithTheKey()).isZero();
    }

    @Test
    void aNulInAHeaderIsRefusedByTheServletContainerAsAProblemBeforeTheServiceReadsIt() {
        Api.Answer answer = api.sendByHand("POST", "/api/v1/delegations", "{\"subscriberId\": \"" + marker + "\"}",
                List.of("Content-Type", "application/json", "Idempotency-Key", "k\u0000" + key));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().path("type").asString()).isEqualTo("urn:ipv6-lifecycle:problem:invalid-request");
        assertThat(eventsMentioningTheMarker()).isZero();
        assertThat(idempotencyRowsWithTheKey()).isZero();
    }

    private static String pool(String name, String prefix) {
        return "{\"name\": \"" + name + "\", \"prefix\": \"" + prefix + "\", \"delegatedLengths\": [56], "
                + "\"defaultLength\": 56}";
    }

    /** A /48 of fd00::/8 with 40 random bits: no other test's pool overlaps it. */
    private static String uniqueLocalPrefix() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "fd%02x:%04x:%04x::/48".formatted(random.nextInt(256), random.nextInt(65536), random.nextInt(65536));
    }

    private int eventsMentioningTheMarker() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry "
                + "WHERE position(? IN convert_from(payload, 'UTF8')) > 0", Integer.class, marker);
    }

    /** Rows of this test's key, or of a key that holds it (with a forbidden character before it). */
    private int idempotencyRowsWithTheKey() {
        return jdbc.queryForObject("SELECT count(*) FROM idempotent_request WHERE position(? IN idempotency_key) > 0",
                Integer.class, key);
    }

    private static List<String> errors(JsonNode problem) {
        List<String> errors = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            errors.add(error.path("field").asString() + ": " + error.path("message").asString());
        }
        return errors;
    }
}

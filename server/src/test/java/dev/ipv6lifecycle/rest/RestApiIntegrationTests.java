package dev.ipv6lifecycle.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Every endpoint of the REST API (its OpenAPI document) over real HTTP, with its documented answers and errors. */
@IntegrationTest
class RestApiIntegrationTests {

    private static final String PROBLEM = "application/problem+json";

    @LocalServerPort
    int port;

    private Api http;
    /**
     * A /48 of its own for each test: tests of the shared tenant never collide, and each allocates in its own
     * pool (by poolId: without one, the tenant's oldest pool serves, which belongs to some other test).
     */
    private String space;
    private String subscriber;

    @BeforeEach
    void setUp() {
        http = new Api(port);
        space = TestPrefixes.uniqueSlash48();
        subscriber = "sub-" + UUID.randomUUID();
    }

    @Test
    void createsAPoolAndAnswersWithItsEmptyCapacity() {
        Api.Answer created = createPool(space, "[56, 60, 64]", 56);

        assertThat(created.status()).isEqualTo(201);
        JsonNode pool = created.json();
        assertThat(pool.get("prefix").asString()).isEqualTo(space);
        assertThat(pool.get("state").asString()).isEqualTo("ACTIVE");
        assertThat(pool.get("quarantine").asString()).isEqualTo("PT24H");
        assertThat(pool.get("staleAfter").asString()).isEqualTo("PT24H");
        assertThat(pool.get("delegatedLengths").toString()).isEqualTo("[56,60,64]");
        assertThat(pool.get("capacity").get("56").get("total").asLong()).isEqualTo(256);
        assertThat(pool.get("capacity").get("56").get("free").asLong()).isEqualTo(256);
        assertThat(pool.get("capacity").get("64").get("free").asLong()).isEqualTo(65536);
        assertThat(pool.get("utilizationPercent").asDouble()).isZero();
    }

    @Test
    void listsAndFindsPoolsWithExactCapacityOnceTheReadSideHasThem() {
        // A tenant of its own, so that the listing holds this test's pool and nothing else.
        http = freshTenant();
        String poolId = ownPool("[56, 64]", 56);
        allocate(inPool(poolId, ", \"prefixLength\": 64"));

        JsonNode pool = awaitJson("/api/v1/pools/" + poolId, node -> node.get("capacity").get("64").get("allocated").asLong() == 1);
        assertThat(pool.get("capacity").get("64").get("free").asLong()).isEqualTo(65535);
        assertThat(pool.get("capacity").get("56").get("free").asLong()).as("the /64 cuts one /56").isEqualTo(255);
        JsonNode page = http.get("/api/v1/pools?page=0&size=500").json();
        assertThat(page.get("page").asInt()).isZero();
        assertThat(page.get("size").asInt()).isEqualTo(500);
        assertThat(page.get("totalElements").asLong()).isEqualTo(1);
        assertThat(page.get("content").get(0).get("id").asString()).isEqualTo(poolId);
    }

    @Test
    void rejectsAnInvalidPoolListingEveryField() {
        Api.Answer answer = http.post("/api/v1/pools", "{\"name\": \"\", \"prefix\": \"2001:db8::/32\", "
                + "\"delegatedLengths\": [40], \"defaultLength\": 70}");

        assertProblem(answer, 400);
        List<String> fields = new ArrayList<>();
        answer.json().get("errors").forEach(error -> fields.add(error.get("field").asString()));
        assertThat(fields).contains("name", "defaultLength").anyMatch(field -> field.startsWith("delegatedLengths"));
    }

    @Test
    void rejectsAMisalignedOrIpv4PrefixAsABadRequest() {
        assertThat(assertProblem(http.post("/api/v1/pools", poolJson("2001:db8::1/32", "[56]", 56)), 400)
                .get("detail").asString()).contains("host bits");
        assertProblem(http.post("/api/v1/pools", poolJson("10.0.0.0/8", "[56]", 56)), 400);
        assertProblem(http.post("/api/v1/delegations", "{\"subscriberId\": \"x\", \"prefix\": \"fe80::/64\"}"), 400);
    }

    @Test
    void rejectsMalformedJsonUnknownFieldsAndWrongTypes() {
        assertProblem(http.post("/api/v1/delegations", "{\"subscriberId\": "), 400);
        assertProblem(http.post("/api/v1/delegations", "{\"subscriberId\": \"x\", \"colour\": \"red\"}"), 400);
        assertProblem(http.post("/api/v1/delegations", "{\"subscriberId\": \"x\", \"prefixLength\": \"long\"}"), 400);
        assertProblem(http.get("/api/v1/delegations/not-a-uuid"), 400);
        assertProblem(http.get("/api/v1/delegations?state=SLEEPING"), 400);
    }

    @Test
    void refusesAnOverlappingPoolWithAConflict() {
        createPool(space, "[56]", 56);

        assertThat(assertProblem(createPool(space.replace("/48", "/52"), "[56]", 56), 409).get("detail").asString())
                .contains("overlaps the tenant's existing pool " + space);
    }

    @Test
    void drainsUndrainsAndRetiresAPool() {
        String poolId = createPool(space, "[56]", 56).json().get("id").asString();

        assertThat(http.post("/api/v1/pools/" + poolId + "/drain", "{\"reason\": \"renumbering\"}").json()
                .get("state").asString()).isEqualTo("DRAINING");
        assertThat(http.post("/api/v1/pools/" + poolId + "/drain", null).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/pools/" + poolId + "/undrain", null).json().get("state").asString())
                .isEqualTo("ACTIVE");
        allocate("{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \"" + poolId + "\"}");
        assertProblem(http.post("/api/v1/pools/" + poolId + "/retire", null), 409);
    }

    @Test
    void retiresAnEmptyPool() {
        String poolId = createPool(space, "[56]", 56).json().get("id").asString();

        assertThat(http.post("/api/v1/pools/" + poolId + "/retire", null).json().get("state").asString())
                .isEqualTo("RETIRED");
        assertProblem(http.post("/api/v1/pools/" + poolId + "/drain", null), 409);
    }

    @Test
    void answersAnUnknownPoolOrDelegationWithNotFound() {
        UUID unknown = UUID.randomUUID();
        assertProblem(http.get("/api/v1/pools/" + unknown), 404);
        assertProblem(http.post("/api/v1/pools/" + unknown + "/drain", null), 404);
        assertProblem(http.get("/api/v1/delegations/" + unknown), 404);
        assertProblem(http.post("/api/v1/delegations/" + unknown + "/activate", null), 404);
        assertProblem(http.get("/api/v1/delegations/" + unknown + "/history"), 404);
    }

    @Test
    void allocatesAndAnswersWithTheCommittedDelegation() {
        String poolId = createPool(space, "[56]", 56).json().get("id").asString();

        Api.Answer answer = http.post("/api/v1/delegations", "{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \""
                + poolId + "\", \"nas\": {\"username\": \"alice\", \"nasIp\": \"127.0.0.1\", \"sessionId\": \"s1\"}}");

        assertThat(answer.status()).isEqualTo(201);
        JsonNode delegation = answer.json();
        assertThat(delegation.get("state").asString()).isEqualTo("ALLOCATED");
        assertThat(delegation.get("prefix").asString()).isEqualTo(space.replace("/48", "/56"));
        assertThat(delegation.get("prefixLength").asInt()).isEqualTo(56);
        assertThat(delegation.get("subscriberId").asString()).isEqualTo(subscriber);
        assertThat(delegation.get("poolId").asString()).isEqualTo(poolId);
        assertThat(Instant.parse(delegation.get("allocatedAt").asString())).isBefore(Instant.now().plusSeconds(1));
        JsonNode read = awaitJson("/api/v1/delegations/" + delegation.get("id").asString(), node -> true);
        assertThat(read.get("prefix").asString()).isEqualTo(delegation.get("prefix").asString());
    }

    @Test
    void activatesAtOnceWhenAsked() {
        String poolId = ownPool("[56]", 56);

        JsonNode delegation = allocate(inPool(poolId, ", \"activate\": true"));

        // The answer waits for the activation saga up to ipv6.api.activation-wait and then tells where it got:
        // ACTIVE when it finished in time, ALLOCATED while it still runs (a loaded machine), FAILED only when
        // the network refused, which nothing here does.
        assertThat(delegation.get("state").asString()).isIn("ALLOCATED", "ACTIVE");
        JsonNode active = awaitActive(delegation.get("id").asString());
        assertThat(active.get("activatedAt").isNull()).isFalse();
    }

    @Test
    void walksTheLifecycleAndRepeatsIdempotently() {
        String id = allocate(inPool(ownPool("[56]", 56), "")).get("id").asString();

        assertThat(transition(id, "activate").get("state").asString()).isEqualTo("ACTIVE");
        assertThat(transition(id, "suspend").get("state").asString()).isEqualTo("SUSPENDED");
        assertThat(transition(id, "suspend").get("state").asString()).isEqualTo("SUSPENDED");
        assertThat(transition(id, "resume").get("state").asString()).isEqualTo("ACTIVE");
        JsonNode revoking = http.post("/api/v1/delegations/" + id + "/revoke", "{\"reason\": \"contract ended\"}").json();
        assertThat(revoking.get("state").asString()).isEqualTo("REVOKING");
        assertThat(revoking.get("reason").asString()).isEqualTo("contract ended");
        assertThat(transition(id, "revoke").get("state").asString()).isEqualTo("REVOKING");
    }

    @Test
    void refusesAForbiddenTransitionNamingTheStateAndTheAllowedCommands() {
        String id = allocate(inPool(ownPool("[56]", 56), "")).get("id").asString();

        JsonNode problem = assertProblem(http.post("/api/v1/delegations/" + id + "/suspend", null), 409);

        assertThat(problem.get("currentState").asString()).isEqualTo("ALLOCATED");
        assertThat(problem.get("allowedCommands").toString()).isEqualTo("[\"activate\",\"revoke\",\"fail\"]");
    }

    @Test
    void answersAnExhaustedPoolWithAConflictNamingThePoolAndTheLength() {
        String small = space.replace("/48", "/63");
        String poolId = createPool(small, "[64]", 64).json().get("id").asString();
        allocate("{\"subscriberId\": \"a-" + subscriber + "\", \"poolId\": \"" + poolId + "\"}");
        allocate("{\"subscriberId\": \"b-" + subscriber + "\", \"poolId\": \"" + poolId + "\"}");

        JsonNode problem = assertProblem(http.post("/api/v1/delegations", "{\"subscriberId\": \"c-" + subscriber
                + "\", \"poolId\": \"" + poolId + "\"}"), 409);
        assertThat(problem.get("detail").asString()).isEqualTo("pool " + poolId + " (" + small + ") has no free /64");
    }

    @Test
    void listsDelegationsByEveryFilterWithPaging() {
        String poolId = createPool(space, "[56, 64]", 56).json().get("id").asString();
        String first = allocate(inPool(poolId, "")).get("id").asString();
        allocate(inPool(poolId, ", \"prefixLength\": 64"));
        transition(first, "activate");

        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/delegations?subscriberId=" + subscriber)
                .json().get("totalElements").asLong() == 2);
        JsonNode active = http.get("/api/v1/delegations?subscriberId=" + subscriber + "&state=ACTIVE").json();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/delegations?subscriberId=" + subscriber
                + "&state=ACTIVE").json().get("totalElements").asLong() == 1);
        assertThat(http.get("/api/v1/delegations?poolId=" + poolId + "&size=1&page=1").json().get("content").size())
                .isEqualTo(1);
        assertThat(http.get("/api/v1/delegations?prefix=" + space.replace("/48", "/56")).json().get("totalElements")
                .asLong()).isEqualTo(1);
        assertThat(active.get("size").asInt()).isEqualTo(50);
        assertProblem(http.get("/api/v1/delegations?size=100000"), 400);
    }

    @Test
    void showsTheHistoryFromTheEventStoreWithTheActor() {
        String id = allocate(inPool(ownPool("[56]", 56), "")).get("id").asString();
        transition(id, "activate");

        JsonNode history = http.get("/api/v1/delegations/" + id + "/history").json();

        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(0).get("type").asString()).isEqualTo("PrefixAllocated");
        assertThat(history.get(1).get("type").asString()).isEqualTo("PrefixActivated");
        // The admin key the test client sends, by its id: who acted, never the credential.
        assertThat(history.get(1).get("actor").asString()).matches("api-key:[0-9a-f-]{36}");
        assertThat(history.get(0).get("details").get("subscriberId").asString()).isEqualTo(subscriber);
        assertThat(history.get(0).get("occurredAt").asString()).isNotBlank();
    }

    @Test
    void showsASubscriberAsPendingUntilItHoldsADelegation() {
        assertThat(http.get("/api/v1/subscribers/" + subscriber + "/ipv6").json().get("state").asString())
                .isEqualTo("PENDING");
        String id = allocate(inPool(ownPool("[56]", 56), ", \"activate\": true")).get("id").asString();

        JsonNode status = awaitJson("/api/v1/subscribers/" + subscriber + "/ipv6",
                node -> node.get("state").asString().equals("ACTIVE"));
        assertThat(status.get("delegations").get(0).get("id").asString()).isEqualTo(id);
    }

    @Test
    void attributesAnAddressToItsHolderAndAnswersNotFoundForNobody() {
        String poolId = createPool(space, "[56]", 56).json().get("id").asString();
        JsonNode delegation = allocate(inPool(poolId, ""));
        String address = space.replace("::/48", ":1::42");
        String at = Instant.now().plusSeconds(1).toString();

        JsonNode who = awaitJson("/api/v1/attribution?address=" + address + "&at=" + at, node -> true);
        assertThat(who.get("subscriberId").asString()).isEqualTo(subscriber);
        assertThat(who.get("delegationId").asString()).isEqualTo(delegation.get("id").asString());
        assertThat(who.get("prefix").asString()).isEqualTo(delegation.get("prefix").asString());
        assertProblem(http.get("/api/v1/attribution?address=" + address + "&at=2000-01-01T00:00:00Z"), 404);
        assertProblem(http.get("/api/v1/attribution?at=" + at), 400);
        assertProblem(http.get("/api/v1/attribution?address=" + address + "&prefix=" + space + "&at=" + at), 400);
        assertProblem(http.get("/api/v1/attribution?address=10.0.0.1&at=" + at), 400);
    }

    @Test
    void exportsLifecycleEventsAsNdjson() {
        Instant from = Instant.now().minusSeconds(1);
        String id = allocate(inPool(ownPool("[56]", 56), "")).get("id").asString();
        Instant to = Instant.now().plusSeconds(1);

        Api.Answer export = http.get("/api/v1/audit/events?from=" + from + "&to=" + to);

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(export.body().lines().filter(line -> line.contains(id)))
                .anySatisfy(line -> assertThat(line).contains("\"type\" : \"PrefixAllocated\"")
                        .containsPattern("\"actor\" : \"api-key:[0-9a-f-]{36}\""));
        assertThat(http.get("/api/v1/audit/events?from=" + to + "&to=" + to.plusSeconds(60)).body()).doesNotContain(id);
        assertProblem(http.get("/api/v1/audit/events?from=" + to + "&to=" + from), 400);
    }

    @Test
    void countsDelegationsPerStateAndEachPoolsUtilisation() {
        // A tenant of its own, so that its figures are this test's alone.
        http = freshTenant();
        String poolId = ownPool("[56]", 56);
        String suspended = allocate(inPool(poolId, ", \"activate\": true")).get("id").asString();
        awaitActive(suspended);
        transition(suspended, "suspend");
        allocate("{\"subscriberId\": \"other-" + subscriber + "\", \"poolId\": \"" + poolId + "\"}");

        JsonNode stats = awaitJson("/api/v1/stats", node -> node.get("delegationsByState").get("SUSPENDED").asLong() == 1
                && node.get("delegationsByState").get("ALLOCATED").asLong() == 1);
        Map<String, Long> byState = new TreeMap<>();
        stats.get("delegationsByState").properties()
                .forEach(entry -> byState.put(entry.getKey(), entry.getValue().asLong()));
        assertThat(byState).isEqualTo(Map.of("ALLOCATED", 1L, "ACTIVE", 0L, "SUSPENDED", 1L, "REVOKING", 0L,
                "REVOKED", 0L, "FAILED", 0L));
        assertThat(stats.get("pools").size()).isEqualTo(1);
        assertThat(stats.get("pools").get(0).get("poolId").asString()).isEqualTo(poolId);
        // Two /56s of a /48's 256: 2 x 100 / 256 = 0.78125 percent.
        assertThat(stats.get("pools").get(0).get("utilizationPercent").asDouble()).isEqualTo(0.78125);
        assertThat(stats.get("leaks").asLong()).as("no sweep has run in this tenant").isZero();
    }

    @Test
    void listsProjectionsAndReplaysOne() {
        JsonNode projections = http.get("/api/v1/admin/projections").json();
        assertThat(projections.size()).isPositive();
        String name = projections.get(0).get("name").asString();

        Api.Answer replay = http.post("/api/v1/admin/projections/" + name + "/replay", null);

        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.json().get("name").asString()).isEqualTo(name);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = find(http.get("/api/v1/admin/projections").json(), name);
            assertThat(status.get("replaying").asBoolean()).as(status.toString()).isFalse();
            assertThat(status.get("progressPercent").asDouble()).as(status.toString()).isEqualTo(100.0);
        });
        assertProblem(http.post("/api/v1/admin/projections/no-such-projection/replay", null), 404);
    }

    @Test
    void replaysTheFirstAnswerForARepeatedIdempotencyKeyAndRefusesAnotherBody() {
        String body = inPool(ownPool("[56]", 56), "");
        String key = UUID.randomUUID().toString();

        Api.Answer first = http.post("/api/v1/delegations", body, key);
        Api.Answer again = http.post("/api/v1/delegations", body, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertProblem(http.post("/api/v1/delegations", "{\"subscriberId\": \"other\"}", key), 422);
    }

    @Test
    void servesAnOpenApi31DocumentWithExamplesAndSwaggerUi() {
        JsonNode document = http.get("/v3/api-docs").json();

        assertThat(document.get("openapi").asString()).startsWith("3.1");
        for (String path : List.of("/api/v1/pools", "/api/v1/pools/{poolId}", "/api/v1/pools/{poolId}/drain",
                "/api/v1/delegations", "/api/v1/delegations/{id}", "/api/v1/delegations/{id}/activate",
                "/api/v1/delegations/{id}/history", "/api/v1/subscribers/{subscriberId}/ipv6", "/api/v1/attribution",
                "/api/v1/audit/events", "/api/v1/stats", "/api/v1/admin/projections",
                "/api/v1/admin/projections/{name}/replay")) {
            assertThat(document.get("paths").has(path)).as(path).isTrue();
        }
        assertThat(document.get("paths").get("/api/v1/delegations").get("post").get("requestBody").toString())
                .contains("examples").contains("sub-000123");
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    private Api.Answer createPool(String prefix, String lengths, int defaultLength) {
        return http.post("/api/v1/pools", poolJson(prefix, lengths, defaultLength));
    }

    /** This test's pool over its own space; its id. */
    private String ownPool(String lengths, int defaultLength) {
        Api.Answer created = createPool(space, lengths, defaultLength);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** The service as an admin of a new tenant, which holds nothing yet. */
    private Api freshTenant() {
        String tenant = "rest-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Answer key = http.post("/api/v1/admin/api-keys", "{\"tenant\": \"" + tenant + "\", \"role\": \"admin\", "
                + "\"name\": \"rest test\"}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        return http.as(key.json().get("key").asString());
    }

    /** The delegation once the read side shows it ACTIVE (its activation saga may outlast the API's wait). */
    private JsonNode awaitActive(String id) {
        return awaitJson("/api/v1/delegations/" + id, node -> node.get("state").asString().equals("ACTIVE"));
    }

    /** A request in this test's own pool: the shared tenant's other pools belong to other tests. */
    private String inPool(String poolId, String more) {
        return "{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \"" + poolId + "\"" + more + "}";
    }

    private static String poolJson(String prefix, String lengths, int defaultLength) {
        return "{\"name\": \"pool " + prefix + "\", \"prefix\": \"" + prefix + "\", \"delegatedLengths\": " + lengths
                + ", \"defaultLength\": " + defaultLength + ", \"quarantine\": \"PT24H\"}";
    }

    private JsonNode allocate(String body) {
        Api.Answer answer = http.post("/api/v1/delegations", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json();
    }

    private JsonNode transition(String id, String command) {
        Api.Answer answer = http.post("/api/v1/delegations/" + id + "/" + command, null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private JsonNode awaitJson(String path, java.util.function.Predicate<JsonNode> ready) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            Api.Answer answer = http.get(path);
            return answer.status() == 200 ? answer.json() : null;
        }, node -> node != null && ready.test(node));
    }

    private static JsonNode assertProblem(Api.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith(PROBLEM);
        JsonNode problem = answer.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).isNotBlank();
        assertThat(problem.get("title").asString()).isNotBlank();
        return problem;
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode node : list) {
            if (node.get("name").asString().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no projection " + name + " in " + list);
    }
}

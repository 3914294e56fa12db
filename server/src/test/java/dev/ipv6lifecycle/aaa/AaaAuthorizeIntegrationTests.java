package dev.ipv6lifecycle.aaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The AAA endpoint over HTTP, called as FreeRADIUS's rlm_rest calls it: its answers in rlm_rest's format, the
 * role that may call it and nothing else, and allocation on first sight under retransmissions.
 */
@IntegrationTest
class AaaAuthorizeIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry registry;

    private Api installation;
    private AaaTenant tenant;

    @BeforeEach
    void newTenant() {
        installation = new Api(port);
        tenant = AaaTenant.create(installation);
    }

    @Test
    void anAllocatedDelegationIsAnsweredWithItsPrefixAsLiteralReplyAttributes() {
        tenant.pool("2001:db8:100::/40", false);
        String prefix = tenant.allocate("sub-1", "").get("prefix").asString();

        Api.Answer answer = tenant.authorize("sub-1");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode attribute = answer.json().get("reply:Delegated-IPv6-Prefix");
        assertThat(attribute.get("op").asString()).isEqualTo(":=");
        assertThat(attribute.get("do_xlat").asBoolean(true)).isFalse();
        assertThat(attribute.get("value").size()).isEqualTo(1);
        assertThat(attribute.get("value").get(0).asString()).isEqualTo(prefix);
        assertThat(names(answer.json())).containsExactly("reply:Delegated-IPv6-Prefix");
    }

    @Test
    void aSuspendedDelegationAddsTheSuspendCoAsFilterId() {
        tenant.pool("2001:db8:100::/40", false);
        String id = tenant.allocate("sub-1", "").get("id").asString();
        tenant.transition(id, "activate");
        tenant.transition(id, "suspend");

        JsonNode answer = tenant.authorize("sub-1").json();

        // radius.dae.suspend-filter-id, whose default the restricting CoA sends too.
        assertThat(answer.get("reply:Filter-Id").get("value").get(0).asString()).isEqualTo("ipv6-suspended");
        assertThat(answer.get("reply:Filter-Id").get("do_xlat").asBoolean(true)).isFalse();
        assertThat(answer.get("reply:Delegated-IPv6-Prefix").get("value").size()).isEqualTo(1);
    }

    @Test
    void noLiveDelegationIsAnsweredWithNothingAndNeverARejection() {
        tenant.pool("2001:db8:100::/40", false);
        String id = tenant.allocate("sub-1", "").get("id").asString();
        tenant.transition(id, "revoke");

        assertThat(tenant.authorize("sub-1").status()).isEqualTo(204);
        assertThat(tenant.authorize("never-seen").status()).isEqualTo(204);
    }

    @Test
    void theRadiusUserNameGivenAtAllocationOrLaterIsWhatMatches() {
        tenant.pool("2001:db8:100::/40", false);
        String id = tenant.allocate("sub-1", ", \"radiusUserName\": \"line-7@isp\"").get("id").asString();
        String fromNas = tenant.allocate("sub-2", ", \"nas\": {\"username\": \"bob@isp\", \"nasIp\": \"192.0.2.10\", "
                + "\"sessionId\": \"s-2\"}").get("prefix").asString();

        assertThat(tenant.authorize("line-7@isp").status()).isEqualTo(200);
        assertThat(tenant.authorize("sub-1").status()).isEqualTo(204);
        assertThat(tenant.authorize("bob@isp").json().get("reply:Delegated-IPv6-Prefix").get("value").get(0)
                .asString()).isEqualTo(fromNas);

        Api.Answer renamed = tenant.admin().post("/api/v1/delegations/" + id + "/radius-user-name",
                "{\"radiusUserName\": \"line-8@isp\"}");
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(tenant.authorize("line-7@isp").status()).isEqualTo(204);
        assertThat(tenant.authorize("line-8@isp").status()).isEqualTo(200);
    }

    @Test
    void theAaaRoleMayCallOnlyTheAaaEndpointsAndOnlyItMayCallThem() {
        Api aaa = installation.as(tenant.aaaKey());

        assertThat(aaa.get("/api/v1/pools").status()).isEqualTo(403);
        assertThat(aaa.post("/api/v1/delegations", "{\"subscriberId\": \"x\"}").status()).isEqualTo(403);
        assertThat(AaaTenant.authorize(installation, AaaTenant.key(installation, tenant.name(), "operator"), "x")
                .status()).isEqualTo(403);
        // As a bearer token too, not only as rlm_rest's Basic password.
        assertThat(aaa.post("/api/v1/aaa/authorize", "{\"User-Name\":{\"type\":\"string\",\"value\":[\"x\"]}}")
                .status()).isEqualTo(204);
        assertThat(AaaTenant.authorize(installation, "ipv6k_unknown", "x").status()).isEqualTo(401);
    }

    @Test
    void noOtherRoleMayCallTheAaaEndpointsNotEvenAnAdminOfTenantDefault() {
        String accounting = "{\"Acct-Status-Type\":{\"value\":[\"Start\"]},\"NAS-IP-Address\":{\"value\":"
                + "[\"192.0.2.1\"]},\"Acct-Session-Id\":{\"value\":[\"s-1\"]},\"User-Name\":{\"value\":[\"x\"]}}";
        for (String role : List.of("viewer", "operator", "admin")) {
            String key = AaaTenant.key(installation, tenant.name(), role);
            AaaTenant.authorize(installation, key, "x").assertProblem(403, "forbidden");
            installation.as(key).post("/api/v1/aaa/accounting", accounting).assertProblem(403, "forbidden");
        }
        AaaTenant.authorize(installation, Api.ADMIN_KEY, "x").assertProblem(403, "forbidden");
        installation.post("/api/v1/aaa/accounting", accounting).assertProblem(403, "forbidden");
        assertThat(installation.as(tenant.aaaKey()).get("/api/v1/sessions").status()).isEqualTo(403);
        assertThat(installation.as(tenant.aaaKey()).post("/api/v1/aaa/accounting", accounting).status()).isEqualTo(204);
    }

    @Test
    void missingMalformedDoubledAndRevokedCredentialsOnTheAaaPathsAre401ProblemsAsElsewhere() {
        String body = "{\"User-Name\":{\"type\":\"string\",\"value\":[\"x\"]}}";
        Api.Answer none = installation.anonymous().post("/api/v1/aaa/authorize", body);
        none.assertProblem(401, "unauthorized");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        for (List<String> credentials : List.of(List.of("Authorization", "Basic not-base64!"),
                List.of("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes())),
                List.of("Authorization", "Bearer " + tenant.aaaKey(), "Authorization", "Bearer " + tenant.aaaKey()),
                List.of("Authorization", "Bearer a.b.c"))) {
            List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
            headers.addAll(credentials);
            installation.anonymous().send("POST", "/api/v1/aaa/authorize", body, headers)
                    .assertProblem(401, "unauthorized");
        }

        Api.Answer created = installation.post("/api/v1/admin/api-keys", "{\"tenant\": \"" + tenant.name()
                + "\", \"role\": \"aaa\", \"name\": \"to revoke\"}");
        String key = created.json().get("key").asString();
        assertThat(AaaTenant.authorize(installation, key, "x").status()).isEqualTo(204);
        assertThat(installation.delete("/api/v1/admin/api-keys/" + created.json().get("id").asString()).status())
                .isEqualTo(204);
        AaaTenant.authorize(installation, key, "x").assertProblem(401, "unauthorized");
    }

    @Test
    void anAaaAnswerCarriesTheApiResponseHeadersAndStartsNoSession() {
        tenant.pool("2001:db8:100::/40", false);
        tenant.allocate("sub-1", "");

        Api.Answer answer = tenant.authorize("sub-1");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.header("Cache-Control")).contains("no-store");
        assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(answer.headers().keySet()).noneMatch("set-cookie"::equalsIgnoreCase);
    }

    @Test
    void aBodyThatIsMissingOrNotJsonIsA400ProblemAndAnotherMediaTypeA415AsForAnyRequestBody() {
        Api aaa = installation.as(tenant.aaaKey());

        assertThat(aaa.post("/api/v1/aaa/authorize", "{\"User-Name\": ").assertProblem(400, "invalid-request")
                .get("detail").asString()).startsWith("The request body is not well-formed JSON");
        assertThat(aaa.send("POST", "/api/v1/aaa/authorize", null, Map.of("Content-Type", "application/json"))
                .assertProblem(400, "invalid-request").get("detail").asString())
                .isEqualTo("The request body is missing or cannot be read.");
        aaa.post("/api/v1/aaa/authorize", "  ").assertProblem(400, "invalid-request");
        aaa.post("/api/v1/aaa/authorize", "{} {}").assertProblem(400, "invalid-request");
        aaa.send("POST", "/api/v1/aaa/authorize", "User-Name=x", Map.of("Content-Type", "text/plain"))
                .assertProblem(415, "unsupported-media-type");
        // JSON without a usable User-Name is an answer, not a mistake: nothing to add.
        assertThat(aaa.post("/api/v1/aaa/authorize", "[1, 2]").status()).isEqualTo(204);
        assertThat(aaa.post("/api/v1/aaa/authorize", "{\"User-Name\": {\"value\": [\"\"]}}").status())
                .isEqualTo(204);
    }

    @Test
    void callsThatTheFilterLeavesToTheControllerGetTheSameAnswers() {
        tenant.pool("2001:db8:100::/40", false);
        tenant.allocate("active-1", "");
        String suspended = tenant.allocate("suspended-1", "").get("id").asString();
        tenant.transition(suspended, "activate");
        tenant.transition(suspended, "suspend");

        for (String userName : List.of("active-1", "suspended-1", "nobody")) {
            Api.Answer filtered = tenant.authorize(userName);
            // A query string, an Idempotency-Key and an Accept with quality go past the filter to the controller.
            for (Api.Answer controlled : List.of(authorize("/api/v1/aaa/authorize?via=controller", userName, Map.of()),
                    authorize("/api/v1/aaa/authorize", userName, Map.of("Idempotency-Key", "k-" + userName)),
                    authorize("/api/v1/aaa/authorize", userName, Map.of("Accept", "application/json;q=0.9, */*;q=0")))) {
                assertThat(controlled.status()).as(userName).isEqualTo(filtered.status());
                assertThat(controlled.header("Content-Type")).as(userName).isEqualTo(filtered.header("Content-Type"));
                assertThat(controlled.body()).as(userName).isEqualTo(filtered.body());
            }
        }
        assertThat(authorize("/api/v1/aaa/authorize", "active-1", Map.of("Accept", "text/plain")).status())
                .isEqualTo(406);
    }

    @Test
    void authorizationsAreTimedPerOutcomeRatherThanAsHttpServerRequests() {
        String pool = tenant.pool("2001:db8:100::/40", false);
        tenant.allocate("sub-1", "");
        double before = registry.get("ipv6.aaa.authorizations").tag("outcome", "authorized").counter().count();

        assertThat(tenant.authorize("sub-1").status()).isEqualTo(200);
        // The pool's view is a projection, which may not have caught up with its creation yet.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> tenant.admin().get("/api/v1/pools/" + pool).status() == 200);

        // The pool's GET is observed after the authorization was answered; by then the authorization would be too.
        await().atMost(Duration.ofSeconds(5)).until(() -> !registry.find("http.server.requests")
                .tag("uri", "/api/v1/pools/{poolId}").timers().isEmpty());
        assertThat(registry.find("http.server.requests").tag("uri", "/api/v1/aaa/authorize").timers()).isEmpty();
        assertThat(registry.get("ipv6.aaa.authorizations").tag("outcome", "authorized").counter().count())
                .isEqualTo(before + 1);
    }

    private Api.Answer authorize(String path, String userName, Map<String, String> moreHeaders) {
        Map<String, String> headers = new java.util.HashMap<>(moreHeaders);
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(("freeradius:" + tenant.aaaKey()).getBytes()));
        return tenant.admin().send("POST", path, "{\"User-Name\":{\"type\":\"string\",\"value\":[\"" + userName
                + "\"]}}", headers);
    }

    @Test
    void aBodyInAnotherDeclaredCharsetIsReadInThatCharset() {
        tenant.pool("2001:db8:100::/40", false);
        String prefix = tenant.allocate("m\u00fcller", "").get("prefix").asString();
        String body = "{\"User-Name\":{\"type\":\"string\",\"value\":[\"m\u00fcller\"]}}";

        Api.Answer latin1 = installation.as(tenant.aaaKey()).sendBytes("/api/v1/aaa/authorize",
                body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "application/json;charset=ISO-8859-1");

        assertThat(latin1.status()).as(latin1.body()).isEqualTo(200);
        assertThat(latin1.json().get("reply:Delegated-IPv6-Prefix").get("value").get(0).asString()).isEqualTo(prefix);
    }

    @Test
    void aKeyInBasicCredentialsIsTakenOnTheAaaPathsOnly() {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("x:" + Api.ADMIN_KEY).getBytes());

        assertThat(installation.send("GET", "/api/v1/pools", null, Map.of("Authorization", basic)).status())
                .isEqualTo(401);
    }

    @Test
    void anotherTenantsSubscriberIsNeverFound() {
        tenant.pool("2001:db8:100::/40", false);
        tenant.allocate("shared-name", "");
        AaaTenant other = AaaTenant.create(installation);

        assertThat(other.authorize("shared-name").status()).isEqualTo(204);
        assertThat(tenant.authorize("shared-name").status()).isEqualTo(200);
    }

    @Test
    void concurrentRetransmissionsOfOneFirstAccessRequestMakeOneDelegation() throws Exception {
        String pool = tenant.pool("2001:db8:100::/40", true);
        int requests = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(requests);
        List<Future<Api.Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return tenant.authorize("first-seen@isp");
                }));
            }
            start.countDown();
            Set<String> prefixes = new java.util.HashSet<>();
            for (Future<Api.Answer> answer : answers) {
                Api.Answer got = answer.get();
                assertThat(got.status()).as(got.body()).isEqualTo(200);
                prefixes.add(got.json().get("reply:Delegated-IPv6-Prefix").get("value").get(0).asString());
            }
            assertThat(prefixes).hasSize(1);
            assertThat(Ipv6Prefix.parse("2001:db8:100::/40").contains(Ipv6Prefix.parse(prefixes.iterator().next())))
                    .isTrue();
        } finally {
            threads.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE pool_id = ?::uuid "
                + "AND subscriber_id = 'first-seen@isp'", Integer.class, pool)).isEqualTo(1);
    }

    @Test
    void aReturningSubscriberGetsItsQuarantinedPrefixBackOnFirstSight() {
        tenant.pool("2001:db8:100::/40", true);
        JsonNode first = tenant.authorize("returning@isp").json();
        String prefix = first.get("reply:Delegated-IPv6-Prefix").get("value").get(0).asString();
        String id = jdbc.queryForObject("SELECT delegation_id::text FROM radius_authorization WHERE tenant_id = ? "
                + "AND radius_user_name = 'returning@isp'", String.class, tenant.name());
        tenant.transition(id, "revoke");
        tenant.transition(id, "complete-revocation");
        // Someone else takes the next free block meanwhile, so that best fit alone would give another prefix.
        tenant.allocate("someone-else", "");

        JsonNode again = tenant.authorize("returning@isp").json();

        assertThat(again.get("reply:Delegated-IPv6-Prefix").get("value").get(0).asString()).isEqualTo(prefix);
    }

    @Test
    void withoutAPoolMarkedForItNothingIsAllocatedOnFirstSight() {
        tenant.pool("2001:db8:100::/40", false);

        assertThat(tenant.authorize("unknown@isp").status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE tenant_id = ?", Integer.class,
                tenant.name())).isZero();
    }

    private static List<String> names(JsonNode node) {
        return node.propertyNames().stream().collect(Collectors.toList());
    }
}

package dev.ipv6lifecycle.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.SilentNasInitializer;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint, every way in: no credentials 401, a role that does not suffice 403, another tenant's id 404
 * exactly as an unknown id, the role it needs 2xx. Keys are made through the API itself.
 */
@IntegrationTest
class SecurityIntegrationTests {

    private static final String OTHER_TENANT = "other-tenant";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private Api admin;
    private Api viewer;
    private Api operator;
    private Api otherAdmin;

    @BeforeEach
    void setUp() {
        admin = new Api(port);
        viewer = admin.as(createKey(admin, null, "viewer"));
        operator = admin.as(createKey(admin, null, "operator"));
        otherAdmin = admin.as(createKey(admin, OTHER_TENANT, "admin"));
    }

    /** One row per endpoint: how to call it with a fresh target, the role it needs, whether it names an id. */
    record Endpoint(String method, String role, boolean namesAnId, Function<Fixture, String> path, String body) {

        @Override
        public String toString() {
            return method + " " + path.apply(Fixture.DESCRIBE) + " (" + role + ")";
        }
    }

    static Stream<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        // viewer: reads
        all.add(new Endpoint("GET", "viewer", false, f -> "/api/v1/pools", null));
        all.add(new Endpoint("GET", "viewer", true, f -> "/api/v1/pools/" + f.pool(), null));
        all.add(new Endpoint("GET", "viewer", false, f -> "/api/v1/delegations?page=0&size=10", null));
        all.add(new Endpoint("GET", "viewer", true, f -> "/api/v1/delegations/" + f.delegation("ALLOCATED"), null));
        all.add(new Endpoint("GET", "viewer", true,
                f -> "/api/v1/delegations/" + f.delegation("ALLOCATED") + "/history", null));
        all.add(new Endpoint("GET", "viewer", false, f -> "/api/v1/subscribers/" + f.subscriber() + "/ipv6", null));
        all.add(new Endpoint("GET", "viewer", true, f -> "/api/v1/attribution?prefix=" + f.heldPrefix() + "&at="
                + Instant.now().plusSeconds(1), null));
        all.add(new Endpoint("GET", "viewer", false, f -> "/api/v1/stats", null));
        // operator: allocation and lifecycle commands
        all.add(new Endpoint("POST", "operator", true, f -> "/api/v1/delegations",
                "{\"subscriberId\": \"sub-%s\", \"poolId\": \"%s\"}"));
        all.add(new Endpoint("POST", "operator", true,
                f -> "/api/v1/delegations/" + f.delegation("ALLOCATED") + "/activate", null));
        all.add(new Endpoint("POST", "operator", true,
                f -> "/api/v1/delegations/" + f.delegation("ACTIVE") + "/suspend", "{\"reason\": \"unpaid\"}"));
        all.add(new Endpoint("POST", "operator", true,
                f -> "/api/v1/delegations/" + f.delegation("SUSPENDED") + "/resume", null));
        all.add(new Endpoint("POST", "operator", true,
                f -> "/api/v1/delegations/" + f.delegation("ACTIVE") + "/revoke", "{\"reason\": \"contract ended\"}"));
        all.add(new Endpoint("POST", "operator", true,
                f -> "/api/v1/delegations/" + f.delegation("REVOKING") + "/complete-revocation", null));
        // admin: pools, administration, audit export, API keys
        all.add(new Endpoint("POST", "admin", false, f -> "/api/v1/pools", "POOL"));
        all.add(new Endpoint("POST", "admin", true, f -> "/api/v1/pools/" + f.pool() + "/drain", null));
        all.add(new Endpoint("POST", "admin", true, f -> "/api/v1/pools/" + f.pool() + "/undrain", null));
        all.add(new Endpoint("POST", "admin", true, f -> "/api/v1/pools/" + f.pool() + "/retire", null));
        all.add(new Endpoint("GET", "admin", false, f -> "/api/v1/audit/events?from=2026-01-01T00:00:00Z&to="
                + Instant.now().plusSeconds(60), null));
        all.add(new Endpoint("GET", "admin", false, f -> "/api/v1/admin/projections", null));
        all.add(new Endpoint("POST", "admin", false, f -> "/api/v1/admin/projections/pools/replay", null));
        all.add(new Endpoint("POST", "admin", false, f -> "/api/v1/maintenance/sweep", null));
        all.add(new Endpoint("GET", "admin", false, f -> "/api/v1/admin/api-keys", null));
        all.add(new Endpoint("POST", "admin", false, f -> "/api/v1/admin/api-keys",
                "{\"role\": \"viewer\", \"name\": \"matrix\"}"));
        all.add(new Endpoint("DELETE", "admin", true, f -> "/api/v1/admin/api-keys/" + f.apiKey(), null));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void answers401WithoutCredentials403ForTooLowARole404ForAnotherTenantAnd2xxForItsRole(Endpoint endpoint) {
        Fixture fixture = new Fixture(admin);

        Api.Answer anonymous = call(admin.anonymous(), endpoint, fixture);
        anonymous.assertProblem(401, "unauthorized");
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");

        if (!endpoint.role().equals("viewer")) {
            Api tooLow = endpoint.role().equals("admin") ? operator : viewer;
            call(tooLow, endpoint, fixture).assertProblem(403, "forbidden");
            if (endpoint.role().equals("admin")) {
                call(viewer, endpoint, fixture).assertProblem(403, "forbidden");
            }
        }

        if (endpoint.namesAnId()) {
            // The other tenant's admin may do anything within its tenant: only the tenant stands in the way.
            JsonNode foreign = call(otherAdmin, endpoint, fixture).assertProblem(404, "not-found");
            JsonNode unknown = call(admin, endpoint, Fixture.unknown()).assertProblem(404, "not-found");
            assertThat(foreign.get("title")).isEqualTo(unknown.get("title"));
        }

        Api rightRole = switch (endpoint.role()) {
            case "viewer" -> viewer;
            case "operator" -> operator;
            default -> admin;
        };
        Api.Answer allowed = call(rightRole, endpoint, fixture);
        assertThat(allowed.status()).as("%s: %s", endpoint, allowed.body()).isBetween(200, 299);
        if (endpoint.path().apply(Fixture.DESCRIBE).endsWith("/replay")) {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    !admin.get("/api/v1/admin/projections").body().contains("\"replaying\":true"));
        }
    }

    @Test
    void onlyTheInstallationsOwnAdminsRunTheSweepThatCoversEveryTenant() {
        otherAdmin.post("/api/v1/maintenance/sweep", null).assertProblem(403, "forbidden");
    }

    @Test
    void anotherTenantSeesNoneOfThisTenantsDataInListsAndFigures() {
        Fixture fixture = new Fixture(admin);
        String delegation = fixture.delegation("ACTIVE");
        String pool = fixture.pool();

        assertThat(otherAdmin.get("/api/v1/pools?size=500").body()).doesNotContain(pool);
        assertThat(otherAdmin.get("/api/v1/delegations?size=500").body()).doesNotContain(delegation);
        assertThat(otherAdmin.get("/api/v1/stats").body()).doesNotContain(pool);
        assertThat(otherAdmin.get("/api/v1/subscribers/" + fixture.subscriber() + "/ipv6").json()
                .get("state").asString()).isEqualTo("PENDING");
        assertThat(otherAdmin.get("/api/v1/audit/events?from=2026-01-01T00:00:00Z&to=" + Instant.now().plusSeconds(5))
                .body()).doesNotContain(delegation).doesNotContain(pool);
        assertThat(admin.get("/api/v1/subscribers/" + fixture.subscriber() + "/ipv6").body()).contains(delegation);
    }

    @Test
    void recordsTheActorOfEveryCommandAsTheKeyIdAndShowsItInTheHistory() {
        Fixture fixture = new Fixture(admin);
        String delegation = fixture.delegation("ALLOCATED");
        JsonNode created = admin.post("/api/v1/admin/api-keys", "{\"role\": \"operator\", \"name\": \"actor\"}").json();
        Api keyed = admin.as(created.get("key").asString());

        assertThat(keyed.post("/api/v1/delegations/" + delegation + "/activate", null).status()).isEqualTo(200);

        JsonNode history = admin.get("/api/v1/delegations/" + delegation + "/history").json();
        assertThat(history.get(history.size() - 1).get("actor").asString())
                .isEqualTo("api-key:" + created.get("id").asString());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND convert_from(meta_data, 'UTF8') LIKE ?", Long.class, delegation,
                "%api-key:" + created.get("id").asString() + "%")).isEqualTo(1L);
    }

    @Test
    void createsAKeyShownOnceStoresOnlyItsHashAndRevokesItAtOnce() {
        Api.Answer created = admin.post("/api/v1/admin/api-keys", "{\"tenant\": \"acme\", \"role\": \"viewer\", "
                + "\"name\": \"billing\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        String key = created.json().get("key").asString();
        assertThat(key).startsWith("ipv6k_").hasSize(49);
        assertThat(created.header("Location")).isEqualTo("/api/v1/admin/api-keys/" + id);

        Api acme = admin.as(key);
        assertThat(acme.get("/api/v1/pools").status()).isEqualTo(200);
        String listing = admin.get("/api/v1/admin/api-keys?size=500").body();
        assertThat(listing).contains(id).contains("\"tenant\":\"acme\"").doesNotContain(key).doesNotContain("\"key\"");
        String row = jdbc.queryForObject("SELECT row_to_json(k)::text FROM api_key k WHERE id = ?::uuid", String.class, id);
        assertThat(row).doesNotContain(key).doesNotContain(key.substring(6));

        assertThat(admin.delete("/api/v1/admin/api-keys/" + id).status()).isEqualTo(204);
        acme.get("/api/v1/pools").assertProblem(401, "unauthorized");
        assertThat(admin.delete("/api/v1/admin/api-keys/" + id).status()).as("revoking again").isEqualTo(204);
        assertThat(admin.get("/api/v1/admin/api-keys?size=500").json().get("content").valueStream()
                .filter(k -> k.get("id").asString().equals(id)).findFirst().orElseThrow()
                .get("revokedAt").isNull()).isFalse();
    }

    @Test
    void onlyAnAdminOfTenantDefaultManagesTheKeysOfOtherTenants() {
        otherAdmin.post("/api/v1/admin/api-keys", "{\"tenant\": \"default\", \"role\": \"admin\", \"name\": \"x\"}")
                .assertProblem(403, "forbidden");
        assertThat(otherAdmin.post("/api/v1/admin/api-keys", "{\"tenant\": \"" + OTHER_TENANT + "\", \"role\": "
                + "\"viewer\", \"name\": \"own\"}").status()).isEqualTo(201);
        String listing = otherAdmin.get("/api/v1/admin/api-keys?size=500").body();
        assertThat(listing).contains("\"tenant\":\"" + OTHER_TENANT + "\"").doesNotContain("\"tenant\":\"default\"");

        String defaultsKey = admin.post("/api/v1/admin/api-keys", "{\"role\": \"viewer\", \"name\": \"d\"}").json()
                .get("id").asString();
        otherAdmin.delete("/api/v1/admin/api-keys/" + defaultsKey).assertProblem(404, "not-found");
        assertThat(admin.as(createKey(admin, OTHER_TENANT, "viewer")).get("/api/v1/pools").status()).isEqualTo(200);
    }

    @Test
    void refusesMalformedAndUnknownCredentialsWithProblemDetails() {
        admin.as("ipv6k_" + "A".repeat(43)).get("/api/v1/pools").assertProblem(401, "unauthorized");
        admin.as("a.b.c").get("/api/v1/pools").assertProblem(401, "unauthorized");
        admin.send("GET", "/api/v1/pools", null, List.of("Authorization", "Basic dXNlcjpwYXNz"))
                .assertProblem(401, "unauthorized");
        admin.send("GET", "/api/v1/pools", null, List.of("Authorization", "Bearer " + Api.ADMIN_KEY,
                "Authorization", "Bearer " + Api.ADMIN_KEY)).assertProblem(401, "unauthorized");
        admin.send("GET", "/api/v1/pools", null, List.of("Authorization", "Bearer ###")).assertProblem(401, "unauthorized");
    }

    @Test
    void keepsHealthPublicPrometheusForTenantDefaultAndEveryOtherActuatorEndpointClosed() {
        assertThat(admin.anonymous().get("/actuator/health").status()).isEqualTo(200);
        admin.anonymous().get("/actuator/prometheus").assertProblem(401, "unauthorized");
        otherAdmin.get("/actuator/prometheus").assertProblem(403, "forbidden");
        assertThat(viewer.get("/actuator/prometheus").status()).isEqualTo(200);
        for (String closed : List.of("/actuator", "/actuator/info", "/actuator/env", "/actuator/beans",
                "/actuator/heapdump", "/actuator/loggers")) {
            assertThat(admin.anonymous().get(closed).status()).as(closed).isEqualTo(401);
            admin.get(closed).assertProblem(403, "forbidden");
        }
        assertThat(admin.anonymous().get("/v3/api-docs").status()).isEqualTo(200);
    }

    private static Api.Answer call(Api api, Endpoint endpoint, Fixture fixture) {
        String body = endpoint.body();
        if ("POOL".equals(body)) {
            body = Fixture.poolJson(TestPrefixes.uniqueSlash48());
        } else if (body != null && body.contains("%s")) {
            body = body.formatted(UUID.randomUUID(), fixture.pool());
        }
        return api.send(endpoint.method(), endpoint.path().apply(fixture), body,
                body == null ? List.of() : List.of("Content-Type", "application/json"));
    }

    static String createKey(Api admin, String tenant, String role) {
        Api.Answer created = admin.post("/api/v1/admin/api-keys", "{" + (tenant == null ? "" : "\"tenant\": \""
                + tenant + "\", ") + "\"role\": \"" + role + "\", \"name\": \"test " + role + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    /** Targets in tenant default, made on demand: a new delegation in the asked state for every call. */
    static class Fixture {

        static final Fixture DESCRIBE = new Fixture(null) {
            @Override String pool() { return "{pool}"; }
            @Override String delegation(String state) { return "{" + state.toLowerCase() + "-delegation}"; }
            @Override String apiKey() { return "{key}"; }
            @Override String heldPrefix() { return "{prefix}"; }
            @Override String subscriber() { return "{subscriber}"; }
        };

        private final Api admin;
        private String pool;
        private String space;
        private final String subscriber = "sub-" + UUID.randomUUID();

        Fixture(Api admin) {
            this.admin = admin;
        }

        /** Ids nobody has. */
        static Fixture unknown() {
            return new Fixture(null) {
                @Override String pool() { return UUID.randomUUID().toString(); }
                @Override String delegation(String state) { return UUID.randomUUID().toString(); }
                @Override String apiKey() { return UUID.randomUUID().toString(); }
                @Override String heldPrefix() { return "fd00:ffff:ffff:ff00::/56"; }
            };
        }

        static String poolJson(String space) {
            return "{\"name\": \"security\", \"prefix\": \"" + space + "\", \"delegatedLengths\": [56, 64], "
                    + "\"defaultLength\": 56}";
        }

        /** A fresh, empty pool of tenant default. */
        String pool() {
            space = TestPrefixes.uniqueSlash48();
            Api.Answer created = admin.post("/api/v1/pools", poolJson(space));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            pool = created.json().get("id").asString();
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/pools/" + pool).status() == 200);
            return pool;
        }

        String delegation(String state) {
            String poolId = pool == null ? pool() : pool;
            Api.Answer allocated = admin.post("/api/v1/delegations", "{\"subscriberId\": \"" + subscriber()
                    + "\", \"poolId\": \"" + poolId + "\"}");
            assertThat(allocated.status()).as(allocated.body()).isEqualTo(201);
            String id = allocated.json().get("id").asString();
            List<String> steps = switch (state) {
                case "ALLOCATED" -> List.of();
                case "ACTIVE" -> List.of("activate");
                case "SUSPENDED" -> List.of("activate", "suspend");
                case "REVOKING" -> List.of("activate", "revoke");
                default -> throw new IllegalArgumentException(state);
            };
            for (String step : steps) {
                // A revocation with a session on the tests' silent NAS stays REVOKING.
                String body = step.equals("revoke") ? "{\"nas\": " + SilentNasInitializer.sessionJson(subscriber()) + "}"
                        : null;
                assertThat(admin.post("/api/v1/delegations/" + id + "/" + step, body).status()).isEqualTo(200);
            }
            // Reads come from the read side, which follows the event store by milliseconds.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Api.Answer read = admin.get("/api/v1/delegations/" + id);
                return read.status() == 200 && read.json().get("state").asString().equals(state);
            });
            return id;
        }

        /** A prefix a delegation of tenant default holds now, once the attribution's read side knows it. */
        String heldPrefix() {
            String id = delegation("ALLOCATED");
            String prefix = admin.get("/api/v1/delegations/" + id).json().get("prefix").asString();
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/attribution?prefix=" + prefix
                    + "&at=" + Instant.now().plusSeconds(1)).status() == 200);
            return prefix;
        }

        String subscriber() {
            return subscriber;
        }

        String apiKey() {
            return admin.post("/api/v1/admin/api-keys", "{\"role\": \"viewer\", \"name\": \"revocable\"}").json()
                    .get("id").asString();
        }
    }
}

package dev.ipv6lifecycle.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.Ipv6LifecycleApplication;
import dev.ipv6lifecycle.server.SilentNasInitializer;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Hostile HTTP against every endpoint: no, bad, revoked and foreign credentials, too low a role, malformed
 * JSON, wrong types, huge values, invalid, misaligned, IPv4 and link-local prefixes, unknown ids, forbidden
 * transitions, abused headers, and control characters, U+0000 and unpaired surrogates inside otherwise valid
 * values of bodies, parameters and headers. Every request is built to fail, even those with the right role
 * (a valid-looking request that is forbidden, never one that succeeds); every answer must be a 4xx problem
 * document, none a 5xx, and afterwards the database must hold exactly what it held before.
 *
 * <p>One application on a database of its own, for all requests.
 */
class HostileRequestPropertyTests {

    static final int TRIES = 10_000;

    /**
     * Housekeeping that moves by itself while the service idles: event processors' token claims, the
     * scheduler's heartbeats, and the RADIUS sessions of other test classes that the minutely accounting check
     * closes as stale, and the capacity windows the gauges' refresh rebuilds (see {@link Folded}). Every other
     * table must be unchanged.
     */
    private static final List<String> HOUSEKEEPING = List.of("token_entry", "scheduled_tasks", "radius_session",
            "capacity_trend_window");

    /**
     * Tables the gauges' refresh folds (every ipv6.metrics.refresh): totals, and the deltas not folded yet, with
     * their key columns, the totals' value columns and the deltas' matching ones. A fold moves rows but changes
     * no sum, so each pair is compared as its sums per key. {@code capacity_trend_window} is left out: the fold
     * rebuilds it from {@code capacity_trend}, whose sums are compared.
     */
    private record Folded(String totals, String deltas, String keys, List<String> values, List<String> deltaValues) {

        String digestQuery() {
            String sums = values.stream().map(v -> "sum(" + v + ") AS " + v).collect(Collectors.joining(", "));
            String nonZero = values.stream().map(v -> "sum(" + v + ") <> 0").collect(Collectors.joining(" OR "));
            return "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                    + " FROM (SELECT " + keys + ", " + sums
                    + " FROM (SELECT " + keys + ", " + String.join(", ", values) + " FROM " + totals
                    + " UNION ALL SELECT " + keys + ", " + String.join(", ", deltaValues) + " FROM " + deltas + ") rows"
                    + " GROUP BY " + keys + " HAVING " + nonZero + ") t";
        }
    }

    private static final List<Folded> FOLDED = List.of(
            new Folded("delegation_count", "delegation_count_delta", "tenant_id, pool_id, state", List.of("n"),
                    List.of("delta")),
            new Folded("held_count", "held_count_delta", "pool_id, length, quarantined", List.of("n"), List.of("delta")),
            new Folded("capacity_trend", "capacity_trend_delta", "pool_id, length, day", List.of("taken", "returned"),
                    List.of("taken", "returned")));

    private static ConfigurableApplicationContext app;
    private static JdbcTemplate jdbc;
    private static Api admin;
    private static Api operator;
    private static Api viewer;
    private static Api foreignAdmin;
    private static String revokedKey;
    private static Targets targets;
    private static Map<String, String> before;
    private static final AtomicInteger sent = new AtomicInteger();
    private static final Map<Integer, Integer> statuses = new LinkedHashMap<>();
    private static long startedNanos;
    private static final Map<String, Long> nanosByKind = new java.util.TreeMap<>();
    private static final Map<String, Integer> countByKind = new java.util.TreeMap<>();

    /** Tenant default's things that hostile requests aim at. */
    record Targets(String pool, String active, String revoking, String viewerKeyId, String heldPrefix) {
    }

    @BeforeContainer
    static void start() {
        String database = SharedPostgres.freshDatabase();
        jdbc = new JdbcTemplate(SharedPostgres.dataSource(database));
        app = new SpringApplicationBuilder(Ipv6LifecycleApplication.class)
                .initializers(new SilentNasInitializer())
                .run("--spring.datasource.url=" + database, "--spring.datasource.username=" + SharedPostgres.USER,
                        "--spring.datasource.password=", "--server.port=0",
                        // Thousands of refused commands and unknown paths: their warnings would only slow the run.
                        "--logging.level.org.axonframework.modelling.command.AbstractRepository=ERROR",
                        "--logging.level.org.springframework.web.servlet.PageNotFound=ERROR");
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        admin = new Api(port);
        operator = admin.as(SecurityIntegrationTests.createKey(admin, null, "operator"));
        JsonNode viewerKey = admin.post("/api/v1/admin/api-keys", "{\"role\": \"viewer\", \"name\": \"v\"}").json();
        viewer = admin.as(viewerKey.get("key").asString());
        foreignAdmin = admin.as(SecurityIntegrationTests.createKey(admin, "elsewhere", "admin"));
        JsonNode revoked = admin.post("/api/v1/admin/api-keys", "{\"role\": \"admin\", \"name\": \"gone\"}").json();
        revokedKey = revoked.get("key").asString();
        assertThat(admin.delete("/api/v1/admin/api-keys/" + revoked.get("id").asString()).status()).isEqualTo(204);

        String pool = admin.post("/api/v1/pools", "{\"name\": \"fuzz\", \"prefix\": \"2001:db8::/32\", "
                + "\"delegatedLengths\": [48, 56, 64], \"defaultLength\": 56}").json().get("id").asString();
        JsonNode active = admin.post("/api/v1/delegations", "{\"subscriberId\": \"sub-active\", \"activate\": true}").json();
        String revoking = admin.post("/api/v1/delegations", "{\"subscriberId\": \"sub-revoking\"}").json()
                .get("id").asString();
        // With a session on the silent NAS, so that it stays REVOKING.
        assertThat(admin.post("/api/v1/delegations/" + revoking + "/revoke", "{\"nas\": "
                + SilentNasInitializer.sessionJson("sub-revoking") + "}").status()).isEqualTo(200);
        targets = new Targets(pool, active.get("id").asString(), revoking, viewerKey.get("id").asString(),
                active.get("prefix").asString());

        // The read side follows by milliseconds: wait until it holds everything, and nothing moves any more.
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM delegation_view", Long.class) == 2
                && jdbc.queryForObject("SELECT count(*) FROM pool_view", Long.class) == 1
                && jdbc.queryForObject("SELECT count(*) FROM assignment_history", Long.class) == 2);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, String> first = snapshot();
            Thread.sleep(1000);
            return first.equals(snapshot());
        });
        before = snapshot();
        startedNanos = System.nanoTime();
    }

    @AfterContainer
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
    void everyHostileRequestIsAClientErrorWithProblemDetails(@ForAll("hostile") Hostile request) {
        long t0 = System.nanoTime();
        Api.Answer answer = request.headers().stream().anyMatch(HostileRequestPropertyTests::unsendable)
                ? request.caller().sendByHand(request.method(), request.path(), request.body(), request.headers())
                : request.caller().send(request.method(), request.path(), request.body(), request.headers());
        sent.incrementAndGet();
        synchronized (statuses) {
            nanosByKind.merge(request.why(), System.nanoTime() - t0, Long::sum);
            countByKind.merge(request.why(), 1, Integer::sum);
        }
        synchronized (statuses) {
            statuses.merge(answer.status(), 1, Integer::sum);
        }
        assertThat(answer.status()).as("%s answered %s", request, answer.body()).isBetween(400, 499);
        assertThat(answer.header("Content-Type")).as("%s answered %s", request, answer.body())
                .startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.path("status").asInt()).as("%s", request).isEqualTo(answer.status());
        assertThat(problem.path("type").asString()).as("%s", request).startsWith("urn:ipv6-lifecycle:problem:");
        assertThat(problem.path("detail").asString()).as("%s", request).isNotBlank();
    }

    @AfterProperty
    void theDatabaseHoldsExactlyWhatItHeldBefore() {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("Hostile requests: %d in %.1f s; statuses %s%n", sent.get(), seconds, statuses);
        nanosByKind.forEach((k, v) -> System.out.printf("  %-40s %6d %8.1f ms avg%n", k, countByKind.get(k), v / 1e6 / countByKind.get(k)));
        // Anything the requests set off (a projection, a saga) has had time to show.
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(snapshot()).isEqualTo(before);
    }

    /** Every table but the housekeeping ones, each as a digest of all its rows (folded counts as totals). */
    private static Map<String, String> snapshot() {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String table : jdbc.queryForList("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                + "ORDER BY tablename", String.class)) {
            Folded folded = FOLDED.stream().filter(f -> f.totals().equals(table) || f.deltas().equals(table))
                    .findFirst().orElse(null);
            if (folded != null) {
                digests.put(folded.totals() + " + " + folded.deltas(),
                        jdbc.queryForObject(folded.digestQuery(), String.class));
            } else if (!HOUSEKEEPING.contains(table)) {
                digests.put(table, jdbc.queryForObject("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, "
                        + "'|' ORDER BY t::text)), '') FROM \"" + table + "\" t", String.class));
            }
        }
        return digests;
    }

    /** A request, who sends it, and why it must fail. */
    record Hostile(String why, Api caller, String method, String path, String body, List<String> headers) {

        @Override
        public String toString() {
            String shown = body == null ? "" : " " + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
            return why + ": " + method + " " + path + shown + " " + headers.stream()
                    .map(h -> h.length() > 80 ? h.substring(0, 80) + "..." : h).toList();
        }
    }

    @Provide
    Arbitrary<Hostile> hostile() {
        return Arbitraries.frequencyOf(
                Tuple(3, withoutValidCredentials()),
                Tuple(3, withTooLowARole()),
                Tuple(2, asAnotherTenant()),
                Tuple(2, unknownIds()),
                Tuple(4, invalidBodies()),
                Tuple(2, forbiddenTransitionsAndConflicts()),
                Tuple(3, invalidQueries()),
                Tuple(2, abusedHeaders()),
                Tuple(3, forbiddenCharacters()));
    }

    private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends Hostile>> Tuple(int weight,
                                                                                            Arbitrary<Hostile> arbitrary) {
        return net.jqwik.api.Tuple.of(weight, arbitrary);
    }

    // ---- the endpoints, with tenant default's ids -------------------------------------------------------

    private static List<String[]> endpoints() {
        Targets t = targets;
        List<String[]> all = new ArrayList<>();
        String[][] table = {
                {"GET", "/api/v1/pools"}, {"GET", "/api/v1/pools/" + t.pool()}, {"POST", "/api/v1/pools"},
                {"POST", "/api/v1/pools/" + t.pool() + "/drain"}, {"POST", "/api/v1/pools/" + t.pool() + "/undrain"},
                {"POST", "/api/v1/pools/" + t.pool() + "/retire"},
                {"GET", "/api/v1/delegations"}, {"POST", "/api/v1/delegations"},
                {"GET", "/api/v1/delegations/" + t.active()}, {"GET", "/api/v1/delegations/" + t.active() + "/history"},
                {"POST", "/api/v1/delegations/" + t.active() + "/activate"},
                {"POST", "/api/v1/delegations/" + t.active() + "/suspend"},
                {"POST", "/api/v1/delegations/" + t.active() + "/resume"},
                {"POST", "/api/v1/delegations/" + t.active() + "/revoke"},
                {"POST", "/api/v1/delegations/" + t.revoking() + "/complete-revocation"},
                {"GET", "/api/v1/subscribers/sub-active/ipv6"},
                {"GET", "/api/v1/attribution?prefix=" + t.heldPrefix() + "&at=2030-01-01T00:00:00Z"},
                {"GET", "/api/v1/audit/events?from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"},
                {"GET", "/api/v1/stats"}, {"POST", "/api/v1/maintenance/sweep"},
                {"GET", "/api/v1/admin/projections"}, {"POST", "/api/v1/admin/projections/delegations/replay"},
                {"GET", "/api/v1/admin/api-keys"}, {"POST", "/api/v1/admin/api-keys"},
                {"DELETE", "/api/v1/admin/api-keys/" + t.viewerKeyId()}};
        for (String[] endpoint : table) {
            all.add(endpoint);
        }
        return all;
    }

    /** A body that would be accepted at the endpoint: only unauthorised callers may send it. */
    private static String acceptableBody(String path) {
        if (path.equals("/api/v1/pools")) {
            return "{\"name\": \"p\", \"prefix\": \"2001:db9::/32\", \"delegatedLengths\": [56], \"defaultLength\": 56}";
        }
        if (path.equals("/api/v1/delegations")) {
            return "{\"subscriberId\": \"sub-new\", \"activate\": true}";
        }
        if (path.equals("/api/v1/admin/api-keys")) {
            return "{\"tenant\": \"default\", \"role\": \"admin\", \"name\": \"intruder\"}";
        }
        return path.startsWith("/api/v1/delegations/") ? "{\"reason\": \"because\"}" : null;
    }

    private static List<String> json(List<String> more) {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
        headers.addAll(more);
        return headers;
    }

    // ---- families of hostile requests --------------------------------------------------------------------

    private Arbitrary<Hostile> withoutValidCredentials() {
        Arbitrary<List<String>> credentials = Arbitraries.oneOf(
                Arbitraries.just(List.<String>of()),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(300)
                        .map(token -> List.of("Authorization", "Bearer " + token)),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                        .ofLength(43).map(secret -> List.of("Authorization", "Bearer ipv6k_" + secret)),
                Arbitraries.of(
                        List.of("Authorization", "Bearer " + revokedKey),
                        List.of("Authorization", "Bearer"),
                        List.of("Authorization", "Bearer "),
                        List.of("Authorization", "bearer " + revokedKey),
                        List.of("Authorization", "Basic YWRtaW46YWRtaW4="),
                        List.of("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJ0ZW5hbnQiOiJkZWZhdWx0In0."),
                        List.of("Authorization", "Bearer a.b.c"),
                        List.of("Authorization", "Bearer " + Api.ADMIN_KEY + "x"),
                        List.of("Authorization", "Bearer " + Api.ADMIN_KEY.toUpperCase()),
                        List.of("Authorization", "Bearer " + revokedKey, "Authorization", "Bearer " + revokedKey),
                        List.of("Authorization", "Bearer " + Api.ADMIN_KEY, "Authorization", "Bearer other"),
                        List.of("Authorization", "Digest username=\"admin\""),
                        List.of("Authorization", "Bearer " + "A".repeat(4000))));
        Arbitrary<String[]> endpoint = Arbitraries.of(endpoints());
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
        return Combinators.combine(endpoint, credentials, method, Arbitraries.integers().between(0, 3))
                .as((e, auth, otherMethod, pick) -> {
                    String m = pick == 0 ? otherMethod : e[0];
                    String body = acceptableBody(e[1].split("\\?")[0]);
                    List<String> headers = body == null ? auth : json(auth);
                    return new Hostile("no valid credentials", admin.anonymous(), m, e[1], body, headers);
                });
    }

    private Arbitrary<Hostile> withTooLowARole() {
        return Arbitraries.of(endpoints()).flatMap(e -> {
            String path = e[1].split("\\?")[0];
            boolean adminOnly = path.startsWith("/api/v1/admin") || path.startsWith("/api/v1/maintenance")
                    || path.startsWith("/api/v1/audit") || (e[0].equals("POST") && path.startsWith("/api/v1/pools"));
            boolean command = !e[0].equals("GET");
            List<Api> tooLow = adminOnly ? List.of(viewer, operator) : command ? List.of(viewer) : List.of();
            if (tooLow.isEmpty()) {
                // A read: every role may; the role test of reads is an operator's PUT on it.
                return Arbitraries.just(new Hostile("method no role has", viewer, "PUT", e[1],
                        "{}", json(List.of())));
            }
            String body = acceptableBody(path);
            return Arbitraries.of(tooLow).map(api -> new Hostile("too low a role", api, e[0], e[1], body,
                    body == null ? List.of() : json(List.of())));
        });
    }

    private Arbitrary<Hostile> asAnotherTenant() {
        Targets t = targets;
        return Arbitraries.of(
                new Hostile("another tenant's pool", foreignAdmin, "GET", "/api/v1/pools/" + t.pool(), null, List.of()),
                new Hostile("another tenant's pool", foreignAdmin, "POST", "/api/v1/pools/" + t.pool() + "/drain", null, List.of()),
                new Hostile("another tenant's pool", foreignAdmin, "POST", "/api/v1/pools/" + t.pool() + "/undrain", null, List.of()),
                new Hostile("another tenant's pool", foreignAdmin, "POST", "/api/v1/pools/" + t.pool() + "/retire", null, List.of()),
                new Hostile("another tenant's pool", foreignAdmin, "POST", "/api/v1/delegations",
                        "{\"subscriberId\": \"s\", \"poolId\": \"" + t.pool() + "\"}", json(List.of())),
                new Hostile("another tenant's prefix", foreignAdmin, "POST", "/api/v1/delegations",
                        "{\"subscriberId\": \"s\", \"prefix\": \"2001:db8:ff00::/56\"}", json(List.of())),
                new Hostile("another tenant's delegation", foreignAdmin, "GET", "/api/v1/delegations/" + t.active(), null, List.of()),
                new Hostile("another tenant's delegation", foreignAdmin, "GET", "/api/v1/delegations/" + t.active() + "/history", null, List.of()),
                new Hostile("another tenant's delegation", foreignAdmin, "POST", "/api/v1/delegations/" + t.active() + "/suspend", null, List.of()),
                new Hostile("another tenant's delegation", foreignAdmin, "POST", "/api/v1/delegations/" + t.active() + "/revoke", null, List.of()),
                new Hostile("another tenant's delegation", foreignAdmin, "POST", "/api/v1/delegations/" + t.active() + "/activate", null, List.of()),
                new Hostile("another tenant's delegation", foreignAdmin, "POST", "/api/v1/delegations/" + t.revoking() + "/complete-revocation", null, List.of()),
                new Hostile("another tenant's holding", foreignAdmin, "GET", "/api/v1/attribution?prefix=" + t.heldPrefix() + "&at=2030-01-01T00:00:00Z", null, List.of()),
                new Hostile("another tenant's key", foreignAdmin, "DELETE", "/api/v1/admin/api-keys/" + t.viewerKeyId(), null, List.of()),
                new Hostile("a key for another tenant", foreignAdmin, "POST", "/api/v1/admin/api-keys",
                        "{\"tenant\": \"default\", \"role\": \"viewer\", \"name\": \"x\"}", json(List.of())));
    }

    private Arbitrary<Hostile> unknownIds() {
        Arbitrary<String> unknown = Arbitraries.create(() -> java.util.UUID.randomUUID().toString());
        Arbitrary<String> notAnId = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcdefxyz0123456789-").ofMinLength(1).ofMaxLength(60),
                Arbitraries.of("00000000-0000-0000-0000-00000000000g", "%00", "%2e%2e", "..%2f", "%ff", "null",
                        "-1", "1e9", "%20", "%7Bid%7D", "x".repeat(2000)));
        Arbitrary<String> id = Arbitraries.oneOf(unknown, notAnId);
        Arbitrary<String> template = Arbitraries.of(
                "GET /api/v1/pools/%s", "POST /api/v1/pools/%s/drain", "POST /api/v1/pools/%s/retire",
                "GET /api/v1/delegations/%s", "GET /api/v1/delegations/%s/history",
                "POST /api/v1/delegations/%s/activate", "POST /api/v1/delegations/%s/suspend",
                "POST /api/v1/delegations/%s/resume", "POST /api/v1/delegations/%s/revoke",
                "POST /api/v1/delegations/%s/complete-revocation", "DELETE /api/v1/admin/api-keys/%s",
                "POST /api/v1/admin/projections/%s/replay");
        return Combinators.combine(template, id).as((tpl, value) -> {
            String[] parts = tpl.split(" ");
            return new Hostile("unknown id", admin, parts[0], parts[1].formatted(value), null, List.of());
        });
    }

    private Arbitrary<Hostile> invalidBodies() {
        Targets t = targets;
        Arbitrary<String> garbage = Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[]", "[{}]", "\"text\"", "42", "true", "{\"a\":}", "{,}", "{\"a\" 1}",
                        "{'single': 'quotes'}", "{\"subscriberId\": \"x\"", "\u0000", "{\"a\": NaN}", "<xml/>",
                        "{\"a\": 1e999999}", "{\"nested\": " + "[".repeat(2000) + "]".repeat(2000) + "}"),
                Arbitraries.strings().ofMaxLength(200).filter(s -> !s.isBlank() && !s.strip().equals("null")
                        && !s.strip().equals("{}")));
        Arbitrary<String> poolPoison = Arbitraries.of(
                "\"prefix\": \"10.0.0.0/8\"", "\"prefix\": \"192.0.2.0/24\"", "\"prefix\": \"fe80::/10\"",
                "\"prefix\": \"fe80::/48\"", "\"prefix\": \"ff00::/8\"", "\"prefix\": \"::ffff:0:0/96\"",
                "\"prefix\": \"2001:db9::1/32\"", "\"prefix\": \"2001:db9::/129\"", "\"prefix\": \"2001:db9::\"",
                "\"prefix\": \"2001:db9::/-1\"", "\"prefix\": 20010db8", "\"prefix\": null",
                "\"prefix\": \"2001:db9::%eth0/32\"", "\"prefix\": \"2001:db8:1::/48\"",
                "\"prefix\": \"::/0\", \"delegatedLengths\": [40]",
                "\"delegatedLengths\": []", "\"delegatedLengths\": [47]", "\"delegatedLengths\": [65]",
                "\"delegatedLengths\": [56, \"x\"]", "\"delegatedLengths\": 56", "\"delegatedLengths\": [99999999999]",
                "\"delegatedLengths\": [null]", "\"defaultLength\": 64", "\"defaultLength\": null",
                "\"defaultLength\": -56", "\"defaultLength\": 1e400", "\"name\": \"\"", "\"name\": \"" + "n".repeat(201) + "\"",
                "\"name\": null", "\"quarantine\": \"forever\"", "\"staleAfter\": \"yesterday\"", "\"quarantine\": 5.5e300",
                "\"unknownField\": 1", "\"name\": {\"a\": 1}");
        Arbitrary<String> allocationPoison = Arbitraries.of(
                "\"subscriberId\": \"\"", "\"subscriberId\": \"   \"", "\"subscriberId\": null",
                "\"subscriberId\": \"" + "s".repeat(129) + "\"", "\"subscriberId\": {\"x\": 1}",
                "\"poolId\": \"not-a-uuid\"", "\"poolId\": \"" + java.util.UUID.randomUUID() + "\"", "\"poolId\": 7",
                "\"prefixLength\": 40", "\"prefixLength\": 47", "\"prefixLength\": 65", "\"prefixLength\": 57",
                "\"prefixLength\": 128", "\"prefixLength\": -1", "\"prefixLength\": 99999999999999999999",
                "\"prefixLength\": \"fifty\"", "\"prefixLength\": true",
                "\"prefix\": \"10.1.0.0/16\"", "\"prefix\": \"fe80::/64\"", "\"prefix\": \"fe80:1::/56\"",
                "\"prefix\": \"2001:db8::1/56\"", "\"prefix\": \"2001:db9::/56\"", "\"prefix\": \"" + t.heldPrefix() + "\"",
                "\"prefix\": \"2001:db8::/56\", \"prefixLength\": 64", "\"prefix\": \"ff02::/64\"",
                "\"activate\": \"yes\"", "\"activate\": [true]", "\"nas\": {}", "\"nas\": {\"username\": \"u\"}",
                "\"nas\": {\"username\": \"u\", \"nasIp\": \"not an ip\", \"sessionId\": \"s\"}", "\"nas\": 5",
                "\"unknownField\": true", "\"tenantId\": \"elsewhere\"");
        Arbitrary<String> keyPoison = Arbitraries.of(
                "\"role\": \"root\"", "\"role\": \"ADMIN\"", "\"role\": null", "\"role\": 1", "\"name\": \"\"",
                "\"name\": \"" + "k".repeat(101) + "\"", "\"tenant\": \"UPPER\"", "\"tenant\": \"-x\"",
                "\"tenant\": \"\"", "\"tenant\": \"" + "t".repeat(64) + "\"", "\"tenant\": \"a b\"", "\"key\": \"mine\"",
                "\"id\": \"" + java.util.UUID.randomUUID() + "\"");
        Arbitrary<String> transitionPoison = Arbitraries.of(
                "{\"reason\": \"" + "r".repeat(501) + "\"}", "{\"unknownField\": 1}", "{\"reason\": {\"a\": 1}}",
                "{\"reason\": [\"a\"]}", "{\"nas\": {}}", "{\"nas\": {\"username\": \"\", \"nasIp\": \"1.2.3.4\", "
                        + "\"sessionId\": \"s\"}}", "{\"nas\": {\"username\": \"u\", \"nasIp\": \"1.2.3.4; rm\", "
                        + "\"sessionId\": \"s\"}}", "[]", "{\"reason\": \"x\"");
        Arbitrary<Hostile> pools = poolPoison.map(poison -> new Hostile("invalid pool", admin, "POST", "/api/v1/pools",
                "{\"name\": \"p\", \"prefix\": \"2001:db9::/32\", \"delegatedLengths\": [48, 56], \"defaultLength\": 56, "
                        + poison + "}", json(List.of())));
        Arbitrary<Hostile> allocations = allocationPoison.map(poison -> new Hostile("invalid allocation", operator,
                "POST", "/api/v1/delegations", "{\"subscriberId\": \"sub-x\", \"poolId\": \"" + t.pool() + "\", "
                + poison + "}", json(List.of())));
        Arbitrary<Hostile> keys = keyPoison.map(poison -> new Hostile("invalid key request", admin, "POST",
                "/api/v1/admin/api-keys", "{\"role\": \"viewer\", \"name\": \"n\", " + poison + "}", json(List.of())));
        Arbitrary<Hostile> transitions = Combinators.combine(transitionPoison,
                Arbitraries.of("activate", "suspend", "resume", "revoke"),
                Arbitraries.of(t.active(), t.revoking())).as((body, command, id) -> new Hostile("invalid transition",
                operator, "POST", "/api/v1/delegations/" + id + "/" + command, body, json(List.of())));
        Arbitrary<Hostile> unparsable = Combinators.combine(garbage,
                Arbitraries.of("/api/v1/pools", "/api/v1/delegations", "/api/v1/admin/api-keys",
                        "/api/v1/delegations/" + t.active() + "/suspend", "/api/v1/delegations/" + t.active() + "/revoke",
                        "/api/v1/pools/" + t.pool() + "/drain"))
                .as((body, path) -> new Hostile("unparsable body", admin, "POST", path, body, json(List.of())));
        return Arbitraries.oneOf(pools, allocations, keys, transitions, unparsable);
    }

    private Arbitrary<Hostile> forbiddenTransitionsAndConflicts() {
        Targets t = targets;
        return Arbitraries.of(
                new Hostile("forbidden transition", operator, "POST", "/api/v1/delegations/" + t.revoking() + "/activate", null, List.of()),
                new Hostile("forbidden transition", operator, "POST", "/api/v1/delegations/" + t.revoking() + "/suspend",
                        "{\"reason\": \"late\"}", json(List.of())),
                new Hostile("forbidden transition", admin, "POST", "/api/v1/delegations/" + t.revoking() + "/resume", null, List.of()),
                new Hostile("pool still holds prefixes", admin, "POST", "/api/v1/pools/" + t.pool() + "/retire", null, List.of()),
                new Hostile("overlapping pool", admin, "POST", "/api/v1/pools", "{\"name\": \"o\", \"prefix\": "
                        + "\"2001:db8:100::/40\", \"delegatedLengths\": [56], \"defaultLength\": 56}", json(List.of())),
                new Hostile("overlapping pool", admin, "POST", "/api/v1/pools", "{\"name\": \"o\", \"prefix\": "
                        + "\"2001::/16\", \"delegatedLengths\": [48], \"defaultLength\": 48}", json(List.of())),
                new Hostile("prefix held by another", operator, "POST", "/api/v1/delegations",
                        "{\"subscriberId\": \"sub-thief\", \"prefix\": \"" + t.heldPrefix() + "\"}", json(List.of())),
                new Hostile("no pool holds it", operator, "POST", "/api/v1/delegations",
                        "{\"subscriberId\": \"sub-x\", \"prefix\": \"2001:db9:1::/56\"}", json(List.of())),
                new Hostile("unknown projection", admin, "POST", "/api/v1/admin/projections/everything/replay", null, List.of()),
                new Hostile("unknown key", admin, "DELETE", "/api/v1/admin/api-keys/" + java.util.UUID.randomUUID(), null, List.of()));
    }

    private Arbitrary<Hostile> invalidQueries() {
        Arbitrary<String> query = Arbitraries.of(
                "/api/v1/pools?size=0", "/api/v1/pools?size=501", "/api/v1/pools?page=-1", "/api/v1/pools?size=abc",
                "/api/v1/pools?page=99999999999", "/api/v1/delegations?state=BOGUS", "/api/v1/delegations?prefix=10.0.0.0/8",
                "/api/v1/delegations?prefix=fe80::/64", "/api/v1/delegations?prefix=2001:db8::1/48",
                "/api/v1/delegations?poolId=x", "/api/v1/delegations?size=100000", "/api/v1/delegations?page=1000001",
                "/api/v1/delegations?subscriberId=" + "s".repeat(129),
                "/api/v1/subscribers/" + "s".repeat(129) + "/ipv6",
                "/api/v1/attribution?address=10.0.0.1&at=2030-01-01T00:00:00Z",
                "/api/v1/attribution?address=fe80::1&at=2030-01-01T00:00:00Z",
                "/api/v1/attribution?address=::ffff:10.0.0.1&at=2030-01-01T00:00:00Z",
                "/api/v1/attribution?address=2001:db8::1/64&at=2030-01-01T00:00:00Z",
                "/api/v1/attribution?address=2001:db8::1", "/api/v1/attribution?at=2030-01-01T00:00:00Z",
                "/api/v1/attribution?address=2001:db8::1&prefix=2001:db8::/48&at=2030-01-01T00:00:00Z",
                "/api/v1/attribution?prefix=2001:db8::1/48&at=2030-01-01T00:00:00Z",
                "/api/v1/attribution?address=2001:db8::1&at=tomorrow",
                "/api/v1/attribution?address=2001:db8::1&at=1999-01-01T00:00:00Z",
                "/api/v1/attribution?address=2001:db9::1&at=2030-01-01T00:00:00Z",
                "/api/v1/audit/events?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
                "/api/v1/audit/events?from=2020-01-01T00:00:00Z", "/api/v1/audit/events?from=x&to=y",
                "/api/v1/admin/api-keys?size=0", "/api/v1/admin/api-keys?page=-5", "/api/v1/nothing-here",
                "/api/v2/pools", "/api/v1/pools/", "/api/v1/delegations/%25zz");
        return Combinators.combine(query, Arbitraries.of(viewer, admin)).as((path, api) -> {
            boolean adminOnly = path.startsWith("/api/v1/audit") || path.startsWith("/api/v1/admin");
            return new Hostile("invalid query", adminOnly ? admin : api, "GET", path, null, List.of());
        });
    }

    private Arbitrary<Hostile> abusedHeaders() {
        Targets t = targets;
        String overlapping = "{\"name\": \"o\", \"prefix\": \"2001:db8:200::/40\", \"delegatedLengths\": [56], "
                + "\"defaultLength\": 56}";
        String validAllocation = "{\"subscriberId\": \"sub-header\", \"poolId\": \"" + t.pool() + "\"}";
        return Arbitraries.of(
                new Hostile("Idempotency-Key too long", operator, "POST", "/api/v1/delegations", validAllocation,
                        json(List.of("Idempotency-Key", "k".repeat(256)))),
                new Hostile("two Idempotency-Keys", operator, "POST", "/api/v1/delegations", validAllocation,
                        json(List.of("Idempotency-Key", "a", "Idempotency-Key", "b"))),
                new Hostile("Idempotency-Key with a tab", operator, "POST", "/api/v1/delegations", validAllocation,
                        json(List.of("Idempotency-Key", "a\tb"))),
                new Hostile("not JSON", operator, "POST", "/api/v1/delegations", validAllocation,
                        List.of("Content-Type", "text/plain")),
                new Hostile("form instead of JSON", operator, "POST", "/api/v1/delegations", "subscriberId=x",
                        List.of("Content-Type", "application/x-www-form-urlencoded")),
                new Hostile("XML", operator, "POST", "/api/v1/delegations", "<a/>", List.of("Content-Type", "application/xml")),
                new Hostile("no content type", operator, "POST", "/api/v1/delegations", validAllocation, List.of()),
                new Hostile("body too large", admin, "POST", "/api/v1/pools", "{\"name\": \"" + "x".repeat(70_000) + "\"}",
                        json(List.of())),
                new Hostile("body too large with a key", operator, "POST", "/api/v1/delegations",
                        "{\"subscriberId\": \"" + "x".repeat(70_000) + "\"}", json(List.of("Idempotency-Key", "big"))),
                new Hostile("overlap with a huge header", admin, "POST", "/api/v1/pools", overlapping,
                        json(List.of("X-Padding", "p".repeat(4000)))),
                new Hostile("overlap with odd Accept", admin, "POST", "/api/v1/pools", overlapping,
                        json(List.of("Accept", "text/html"))),
                new Hostile("wrong method", admin, "PUT", "/api/v1/pools/" + t.pool(), overlapping, json(List.of())),
                new Hostile("wrong method", admin, "PATCH", "/api/v1/delegations/" + t.active(), "{}", json(List.of())),
                new Hostile("wrong method", admin, "DELETE", "/api/v1/delegations/" + t.active(), null, List.of()),
                new Hostile("wrong method", admin, "DELETE", "/api/v1/pools/" + t.pool(), null, List.of()),
                new Hostile("wrong method", admin, "GET", "/api/v1/delegations/" + t.active() + "/revoke", null, List.of()),
                new Hostile("charset nobody knows", admin, "POST", "/api/v1/pools", overlapping,
                        List.of("Content-Type", "application/json; charset=klingon")));
    }

    // ---- characters no text input may hold, inside values that would otherwise be taken -----------------

    /** C0 (tab and newline included), DEL and C1 controls, U+0000 first among them. */
    private static final List<Character> CONTROLS = List.of('\u0000', '\u0001', '\t', '\n', '\r', '\u001b',
            '\u007f', '\u0080', '\u0085', '\u009f');

    private Arbitrary<Hostile> forbiddenCharacters() {
        Targets t = targets;
        Arbitrary<Character> control = Arbitraries.of(CONTROLS);
        // In JSON: escaped, raw (a raw C0 control is not even valid JSON; a raw C1 is), or half a surrogate pair.
        Arbitrary<String> inJson = Arbitraries.oneOf(
                control.map(c -> "\\u%04x".formatted((int) c)),
                control.map(String::valueOf),
                Arbitraries.of("\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud83d x"));
        Arbitrary<String> inUrl = control.map(c -> java.net.URLEncoder.encode(String.valueOf(c),
                StandardCharsets.UTF_8));
        Arbitrary<String> inHeader = control.map(String::valueOf);
        Arbitrary<Hostile> bodies = Combinators.combine(Arbitraries.of(acceptedBodies(t)), inJson,
                Arbitraries.integers().between(0, 1_000)).as((parts, bad, at) -> new Hostile(
                        "forbidden character in the body", parts[0].equals("admin") ? admin : operator, "POST",
                        parts[1], parts[2].formatted(inside(parts[3], bad, at)), json(List.of())));
        Arbitrary<Hostile> parameters = Combinators.combine(Arbitraries.of(
                        "GET /api/v1/delegations?subscriberId=%s", "GET /api/v1/subscribers/%s/ipv6",
                        "GET /api/v1/attribution?address=%s&at=2030-01-01T00:00:00Z", "GET /api/v1/pools?%s=1",
                        "POST /api/v1/admin/projections/%s/replay", "GET /api/v1/delegations?state=ACTIVE&%s=x"),
                Arbitraries.of("sub-active", "2001:db8::1", "page", "delegations"), inUrl,
                Arbitraries.integers().between(0, 1_000)).as((template, value, bad, at) -> {
                    String[] parts = template.split(" ");
                    return new Hostile("forbidden character in a parameter", admin, parts[0],
                            parts[1].formatted(inside(value, bad, at)), null, List.of());
                });
        String allocation = "{\"subscriberId\": \"sub-key\", \"poolId\": \"" + t.pool() + "\"}";
        Arbitrary<Hostile> headers = Combinators.combine(inHeader, Arbitraries.integers().between(0, 1_000),
                Arbitraries.of("Idempotency-Key", "Authorization")).as((bad, at, header) -> header.startsWith("Auth")
                ? new Hostile("forbidden character in a header", admin.anonymous(), "POST", "/api/v1/delegations",
                        allocation, json(List.of("Authorization", "Bearer " + inside(Api.ADMIN_KEY, bad, at))))
                : new Hostile("forbidden character in a header", operator, "POST", "/api/v1/delegations", allocation,
                        json(List.of("Idempotency-Key", inside("key-" + at, bad, at)))));
        return Arbitraries.oneOf(bodies, parameters, headers);
    }

    /** java.net.http refuses to send a control character but tab in a header, and sends C1 ones as '?'. */
    private static boolean unsendable(String header) {
        return header.chars().anyMatch(c -> c != '\t' && Character.isISOControl(c));
    }

    /**
     * Requests that would be taken (and change the database) but for the one value: who sends it, the path,
     * the body with %s for that value, and the value.
     */
    private static List<String[]> acceptedBodies(Targets t) {
        String nas = "{\"username\": \"%s\", \"nasIp\": \"192.0.2.10\", \"sessionId\": \"s-1\"}";
        return List.of(
                new String[] {"admin", "/api/v1/pools", "{\"name\": \"%s\", \"prefix\": \"2001:db9::/32\", "
                        + "\"delegatedLengths\": [56], \"defaultLength\": 56}", "pool-name"},
                new String[] {"operator", "/api/v1/delegations", "{\"subscriberId\": \"%s\", \"poolId\": \""
                        + t.pool() + "\"}", "sub-new"},
                new String[] {"operator", "/api/v1/delegations", "{\"subscriberId\": \"sub-nas\", \"poolId\": \""
                        + t.pool() + "\", \"nas\": " + nas + "}", "alice@isp.example"},
                new String[] {"operator", "/api/v1/delegations/" + t.active() + "/suspend", "{\"reason\": \"%s\"}",
                        "unpaid invoice"},
                new String[] {"operator", "/api/v1/delegations/" + t.active() + "/revoke", "{\"reason\": \"moved\", "
                        + "\"nas\": {\"username\": \"u\", \"nasIp\": \"192.0.2.10\", \"sessionId\": \"%s\"}}",
                        "5A3F0001"},
                new String[] {"admin", "/api/v1/pools/" + t.pool() + "/drain", "{\"reason\": \"%s\"}", "renumbering"},
                new String[] {"admin", "/api/v1/admin/api-keys", "{\"role\": \"viewer\", \"name\": \"%s\"}",
                        "billing system"});
    }

    /**
     * {@code value} with {@code inserted} after one of its characters but the last, chosen by {@code at}. Never
     * at either end: a header's leading and trailing tabs are whitespace that HTTP strips, not part of the value.
     */
    private static String inside(String value, String inserted, int at) {
        int position = 1 + at % (value.length() - 1);
        return value.substring(0, position) + inserted + value.substring(position);
    }
}

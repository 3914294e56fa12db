package dev.ipv6lifecycle.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console's session security over plain HTTP, without a browser: redirects to the sign-in, the
 * Content-Security-Policy, the cookie's flags, CSRF on every change, a revoked key's session, Idempotency-Key
 * on the actions, and an API that a console session does not open.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSecurityTests {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    private HttpClient browser;
    /** An admin of a tenant of this class's own, with a pool to allocate from. */
    private Api admin;
    private String adminKey;

    @BeforeAll
    void makeATenant() {
        Api.Answer key = new Api(port).post("/api/v1/admin/api-keys", "{\"tenant\": \"console-security-"
                + UUID.randomUUID().toString().substring(0, 8) + "\", \"role\": \"admin\", \"name\": \"console\"}");
        adminKey = key.json().get("key").asString();
        admin = new Api(port).as(adminKey);
        assertThat(admin.post("/api/v1/pools", """
                {"name": "console", "prefix": "2001:db8::/40", "delegatedLengths": [56], "defaultLength": 56}""")
                .status()).isEqualTo(201);
    }

    @BeforeEach
    void newBrowser() {
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Test
    void theRootAndEveryPageLeadToTheSignInWithAStrictContentSecurityPolicy() throws Exception {
        assertThat(location(get("/"))).isEqualTo("/console/");
        HttpResponse<String> pools = get("/console/pools");
        assertThat(pools.statusCode()).isEqualTo(302);
        assertThat(location(pools)).isEqualTo("/console/sign-in");

        HttpResponse<String> signIn = get("/console/sign-in");
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; "
                + "script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'");
        assertThat(signIn.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(signIn.body()).doesNotContain("<script>").doesNotContain("style=");
    }

    @Test
    void signsInOnlyWithACsrfTokenAndGivesAnHttpOnlySameSiteCookie() throws Exception {
        assertThat(post("/console/sign-in", "apiKey=" + Api.ADMIN_KEY).statusCode()).isEqualTo(403);

        String before = get("/console/sign-in").headers().firstValue("Set-Cookie").orElse("");
        HttpResponse<String> signedIn = signIn(Api.ADMIN_KEY);
        assertThat(location(signedIn)).isEqualTo("/console/");
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        // A new session id at sign-in: one planted before it (session fixation) is worth nothing.
        assertThat(cookie.split(";")[0]).isNotEqualTo(before.split(";")[0]);
        assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Strict")
                // Plain HTTP here; over TLS the container adds Secure.
                .doesNotContain("Secure");
        assertThat(get("/console/pools").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAChangeWithoutTheCsrfTokenEvenWhenSignedIn() throws Exception {
        String delegation = activeDelegation();
        signIn(adminKey);
        HttpResponse<String> refused = post("/console/delegations/" + delegation + "/suspend", "reason=no+token");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(admin.get("/api/v1/delegations/" + delegation + "/history").json().size()).isEqualTo(2);
    }

    @Test
    void anActionWithAnIdempotencyKeyTwiceActsOnce() throws Exception {
        String delegation = activeDelegation();
        signIn(adminKey);
        String token = csrf(get("/console/delegations/" + delegation).body());
        String key = UUID.randomUUID().toString();
        String form = "_csrf=" + encode(token) + "&reason=twice&confirmed=on";
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/console/delegations/" + delegation + "/suspend"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
            assertThat(location(answer)).isEqualTo("/console/delegations/" + delegation);
            assertThat(answer.headers().firstValue("Idempotent-Replayed")).isEqualTo(attempt == 0
                    ? java.util.Optional.empty() : java.util.Optional.of("true"));
        }
        // Allocated, activated, suspended once.
        assertThat(admin.get("/api/v1/delegations/" + delegation + "/history").json().size()).isEqualTo(3);
    }

    @Test
    void aRevokedKeysSessionEndsWithItsNextRequest() throws Exception {
        Api.Answer created = admin.post("/api/v1/admin/api-keys", "{\"role\": \"viewer\", \"name\": \"console revoked\"}");
        signIn(created.json().get("key").asString());
        assertThat(get("/console/pools").statusCode()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/admin/api-keys/" + created.json().get("id").asString()).status()).isEqualTo(204);
        HttpResponse<String> after = get("/console/pools");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(location(after)).isEqualTo("/console/sign-in?expired");
    }

    @Test
    void aConsoleSessionDoesNotOpenTheApi() throws Exception {
        signIn(Api.ADMIN_KEY);
        HttpResponse<String> api = get("/api/v1/pools");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void aConsoleSessionOfAnAaaKeyDoesNotOpenTheAaaEndpoints() throws Exception {
        Api.Answer created = admin.post("/api/v1/admin/api-keys", "{\"role\": \"aaa\", \"name\": \"console aaa\"}");
        signIn(created.json().get("key").asString());

        HttpResponse<String> aaa = send(HttpRequest.newBuilder(uri("/api/v1/aaa/authorize"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"User-Name\":{\"type\":\"string\",\"value\":[\"x\"]}}")));

        assertThat(aaa.statusCode()).isEqualTo(401);
        assertThat(aaa.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void theOpenApiDocumentHoldsNoneOfTheConsolesPages() {
        List<String> paths = new ArrayList<>();
        new Api(port).anonymous().get("/v3/api-docs").json().path("paths").propertyNames().forEach(paths::add);
        assertThat(paths).isNotEmpty().allMatch(path -> path.startsWith("/api/"));
    }

    private String activeDelegation() {
        Api.Answer allocated = admin.post("/api/v1/delegations", "{\"subscriberId\": \"console-" + UUID.randomUUID() + "\"}");
        assertThat(allocated.status()).as(allocated.body()).isEqualTo(201);
        String id = allocated.json().get("id").asString();
        assertThat(admin.post("/api/v1/delegations/" + id + "/activate", "{}").status()).isEqualTo(200);
        return id;
    }

    private HttpResponse<String> signIn(String apiKey) throws Exception {
        String token = csrf(get("/console/sign-in").body());
        HttpResponse<String> answer = post("/console/sign-in", "_csrf=" + encode(token) + "&apiKey=" + encode(apiKey));
        assertThat(answer.statusCode()).isEqualTo(302);
        return answer;
    }

    /** Where a redirect leads, within this service. */
    private String location(HttpResponse<String> redirect) {
        String base = "http://127.0.0.1:" + port;
        String location = redirect.headers().firstValue("Location").orElseThrow();
        return location.startsWith(base) ? location.substring(base.length()) : location;
    }

    private static String csrf(String page) {
        Matcher token = CSRF.matcher(page);
        assertThat(token.find()).as("a CSRF token in the page").isTrue();
        return token.group(1);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}

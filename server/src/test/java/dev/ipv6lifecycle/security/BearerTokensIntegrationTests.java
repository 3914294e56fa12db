package dev.ipv6lifecycle.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * JWTs of an issuer whose keys are served as a JWK set on loopback (the test signs its own tokens with an RSA
 * key it generated), beside API keys; and no credential of either kind in the log, with Spring Security's
 * and the service's debug logging on.
 */
@IntegrationTest
@TestPropertySource(properties = {"logging.level.org.springframework.security=DEBUG",
        "logging.level.dev.ipv6lifecycle=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
// A context of its own: closed afterwards, so that its event processors do not hold segments, as another node
// would, while the shared context's tests replay projections.
@DirtiesContext
class BearerTokensIntegrationTests {

    private static final RSAKey ISSUER_KEY = rsaKey("issuer");
    private static final RSAKey STRANGER_KEY = rsaKey("issuer"); // same key id, another key
    private static final HttpServer JWKS = jwkSetServer();

    @LocalServerPort
    int port;

    private Api admin;
    private final List<String> secrets = new ArrayList<>(List.of(Api.ADMIN_KEY));

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry properties) {
        properties.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json");
    }

    @AfterAll
    static void stopIssuerAndDebugLogging() {
        JWKS.stop(0);
        // Levels are global to the JVM: the applications of later test classes would go on logging at DEBUG.
        LoggingSystem logging = LoggingSystem.get(BearerTokensIntegrationTests.class.getClassLoader());
        logging.setLogLevel("org.springframework.security", null);
        logging.setLogLevel("dev.ipv6lifecycle", null);
    }

    @BeforeEach
    void setUp() {
        admin = new Api(port);
    }

    @Test
    void acceptsTheIssuersJwtWithTenantAndScopeAndRecordsItsSubjectAsTheActor() {
        String pool = createPool(admin);
        String operatorToken = jwt(ISSUER_KEY, Map.of("sub", "alice@isp.example", "tenant", "default",
                "scope", "openid operator"), 300);
        Api alice = admin.as(operatorToken);

        Api.Answer allocated = alice.post("/api/v1/delegations", "{\"subscriberId\": \"sub-" + UUID.randomUUID()
                + "\", \"poolId\": \"" + pool + "\"}");
        assertThat(allocated.status()).as(allocated.body()).isEqualTo(201);
        String delegation = allocated.json().get("id").asString();
        assertThat(alice.get("/api/v1/delegations/" + delegation + "/history").json().get(0).get("actor").asString())
                .isEqualTo("jwt:alice@isp.example");
        alice.post("/api/v1/pools/" + pool + "/drain", null).assertProblem(403, "forbidden");
    }

    @Test
    void takesTheTenantFromTheTokenAndTheRoleFromScpToo() {
        String pool = createPool(admin);
        Api elsewhere = admin.as(jwt(ISSUER_KEY, Map.of("sub", "bob", "tenant", "jwt-tenant",
                "scp", List.of("admin")), 300));

        assertThat(elsewhere.get("/api/v1/pools?size=500").status()).isEqualTo(200);
        assertThat(elsewhere.get("/api/v1/pools?size=500").body()).doesNotContain(pool);
        elsewhere.get("/api/v1/pools/" + pool).assertProblem(404, "not-found");
        elsewhere.post("/api/v1/pools/" + pool + "/drain", null).assertProblem(404, "not-found");
    }

    @Test
    void refusesExpiredForeignTenantlessAndUnsignedTokens() {
        Map<String, Object> good = Map.of("sub", "carol", "tenant", "default", "scope", "viewer");
        assertThat(admin.as(jwt(ISSUER_KEY, good, 300)).get("/api/v1/pools").status()).isEqualTo(200);

        admin.as(jwt(ISSUER_KEY, good, -300)).get("/api/v1/pools").assertProblem(401, "unauthorized");
        admin.as(jwt(STRANGER_KEY, good, 300)).get("/api/v1/pools").assertProblem(401, "unauthorized");
        admin.as(jwt(ISSUER_KEY, Map.of("sub", "carol", "scope", "admin"), 300)).get("/api/v1/pools")
                .assertProblem(401, "unauthorized");
        admin.as(jwt(ISSUER_KEY, Map.of("sub", "carol", "tenant", "Not A Tenant", "scope", "admin"), 300))
                .get("/api/v1/pools").assertProblem(401, "unauthorized");
        admin.as(jwt(ISSUER_KEY, Map.of("tenant", "default", "scope", "admin"), 300)).get("/api/v1/pools")
                .assertProblem(401, "unauthorized");
        String signed = jwt(ISSUER_KEY, good, 300);
        String unsigned = "eyJhbGciOiJub25lIn0." + signed.split("\\.")[1] + ".";
        admin.as(unsigned).get("/api/v1/pools").assertProblem(401, "unauthorized");
        // Authenticated, but without a role scope: allowed nothing.
        admin.as(jwt(ISSUER_KEY, Map.of("sub", "dave", "tenant", "default", "scope", "openid"), 300))
                .get("/api/v1/pools").assertProblem(403, "forbidden");
    }

    @Test
    void neverLogsAKeyOrATokenWhetherAcceptedOrRefused(CapturedOutput output) {
        Api.Answer created = admin.post("/api/v1/admin/api-keys", "{\"role\": \"operator\", \"name\": \"logged?\"}");
        String key = created.json().get("key").asString();
        String keyId = created.json().get("id").asString();
        String token = jwt(ISSUER_KEY, Map.of("sub", "erin", "tenant", "default", "scope", "admin"), 300);
        String expired = jwt(ISSUER_KEY, Map.of("sub", "erin", "tenant", "default", "scope", "admin"), -300);
        String forged = jwt(STRANGER_KEY, Map.of("sub", "erin", "tenant", "default", "scope", "admin"), 300);
        secrets.addAll(List.of(key, token, expired, forged));

        assertThat(admin.as(key).get("/api/v1/pools").status()).isEqualTo(200);
        assertThat(admin.as(key).post("/api/v1/pools", "{}").status()).isEqualTo(403);
        assertThat(admin.as(key + "x").get("/api/v1/pools").status()).isEqualTo(401);
        assertThat(admin.as(token).get("/api/v1/stats").status()).isEqualTo(200);
        assertThat(admin.as(expired).get("/api/v1/stats").status()).isEqualTo(401);
        assertThat(admin.as(forged).get("/api/v1/stats").status()).isEqualTo(401);
        assertThat(admin.delete("/api/v1/admin/api-keys/" + keyId).status()).isEqualTo(204);
        assertThat(admin.as(key).get("/api/v1/pools").status()).isEqualTo(401);

        String log = output.getAll();
        // The debug log did see these requests (by the key's id): the check below looks at the right output.
        assertThat(log).contains("api-key:" + keyId);
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
            // Not in part either: the random half of a key, the signature of a token.
            String tail = secret.contains(".") ? secret.substring(secret.lastIndexOf('.') + 1)
                    : secret.substring(secret.length() / 2);
            assertThat(log).doesNotContain(tail);
        }
        assertThat(log).doesNotContain("generated security password");
    }

    private static String createPool(Api admin) {
        Api.Answer created = admin.post("/api/v1/pools",
                SecurityIntegrationTests.Fixture.poolJson(TestPrefixes.uniqueSlash48()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static String jwt(RSAKey key, Map<String, Object> claims, long validForSeconds) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issueTime(Date.from(Instant.now().minusSeconds(600)))
                .expirationTime(Date.from(Instant.now().plusSeconds(validForSeconds)))
                .jwtID(UUID.randomUUID().toString());
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                builder.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static RSAKey rsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer jwkSetServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(ISSUER_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

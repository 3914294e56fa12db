package dev.ipv6lifecycle.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.api.delegation.FailActivationCommand;
import dev.ipv6lifecycle.server.SilentNasInitializer;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.server.web.Caller;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import java.time.Duration;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;

/**
 * Drives delegations into every lifecycle state over HTTP, plus every pool operation, a rejected
 * command and RADIUS authorizations. The revocation saga completes a revocation without NAS session details at once; one with a
 * session on the integration tests' silent NAS stays REVOKING. FAILED is what the activation saga's
 * compensation sends, through the command gateway.
 */
final class Workload {

    private Workload() {
    }

    /** The pool the delegations were allocated in, a /48 of its own. */
    static String run(Api http, CommandGateway commands) {
        String pool = created(http.post("/api/v1/pools", "{\"name\": \"metrics\", \"prefix\": \""
                + TestPrefixes.uniqueSlash48() + "\", \"delegatedLengths\": [56, 64], \"defaultLength\": 56}"));
        String subscriber = "sub-" + UUID.randomUUID();

        allocate(http, pool, subscriber + "-allocated", false, 56);
        allocate(http, pool, subscriber + "-active", true, 64);
        String suspended = allocate(http, pool, subscriber + "-suspended", true, 56);
        ok(http.post("/api/v1/delegations/" + suspended + "/suspend", "{\"reason\": \"unpaid\"}"));
        String revoking = allocate(http, pool, subscriber + "-revoking", true, 56);
        ok(http.post("/api/v1/delegations/" + revoking + "/suspend", null));
        ok(http.post("/api/v1/delegations/" + revoking + "/resume", null));
        ok(http.post("/api/v1/delegations/" + revoking + "/revoke", "{\"reason\": \"contract ended\", \"nas\": "
                + SilentNasInitializer.sessionJson(subscriber + "-revoking") + "}"));
        String revoked = allocate(http, pool, subscriber + "-revoked", true, 56);
        ok(http.post("/api/v1/delegations/" + revoked + "/revoke", null));
        String failed = allocate(http, pool, subscriber + "-failed", false, 64);
        commands.sendAndWait(new FailActivationCommand(UUID.fromString(failed), Caller.DEFAULT_TENANT, "NAS refused"));
        String revokedFromAllocated = allocate(http, pool, subscriber + "-revoked-early", false, 56);
        ok(http.post("/api/v1/delegations/" + revokedFromAllocated + "/revoke", "{\"nas\": "
                + SilentNasInitializer.sessionJson(subscriber + "-revoked-early") + "}"));

        // FreeRADIUS asking: a prefix, a suspended one, and a subscriber without a delegation.
        Api.Answer aaaKey = http.post("/api/v1/admin/api-keys", "{\"role\": \"aaa\", \"name\": \"metrics\"}");
        assertThat(aaaKey.status()).as(aaaKey.body()).isEqualTo(201);
        Api radius = http.as(aaaKey.json().get("key").asString());
        for (String[] asked : new String[][] {{"-active", "200"}, {"-suspended", "200"}, {"-unknown", "204"}}) {
            assertThat(radius.post("/api/v1/aaa/authorize", "{\"User-Name\": {\"type\": \"string\", \"value\": [\""
                    + subscriber + asked[0] + "\"]}}").status()).isEqualTo(Integer.parseInt(asked[1]));
        }
        // And its accounting: a session starts (the tenant's drift series exist from here on).
        assertThat(radius.post("/api/v1/aaa/accounting", "{\"Acct-Status-Type\": {\"value\": [\"Start\"]}, "
                + "\"NAS-IP-Address\": {\"value\": [\"127.0.0.1\"]}, \"Acct-Session-Id\": {\"value\": [\""
                + subscriber + "\"]}, \"User-Name\": {\"value\": [\"" + subscriber + "-active\"]}}").status())
                .isEqualTo(204);

        // A refused transition: a revoking delegation cannot be suspended (409, outcome "rejected").
        assertThat(http.post("/api/v1/delegations/" + revoking + "/suspend", null).status()).isEqualTo(409);

        String drained = created(http.post("/api/v1/pools", "{\"name\": \"metrics-drained\", \"prefix\": \""
                + TestPrefixes.uniqueSlash48() + "\", \"delegatedLengths\": [56], \"defaultLength\": 56}"));
        ok(http.post("/api/v1/pools/" + drained + "/drain", null));
        ok(http.post("/api/v1/pools/" + drained + "/undrain", null));
        ok(http.post("/api/v1/pools/" + drained + "/retire", null));
        return pool;
    }

    private static String allocate(Api http, String pool, String subscriber, boolean activate, int length) {
        String id = created(http.post("/api/v1/delegations", "{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \""
                + pool + "\", \"prefixLength\": " + length + ", \"activate\": " + activate + "}"));
        if (activate) {
            // The answer may still say ALLOCATED when the activation saga took longer than the API waits
            // (ipv6.api.activation-wait) on a loaded machine; the workload's next steps need it ACTIVE.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> // 404 until the read side has it
                    "ACTIVE".equals(http.get("/api/v1/delegations/" + id).json().get("state").asString()));
        }
        return id;
    }

    private static String created(Api.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().get("id").asString();
    }

    private static void ok(Api.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
}

package dev.ipv6lifecycle.aaa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.server.web.Api;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A new tenant, holding nothing yet, for the AAA tests: its admin (who may do what an operator does) and the key
 * of its FreeRADIUS (role aaa). A tenant of its own lets each test use fixed prefixes and user names.
 */
record AaaTenant(String name, Api admin, String aaaKey) {

    static AaaTenant create(Api installationAdmin) {
        String name = "aaa-" + UUID.randomUUID().toString().substring(0, 8);
        return new AaaTenant(name, installationAdmin.as(key(installationAdmin, name, "admin")),
                key(installationAdmin, name, "aaa"));
    }

    static String key(Api installationAdmin, String tenant, String role) {
        Api.Answer key = installationAdmin.post("/api/v1/admin/api-keys", "{\"tenant\": \"" + tenant + "\", \"role\": \""
                + role + "\", \"name\": \"aaa test\"}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        return key.json().get("key").asString();
    }

    String pool(String prefix, boolean allocateOnFirstSight) {
        Api.Answer created = admin.post("/api/v1/pools", "{\"name\": \"p-" + UUID.randomUUID() + "\", \"prefix\": \""
                + prefix + "\", \"delegatedLengths\": [56], \"defaultLength\": 56, \"quarantine\": \"P1D\", "
                + "\"allocateOnFirstSight\": " + allocateOnFirstSight + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** A new delegation of {@code subscriberId}; {@code more} adds JSON members, e.g. {@code , "radiusUserName": "x"}. */
    JsonNode allocate(String subscriberId, String more) {
        Api.Answer allocated = admin.post("/api/v1/delegations", "{\"subscriberId\": \"" + subscriberId + "\"" + more
                + "}");
        assertThat(allocated.status()).as(allocated.body()).isEqualTo(201);
        return allocated.json();
    }

    JsonNode transition(String delegationId, String command) {
        Api.Answer answer = admin.post("/api/v1/delegations/" + delegationId + "/" + command, "{}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** An Access-Request for {@code userName} as rlm_rest sends it with body = 'json', with the aaa key as Basic password. */
    Api.Answer authorize(String userName) {
        return authorize(admin, aaaKey, userName);
    }

    static Api.Answer authorize(Api service, String key, String userName) {
        String body = "{\"User-Name\":{\"type\":\"string\",\"value\":[\"" + userName + "\"]},"
                + "\"NAS-IP-Address\":{\"type\":\"ipaddr\",\"value\":[\"192.0.2.10\"]},"
                + "\"Service-Type\":{\"type\":\"integer\",\"value\":[\"Framed-User\"]}}";
        return service.send("POST", "/api/v1/aaa/authorize", body, Map.of("Content-Type", "application/json",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(("freeradius:" + key).getBytes()),
                "X-FreeRADIUS-Section", "authorize", "X-FreeRADIUS-Server", "default"));
    }
}

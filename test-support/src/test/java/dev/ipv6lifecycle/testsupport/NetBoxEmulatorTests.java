package dev.ipv6lifecycle.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The emulator answers as NetBox 4 does, so client tests against it mean something. */
class NetBoxEmulatorTests {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private NetBoxEmulator netbox;

    @BeforeEach
    void start() {
        netbox = NetBoxEmulator.start();
    }

    @AfterEach
    void stop() {
        netbox.close();
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(netbox.url()).startsWith("http://127.0.0.1:");
    }

    @Test
    void createsAPrefixAnswering201WithTheFullObject() throws Exception {
        int tenant = netbox.seedTenant("acme", "ACME Broadband");

        HttpResponse<String> created = send("POST", "/api/ipam/prefixes/",
                "{\"prefix\": \"2001:DB8:12:3400:0::/56\", \"status\": \"active\", \"tenant\": " + tenant
                        + ", \"description\": \"ours\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json.readTree(created.body());
        assertThat(body.path("id").asInt()).isEqualTo(1);
        assertThat(body.path("url").asString()).isEqualTo(netbox.url() + "/api/ipam/prefixes/1/");
        assertThat(body.path("display").asString()).isEqualTo("2001:db8:12:3400::/56");
        assertThat(body.path("prefix").asString()).isEqualTo("2001:db8:12:3400::/56");
        assertThat(body.path("family").path("value").asInt()).isEqualTo(6);
        assertThat(body.path("family").path("label").asString()).isEqualTo("IPv6");
        assertThat(body.path("status").path("value").asString()).isEqualTo("active");
        assertThat(body.path("status").path("label").asString()).isEqualTo("Active");
        assertThat(body.path("tenant").path("slug").asString()).isEqualTo("acme");
        assertThat(body.path("tenant").path("id").asInt()).isEqualTo(tenant);
        assertThat(body.path("vrf").isNull()).isTrue();
        assertThat(body.path("description").asString()).isEqualTo("ours");
        assertThat(body.path("created").asString()).endsWith("Z");
        assertThat(body.path("last_updated").asString()).endsWith("Z");
        assertThat(body.path("tags").isArray()).isTrue();
    }

    @Test
    void answersValidationErrorsAsFieldErrors() throws Exception {
        netbox.seedPrefix("2001:db8::/56", "someone else's", null);

        JsonNode duplicate = json.readTree(send("POST", "/api/ipam/prefixes/", "{\"prefix\": \"2001:db8::/56\"}").body());
        HttpResponse<String> tooLong = send("POST", "/api/ipam/prefixes/",
                "{\"prefix\": \"2001:db8:1::/56\", \"description\": \"" + "x".repeat(201) + "\"}");
        HttpResponse<String> missing = send("POST", "/api/ipam/prefixes/", "{\"status\": \"active\"}");
        HttpResponse<String> badTenant = send("POST", "/api/ipam/prefixes/",
                "{\"prefix\": \"2001:db8:1::/56\", \"tenant\": 99}");

        assertThat(duplicate.path("prefix").get(0).asString())
                .isEqualTo("Duplicate prefix found in global table: 2001:db8::/56");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json.readTree(tooLong.body()).path("description").get(0).asString())
                .isEqualTo("Ensure this field has no more than 200 characters.");
        assertThat(json.readTree(missing.body()).path("prefix").get(0).asString()).isEqualTo("This field is required.");
        assertThat(json.readTree(badTenant.body()).path("tenant").get(0).asString())
                .isEqualTo("Related object not found using the provided numeric ID: 99");
        assertThat(netbox.records()).hasSize(1);
    }

    @Test
    void patchesAndDeletesAndAnswers404ForWhatIsGone() throws Exception {
        int id = netbox.seedPrefix("2001:db8::/56", "before", null);

        HttpResponse<String> patched = send("PATCH", "/api/ipam/prefixes/" + id + "/", "{\"description\": \"after\"}");
        HttpResponse<String> deleted = send("DELETE", "/api/ipam/prefixes/" + id + "/", null);
        HttpResponse<String> again = send("DELETE", "/api/ipam/prefixes/" + id + "/", null);

        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json.readTree(patched.body()).path("description").asString()).isEqualTo("after");
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json.readTree(again.body()).path("detail").asString()).isEqualTo("Not found.");
    }

    @Test
    void paginatesWithCountNextAndPreviousLikeDjangoRestFramework() throws Exception {
        for (int i = 0; i < 5; i++) {
            netbox.seedPrefix("2001:db8:" + i + "::/48", "ipv6-lifecycle " + i, null);
        }
        netbox.seedPrefix("2001:db8:ff::/48", "not ours", null);

        JsonNode first = json.readTree(send("GET", "/api/ipam/prefixes/?description__isw=ipv6-lifecycle+&limit=2", null)
                .body());
        JsonNode second = json.readTree(send("GET",
                "/api/ipam/prefixes/?description__isw=ipv6-lifecycle+&limit=2&offset=2", null).body());
        JsonNode last = json.readTree(send("GET",
                "/api/ipam/prefixes/?description__isw=ipv6-lifecycle+&limit=2&offset=4", null).body());

        assertThat(first.path("count").asInt()).isEqualTo(5);
        assertThat(first.path("previous").isNull()).isTrue();
        assertThat(first.path("next").asString()).isEqualTo(
                netbox.url() + "/api/ipam/prefixes/?description__isw=ipv6-lifecycle+&limit=2&offset=2");
        assertThat(first.path("results")).extracting(r -> r.path("prefix").asString())
                .containsExactly("2001:db8::/48", "2001:db8:1::/48");
        assertThat(second.path("previous").asString())
                .isEqualTo(netbox.url() + "/api/ipam/prefixes/?description__isw=ipv6-lifecycle+&limit=2");
        assertThat(last.path("next").isNull()).isTrue();
        assertThat(last.path("results")).hasSize(1);
    }

    @Test
    void filtersPrefixesByPrefixWhateverItsSpellingAndTenantsBySlug() throws Exception {
        netbox.seedTenant("acme", "ACME Broadband");
        netbox.seedPrefix("2001:db8:12:3400::/56", "x", "acme");
        netbox.seedPrefix("2001:db8:12:3500::/56", "y", null);

        JsonNode prefixes = json.readTree(send("GET", "/api/ipam/prefixes/?prefix=2001:DB8:12:3400:0:0::/56", null)
                .body());
        JsonNode tenants = json.readTree(send("GET", "/api/tenancy/tenants/?slug=acme", null).body());
        JsonNode none = json.readTree(send("GET", "/api/tenancy/tenants/?slug=globex", null).body());

        assertThat(prefixes.path("count").asInt()).isEqualTo(1);
        assertThat(prefixes.path("results").get(0).path("description").asString()).isEqualTo("x");
        assertThat(tenants.path("results").get(0).path("name").asString()).isEqualTo("ACME Broadband");
        assertThat(none.path("count").asInt()).isZero();
    }

    @Test
    void refusesAWrongOrMissingTokenWith403() throws Exception {
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(netbox.url() + "/api/ipam/prefixes/"))
                .header("Authorization", "Token 0000000000000000000000000000000000000000").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(netbox.url() + "/api/ipam/prefixes/"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(json.readTree(wrong.body()).path("detail").asString()).isEqualTo("Invalid v1 token");
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(json.readTree(missing.body()).path("detail").asString())
                .isEqualTo("Authentication credentials were not provided.");
    }

    @Test
    void redirectsAPathWithoutItsTrailingSlash() throws Exception {
        HttpResponse<String> answer = send("GET", "/api/ipam/prefixes?limit=1", null);

        assertThat(answer.statusCode()).isEqualTo(301);
        assertThat(answer.headers().firstValue("Location")).contains("/api/ipam/prefixes/?limit=1");
    }

    @Test
    void failsTheNextRequestsOnDemandThenRecovers() throws Exception {
        netbox.failNext(2, 500);

        HttpResponse<String> first = send("GET", "/api/ipam/prefixes/", null);
        HttpResponse<String> second = send("GET", "/api/ipam/prefixes/", null);
        HttpResponse<String> third = send("GET", "/api/ipam/prefixes/", null);

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(json.readTree(first.body()).path("error").asString()).isEqualTo("Server Error");
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(netbox.requests()).hasSize(3);
    }

    @Test
    void delaysAnswersSoClientsTimeOut() {
        netbox.delay(Duration.ofSeconds(3));

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(netbox.url()
                        + "/api/ipam/prefixes/")).timeout(Duration.ofMillis(200))
                        .header("Authorization", "Token " + netbox.token()).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(netbox.url() + path))
                .header("Authorization", "Token " + netbox.token())
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

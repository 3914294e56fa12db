package dev.ipv6lifecycle.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The pool gauges, read from the command side's free blocks, show what {@code GET /api/v1/pools/{id}}
 * computes from the read side's held prefixes: on a pool with four delegated lengths, live and quarantined
 * prefixes, and after a quarantine has ended and its prefix returned to the free space.
 */
@IntegrationTest
class PoolGaugesIntegrationTests {

    private static final List<Integer> LENGTHS = List.of(52, 56, 60, 64);

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Test
    void freePrefixesAndUtilisationEqualThePoolsCapacityWithMixedLengthsAndQuarantinedPrefixes() {
        Api http = new Api(port);
        String pool = populatedPool(http, "P1D");

        // 4096 + 2 x 256 + 16 + 3 of the 65,536 /64s are reserved, one /56 and one /64 of them in quarantine.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode view = http.get("/api/v1/pools/" + pool).json();
            assertThat(view.get("capacity").get("64").get("quarantined").asLong()).isEqualTo(1);
            assertThat(view.get("capacity").get("56").get("quarantined").asLong()).isEqualTo(1);
            assertThat(view.get("utilizationPercent").asDouble()).isEqualTo(100.0 * (4096 + 2 * 256 + 16 + 3) / 65_536);
            assertGaugesEqual(view, pool);
        });
    }

    @Test
    void aPrefixWhoseQuarantineEndedIsFreeAgainInTheGauges() {
        Api http = new Api(port);
        String pool = populatedPool(http, "PT1S");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode view = http.get("/api/v1/pools/" + pool).json();
            assertThat(view.get("capacity").get("64").get("quarantined").asLong()).isZero();
            assertThat(view.get("capacity").get("56").get("quarantined").asLong()).isZero();
            assertThat(view.get("utilizationPercent").asDouble()).isEqualTo(100.0 * (4096 + 256 + 16 + 2) / 65_536);
            assertGaugesEqual(view, pool);
        });
    }

    /** A /48 serving four lengths, seven delegations of them, one /56 and one /64 revoked into quarantine. */
    private static String populatedPool(Api http, String quarantine) {
        String pool = created(http.post("/api/v1/pools", "{\"name\": \"gauges\", \"prefix\": \""
                + TestPrefixes.uniqueSlash48() + "\", \"delegatedLengths\": [52, 56, 60, 64], \"defaultLength\": 56, "
                + "\"quarantine\": \"" + quarantine + "\"}"));
        String subscriber = "sub-" + UUID.randomUUID();
        allocate(http, pool, subscriber + "-a", 52);
        allocate(http, pool, subscriber + "-b", 56);
        String revoked56 = allocate(http, pool, subscriber + "-c", 56);
        allocate(http, pool, subscriber + "-d", 60);
        allocate(http, pool, subscriber + "-e", 64);
        String revoked64 = allocate(http, pool, subscriber + "-f", 64);
        allocate(http, pool, subscriber + "-g", 64);
        assertThat(http.post("/api/v1/delegations/" + revoked56 + "/revoke", null).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/delegations/" + revoked64 + "/revoke", null).status()).isEqualTo(200);
        return pool;
    }

    private void assertGaugesEqual(JsonNode view, String pool) {
        for (int length : LENGTHS) {
            assertThat(gauge("ipv6.pool.free.prefixes", pool, Tags.of("length", String.valueOf(length))))
                    .as("free /%d", length)
                    .isEqualTo(view.get("capacity").get(String.valueOf(length)).get("free").asDouble());
        }
        assertThat(gauge("ipv6.pool.utilization.percent", pool, Tags.empty()))
                .isEqualTo(view.get("utilizationPercent").asDouble());
        assertThat(gauge("ipv6.pool.largest.free.block.length", pool, Tags.empty()))
                .isEqualTo(view.get("largestFreeBlock").asDouble());
    }

    /**
     * The gauge's value; a failed assertion, which the await retries, while the gauges' refresh has not yet
     * registered the new pool's (the read side may show the pool first).
     */
    private double gauge(String name, String pool, Tags tags) {
        Gauge gauge = registry.find(name).tag("pool", pool).tags(tags).gauge();
        assertThat(gauge).as("%s of pool %s %s", name, pool, tags).isNotNull();
        return gauge.value();
    }

    private static String allocate(Api http, String pool, String subscriber, int length) {
        return created(http.post("/api/v1/delegations", "{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \"" + pool
                + "\", \"prefixLength\": " + length + ", \"activate\": true}"));
    }

    private static String created(Api.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().get("id").asString();
    }
}

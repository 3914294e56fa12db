package dev.ipv6lifecycle.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/delegations/bulk}: many allocations in one request, each answered on its own. */
@IntegrationTest
class BulkAllocationIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private Api http;
    private String space;
    private String pool;

    @BeforeEach
    void createPool() {
        http = new Api(port);
        space = TestPrefixes.uniqueSlash48();
        Api.Answer created = http.post("/api/v1/pools", "{\"name\": \"bulk " + space + "\", \"prefix\": \"" + space
                + "\", \"delegatedLengths\": [56, 64], \"defaultLength\": 56, \"quarantine\": \"PT24H\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        pool = created.json().get("id").asString();
    }

    @Test
    void allocatesEveryItemInOrderAsSingleAllocationsWould() {
        List<String> items = IntStream.range(0, 40).mapToObj(i -> item("bulk-" + i, "")).toList();

        JsonNode answer = bulk(items);

        assertThat(answer.get("allocated").asInt()).isEqualTo(40);
        assertThat(answer.get("failed").asInt()).isZero();
        Ipv6Prefix base = Ipv6Prefix.parse(space);
        for (int i = 0; i < 40; i++) {
            JsonNode item = answer.get("items").get(i);
            assertThat(item.get("index").asInt()).isEqualTo(i);
            assertThat(item.get("status").asInt()).isEqualTo(201);
            assertThat(item.get("delegation").get("subscriberId").asString()).isEqualTo("bulk-" + i);
            assertThat(item.get("delegation").get("state").asString()).isEqualTo("ALLOCATED");
            // Best fit, lowest address first: the i-th /56 of the pool, as i single allocations would get.
            assertThat(item.get("delegation").get("prefix").asString())
                    .isEqualTo(base.subPrefix(56, BigInteger.valueOf(i)).toString());
            assertThat(item.has("problem")).isFalse();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE pool_id = ?::uuid", Long.class, pool))
                .isEqualTo(40);
        assertThat(jdbc.queryForList("SELECT DISTINCT convert_from(e.meta_data, 'UTF8')::jsonb ->> 'actor' "
                + "FROM domain_event_entry e JOIN prefix_reservation r ON r.delegation_id::text = e.aggregate_identifier "
                + "WHERE r.pool_id = ?::uuid", String.class, pool))
                .as("every event records the caller as its actor").hasSize(1).doesNotContainNull();
    }

    @Test
    void anItemThatCannotBePlacedFailsAloneAndTheOthersAreStored() {
        String taken = Ipv6Prefix.parse(space).subPrefix(56, BigInteger.valueOf(255)).toString();
        List<String> items = new ArrayList<>();
        items.add(item("static", ", \"prefix\": \"" + taken + "\""));
        items.add(item("", ""));
        items.add(item("again", ", \"prefix\": \"" + taken + "\""));
        // 255 /56s are left after the static one: the last three of these find none.
        IntStream.range(0, 258).forEach(i -> items.add(item("fill-" + i, "")));

        JsonNode answer = bulk(items);

        assertThat(answer.get("allocated").asInt()).isEqualTo(256);
        assertThat(answer.get("failed").asInt()).isEqualTo(5);
        JsonNode results = answer.get("items");
        assertThat(results.get(0).get("status").asInt()).isEqualTo(201);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(1).get("problem").get("errors").get(0).get("field").asString()).isEqualTo("subscriberId");
        assertThat(results.get(2).get("status").asInt()).isEqualTo(409);
        assertThat(results.get(2).get("problem").get("type").asString()).isEqualTo("urn:ipv6-lifecycle:problem:conflict");
        assertThat(results.get(2).get("problem").get("detail").asString()).contains(taken);
        for (int i = 3; i < 258; i++) {
            assertThat(results.get(i).get("status").asInt()).as("item %d", i).isEqualTo(201);
        }
        for (int i = 258; i < 261; i++) {
            assertThat(results.get(i).get("status").asInt()).as("item %d", i).isEqualTo(409);
            assertThat(results.get(i).get("problem").get("detail").asString()).contains("no free /56");
        }
        Set<String> prefixes = new HashSet<>();
        results.forEach(result -> {
            if (result.has("delegation")) {
                prefixes.add(result.get("delegation").get("prefix").asString());
            }
        });
        assertThat(prefixes).hasSize(256);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE pool_id = ?::uuid", Long.class, pool))
                .isEqualTo(256);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM free_block WHERE pool_id = ?::uuid", Long.class, pool))
                .as("the pool is full").isZero();
    }

    @Test
    void theSameIdempotencyKeyAnswersTheSameBatchWithoutAllocatingAgain() {
        String body = batch(List.of(item("idem-1", ""), item("idem-2", "")));
        String key = "bulk-" + UUID.randomUUID();

        Api.Answer first = http.post("/api/v1/delegations/bulk", body, key);
        Api.Answer again = http.post("/api/v1/delegations/bulk", body, key);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE pool_id = ?::uuid", Long.class, pool))
                .isEqualTo(2);
    }

    @Test
    void refusesAnEmptyBatchAndOneOfMoreThanAThousandItems() {
        http.post("/api/v1/delegations/bulk", "{\"items\": []}").assertProblem(400, "invalid-request");
        String tooMany = batch(IntStream.range(0, 1001).mapToObj(i -> item("many-" + i, "")).toList());
        JsonNode problem = http.post("/api/v1/delegations/bulk", tooMany).assertProblem(400, "invalid-request");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("items");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE pool_id = ?::uuid", Long.class, pool))
                .isZero();
    }

    private JsonNode bulk(List<String> items) {
        Api.Answer answer = http.post("/api/v1/delegations/bulk", batch(items));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private String item(String subscriber, String more) {
        return "{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \"" + pool + "\"" + more + "}";
    }

    private static String batch(List<String> items) {
        return items.stream().collect(Collectors.joining(", ", "{\"items\": [", "]}"));
    }
}

package dev.ipv6lifecycle.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Tenant quotas through the REST API on real PostgreSQL: enforced in each allocation's transaction, so
 * concurrency cannot exceed them; quarantined prefixes count; bulk items count one by one.
 */
@IntegrationTest
class TenantQuotaIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry registry;

    private Api installation;
    private Api tenantAdmin;
    private String tenant;
    private String pool;

    @BeforeEach
    void createTenantWithAPool() {
        installation = new Api(port);
        tenant = "quota-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Answer key = installation.post("/api/v1/admin/api-keys",
                "{\"tenant\": \"" + tenant + "\", \"role\": \"admin\", \"name\": \"quota test\"}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        tenantAdmin = installation.as(key.json().get("key").asString());
        String space = TestPrefixes.uniqueSlash48();
        Api.Answer created = tenantAdmin.post("/api/v1/pools", "{\"name\": \"quota\", \"prefix\": \"" + space
                + "\", \"delegatedLengths\": [56, 64], \"defaultLength\": 64, \"quarantine\": \"P1D\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        pool = created.json().get("id").asString();
    }

    @Test
    void sixtyFourConcurrentAllocationsWithTenLeftGiveExactlyTenDelegationsAndFiftyFourQuotaProblems() throws Exception {
        IntStream.range(0, 5).forEach(i -> assertThat(allocate("before-" + i, 64).status()).isEqualTo(201));
        JsonNode set = setQuota("{\"total\": 15}");
        assertThat(set.get("total").get("used").asLong()).as("the quota starts from what is held").isEqualTo(5);

        ExecutorService threads = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Api.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String subscriber = "concurrent-" + i;
            answers.add(threads.submit(() -> {
                start.await();
                return allocate(subscriber, 64);
            }));
        }
        start.countDown();
        List<Api.Answer> created = new ArrayList<>();
        List<JsonNode> refused = new ArrayList<>();
        for (Future<Api.Answer> answer : answers) {
            Api.Answer done = answer.get();
            if (done.status() == 201) {
                created.add(done);
            } else {
                refused.add(done.assertProblem(409, "quota-exceeded"));
            }
        }
        threads.shutdown();

        assertThat(created).hasSize(10);
        assertThat(refused).hasSize(54);
        refused.forEach(problem -> {
            assertThat(problem.get("quota").asString()).isEqualTo("total");
            assertThat(problem.get("limit").asLong()).isEqualTo(15);
            assertThat(problem.get("used").asLong()).isEqualTo(15);
            assertThat(problem.get("detail").asString()).contains(tenant).contains("15 held").contains("at most 15");
        });
        assertThat(heldInPostgres()).isEqualTo(15);
        assertThat(quota().get("total").get("used").asLong()).isEqualTo(15);
    }

    @Test
    void bulkItemsCountOneByOneAndOnlyThoseAboveTheQuotaAreRefused() {
        setQuota("{\"total\": 3}");
        String items = String.join(", ", IntStream.range(0, 5)
                .mapToObj(i -> "{\"subscriberId\": \"bulk-" + i + "\"}").toList());

        JsonNode answer = tenantAdmin.post("/api/v1/delegations/bulk", "{\"items\": [" + items + "]}").json();
        assertThat(answer.get("allocated").asInt()).as(answer.toString()).isEqualTo(3);
        assertThat(answer.get("failed").asInt()).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            assertThat(answer.get("items").get(i).get("status").asInt()).isEqualTo(201);
        }
        for (int i = 3; i < 5; i++) {
            JsonNode problem = answer.get("items").get(i).get("problem");
            assertThat(answer.get("items").get(i).get("status").asInt()).isEqualTo(409);
            assertThat(problem.get("type").asString()).isEqualTo("urn:ipv6-lifecycle:problem:quota-exceeded");
            assertThat(problem.get("used").asLong()).as(answer.toString()).isEqualTo(3);
        }
        assertThat(heldInPostgres()).isEqualTo(3);
    }

    @Test
    void aQuarantinedPrefixCountsUntilItsQuarantineEnds() {
        Api.Answer shortQuarantine = tenantAdmin.post("/api/v1/pools", "{\"name\": \"short\", \"prefix\": \""
                + TestPrefixes.uniqueSlash48() + "\", \"delegatedLengths\": [64], \"defaultLength\": 64, "
                + "\"quarantine\": \"PT10S\"}");
        assertThat(shortQuarantine.status()).as(shortQuarantine.body()).isEqualTo(201);
        pool = shortQuarantine.json().get("id").asString();
        setQuota("{\"total\": 2}");
        String first = allocate("leaving", 64).json().get("id").asString();
        assertThat(allocate("staying", 64).status()).isEqualTo(201);
        assertThat(tenantAdmin.post("/api/v1/delegations/" + first + "/revoke", "{\"reason\": \"gone\"}").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "REVOKED".equals(
                tenantAdmin.get("/api/v1/delegations/" + first).json().get("state").asString()));

        JsonNode refused = allocate("newcomer", 64).assertProblem(409, "quota-exceeded");
        assertThat(refused.get("used").asLong()).as("the quarantined prefix counts").isEqualTo(2);

        // The quarantine's deadline gives the prefix back to free space, and to the quota.
        await().atMost(Duration.ofSeconds(60)).until(() -> quota().get("total").get("used").asLong() == 1);
        assertThat(allocate("newcomer", 64).status()).isEqualTo(201);
    }

    @Test
    void aLimitLoweredBelowItsUseRefusesNewAllocationsAndKeepsTheHeldOnes() {
        setQuota("{\"total\": 5}");
        IntStream.range(0, 4).forEach(i -> assertThat(allocate("kept-" + i, 64).status()).isEqualTo(201));

        JsonNode lowered = setQuota("{\"total\": 2}");

        assertThat(lowered.get("total").get("limit").asLong()).isEqualTo(2);
        assertThat(lowered.get("total").get("used").asLong()).isEqualTo(4);
        JsonNode problem = allocate("one-more", 64).assertProblem(409, "quota-exceeded");
        assertThat(problem.get("used").asLong()).isEqualTo(4);
        assertThat(problem.get("limit").asLong()).isEqualTo(2);
        assertThat(heldInPostgres()).isEqualTo(4);
    }

    @Test
    void aQuotaPerLengthLimitsThatLengthOnly() {
        JsonNode set = setQuota("{\"perLength\": {\"56\": 1}}");
        assertThat(set.get("total").isNull()).isTrue();

        assertThat(allocate("a", 56).status()).isEqualTo(201);
        JsonNode problem = allocate("b", 56).assertProblem(409, "quota-exceeded");
        assertThat(problem.get("quota").asString()).isEqualTo("/56");
        assertThat(allocate("c", 64).status()).isEqualTo(201);
        assertThat(quota().get("perLength").get("56").get("used").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            // find, not get: a meter not registered yet fails the assertion, which the wait retries.
            Gauge limit = registry.find("ipv6.tenant.quota.limit").tag("tenant", tenant).tag("length", "56").gauge();
            Gauge used = registry.find("ipv6.tenant.quota.used").tag("tenant", tenant).tag("length", "56").gauge();
            assertThat(limit).isNotNull();
            assertThat(used).isNotNull();
            assertThat(limit.value()).isEqualTo(1.0);
            assertThat(used.value()).isEqualTo(1.0);
            assertThat(registry.find("ipv6.tenant.quota.limit").tag("tenant", tenant).tag("length", "total").gauges())
                    .isEmpty();
        });

        JsonNode removed = setQuota("{}");
        assertThat(removed.get("perLength").isEmpty()).isTrue();
        assertThat(allocate("b", 56).status()).as("without a quota nothing limits the tenant").isEqualTo(201);
    }

    @Test
    void onlyAnAdminOfTenantDefaultSetsOrReadsQuotas() {
        tenantAdmin.send("PUT", "/api/v1/admin/quotas/" + tenant, "{\"total\": 1000}",
                Map.of("Content-Type", "application/json")).assertProblem(403, "forbidden");
        tenantAdmin.get("/api/v1/admin/quotas/" + tenant).assertProblem(403, "forbidden");
        assertThat(quota().get("total").isNull()).isTrue();
    }

    private Api.Answer allocate(String subscriber, int length) {
        return tenantAdmin.post("/api/v1/delegations", "{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \"" + pool
                + "\", \"prefixLength\": " + length + "}");
    }

    private JsonNode setQuota(String body) {
        Api.Answer answer = installation.send("PUT", "/api/v1/admin/quotas/" + tenant, body,
                Map.of("Content-Type", "application/json"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private JsonNode quota() {
        return installation.get("/api/v1/admin/quotas/" + tenant).json();
    }

    private long heldInPostgres() {
        return jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE tenant_id = ?", Long.class, tenant);
    }
}

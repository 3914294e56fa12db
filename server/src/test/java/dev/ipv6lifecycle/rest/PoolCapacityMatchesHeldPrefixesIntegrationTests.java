package dev.ipv6lifecycle.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.Ipv6LifecycleApplication;
import dev.ipv6lifecycle.server.SilentNasInitializer;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * GET /api/v1/pools/{id} and GET /api/v1/pools read capacity from the command side's free blocks and the
 * held-prefix counters (migration V14). On the real command side, after allocations of three lengths,
 * revocations into quarantine, reclaims by returning subscribers, quarantines that end, and a replay of the
 * delegations projection, both answer exactly what the SQL of before V14 computes by scanning the pool's
 * held prefixes.
 */
class PoolCapacityMatchesHeldPrefixesIntegrationTests {

    private static final List<Integer> LENGTHS = List.of(56, 60, 64);

    @Test
    void bothPoolReadsEqualAScanOfTheHeldPrefixesThroughQuarantinesReclaimsAndAReplay() {
        String database = SharedPostgres.freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(database));
        try (ConfigurableApplicationContext node = new SpringApplicationBuilder(Ipv6LifecycleApplication.class)
                .initializers(new SilentNasInitializer())
                .run("--spring.datasource.url=" + database, "--spring.datasource.username=" + SharedPostgres.USER,
                        "--spring.datasource.password=", "--server.port=0", "--ipv6.metrics.refresh=PT0.2S")) {
            Api http = new Api(Integer.parseInt(node.getEnvironment().getProperty("local.server.port")));
            // A short quarantine: some end during the test, others are reclaimed before (long enough for that on
            // a loaded machine).
            String pool = created(http.post("/api/v1/pools", "{\"name\": \"capacity\", \"prefix\": \""
                    + TestPrefixes.uniqueSlash48() + "\", \"delegatedLengths\": [56, 60, 64], \"defaultLength\": 64,"
                    + " \"quarantine\": \"PT10S\"}"));
            Random random = new Random(20260314);
            List<String> subscribers = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            List<String> delegations = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String subscriber = "sub-" + i;
                subscribers.add(subscriber);
                lengths.add(LENGTHS.get(random.nextInt(LENGTHS.size())));
                delegations.add(allocate(http, pool, subscriber, lengths.get(i)));
            }
            // Without NAS session details a revocation completes at once: the prefix goes into quarantine.
            for (int i = 0; i < 40; i += 3) {
                ok(http.post("/api/v1/delegations/" + delegations.get(i) + "/revoke", null));
            }
            assertTheReadsEqualAScan(http, jdbc, pool);
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM prefix_reservation WHERE pool_id = ?::uuid AND quarantined_until IS NOT NULL",
                    Long.class, pool) == 14);

            // Half of the revoked subscribers come back within their quarantine and get their prefix again.
            for (int i = 0; i < 40; i += 6) {
                allocate(http, pool, subscribers.get(i), lengths.get(i));
            }
            assertTheReadsEqualAScan(http, jdbc, pool);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM delegation_view WHERE pool_id = ?::uuid AND reclaimed_from IS NOT NULL",
                    Long.class, pool)).as("reclaims").isPositive();

            // The other quarantines end; the reclaimed ones end in their old delegation's history only.
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("""
                    SELECT count(*) FROM delegation_view
                    WHERE pool_id = ?::uuid AND state = 'REVOKED' AND quarantine_ended_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM delegation_view r WHERE r.reclaimed_from = delegation_view.delegation_id)""",
                    Long.class, pool) == 0);
            assertTheReadsEqualAScan(http, jdbc, pool);

            assertThat(http.post("/api/v1/admin/projections/delegations/replay", null).status()).isBetween(200, 202);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (JsonNode projection : http.get("/api/v1/admin/projections").json()) {
                    if (projection.get("replaying").asBoolean()) {
                        return false;
                    }
                }
                return true;
            });
            assertTheReadsEqualAScan(http, jdbc, pool);
        }
    }

    /** The read side is asynchronous: both answers must come to equal the scan once it has caught up. */
    private static void assertTheReadsEqualAScan(Api http, JdbcTemplate jdbc, String pool) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<String, Object> scanned = scanned(jdbc, pool);
            assertThat(shown(http.get("/api/v1/pools/" + pool).json())).isEqualTo(scanned);
            JsonNode listed = null;
            for (JsonNode candidate : http.get("/api/v1/pools?size=50").json().get("content")) {
                if (candidate.get("id").asString().equals(pool)) {
                    listed = candidate;
                }
            }
            assertThat(listed).isNotNull();
            assertThat(shown(listed)).isEqualTo(scanned);
        });
    }

    private static Map<String, Object> shown(JsonNode view) {
        Map<String, Object> shown = new TreeMap<>();
        for (int length : LENGTHS) {
            JsonNode capacity = view.get("capacity").get(String.valueOf(length));
            shown.put(length + " total", capacity.get("total").bigIntegerValue());
            shown.put(length + " allocated", capacity.get("allocated").asLong());
            shown.put(length + " quarantined", capacity.get("quarantined").asLong());
            shown.put(length + " free", capacity.get("free").bigIntegerValue());
        }
        shown.put("utilization", view.get("utilizationPercent").asDouble());
        return shown;
    }

    /**
     * The pool API's SQL before V14, as the oracle: every held prefix of the pool, counted per length, and
     * the /L blocks that a longer held prefix cuts out of the /L capacity.
     */
    private static Map<String, Object> scanned(JdbcTemplate jdbc, String pool) {
        int poolLength = jdbc.queryForObject("SELECT masklen(prefix) FROM pool_view WHERE pool_id = ?::uuid",
                Integer.class, pool);
        Map<Integer, long[]> held = new TreeMap<>();
        jdbc.query("""
                SELECT length, count(*) FILTER (WHERE NOT quarantined) AS live, count(*) FILTER (WHERE quarantined) AS quarantined
                FROM held_prefix WHERE pool_id = ?::uuid GROUP BY length""", row -> {
            held.put(row.getInt("length"), new long[] {row.getLong("live"), row.getLong("quarantined")});
        }, pool);
        Map<String, Object> scanned = new TreeMap<>();
        for (int length : LENGTHS) {
            long cut = jdbc.queryForObject("""
                    SELECT count(DISTINCT set_masklen(prefix, ?)) FROM held_prefix WHERE pool_id = ?::uuid AND length > ?""",
                    Long.class, length, pool, length);
            BigInteger total = BigInteger.ONE.shiftLeft(length - poolLength);
            BigInteger free = total.subtract(BigInteger.valueOf(cut));
            for (Map.Entry<Integer, long[]> ofLength : held.entrySet()) {
                if (ofLength.getKey() <= length) {
                    long prefixes = ofLength.getValue()[0] + ofLength.getValue()[1];
                    free = free.subtract(BigInteger.valueOf(prefixes).shiftLeft(length - ofLength.getKey()));
                }
            }
            long[] same = held.getOrDefault(length, new long[2]);
            scanned.put(length + " total", total);
            scanned.put(length + " allocated", same[0]);
            scanned.put(length + " quarantined", same[1]);
            scanned.put(length + " free", free);
        }
        scanned.put("utilization", jdbc.queryForObject(
                "SELECT utilization_percent FROM pool_utilization WHERE pool_id = ?::uuid", Double.class, pool));
        return scanned;
    }

    private static String allocate(Api http, String pool, String subscriber, int length) {
        return created(http.post("/api/v1/delegations", "{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \""
                + pool + "\", \"prefixLength\": " + length + "}"));
    }

    private static String created(Api.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().get("id").asString();
    }

    private static void ok(Api.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
}

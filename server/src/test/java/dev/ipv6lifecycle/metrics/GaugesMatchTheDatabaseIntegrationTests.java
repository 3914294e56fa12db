package dev.ipv6lifecycle.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.Ipv6LifecycleApplication;
import dev.ipv6lifecycle.server.SilentNasInitializer;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The read-side gauges (docs/monitoring.md) show what the database holds: after a workload across every state, and in a
 * new application on the same database, at once (restored at start-up, not rebuilt from new events).
 */
class GaugesMatchTheDatabaseIntegrationTests {

    @Test
    void theGaugesEqualADirectCountInTheDatabaseAfterAWorkloadAndAfterARestart() {
        // A database of its own: the counts below are of every row, which no other test may add to.
        String database = SharedPostgres.freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(database));
        Map<String, Double> counts;
        Map<String, Double> expected;
        String pool;

        try (ConfigurableApplicationContext first = start(database, "PT0.2S")) {
            Api http = new Api(port(first));
            pool = Workload.run(http, first.getBean(CommandGateway.class));
            // The projections are asynchronous: wait until the read side holds all seven delegations.
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    jdbc.queryForObject("SELECT count(*) FROM delegation_view", Long.class) == 7
                            && jdbc.queryForObject("SELECT count(*) FROM pool_view", Long.class) == 2
                            && jdbc.queryForObject("SELECT count(*) FROM delegation_view WHERE state IN ('REVOKED', 'FAILED')",
                            Long.class) == 2);
            counts = databaseCounts(jdbc);
            assertThat(counts).containsEntry("prefixes " + pool + " ALLOCATED", 1.0)
                    .containsEntry("prefixes " + pool + " ACTIVE", 1.0)
                    .containsEntry("prefixes " + pool + " SUSPENDED", 1.0)
                    .containsEntry("prefixes " + pool + " REVOKING", 2.0)
                    .containsEntry("prefixes " + pool + " REVOKED", 1.0)
                    .containsEntry("prefixes " + pool + " FAILED", 1.0);
            expected = new TreeMap<>(counts);
            // Utilisation, worked out from the workload: five /56s (allocated, suspended, two revoking, one
            // revoked in its quarantine) and two /64s (active, failed in its quarantine) of the /48's 65,536
            // /64s; the drained and retired pool holds nothing.
            expected.put("utilization " + pool, 100.0 * (5 * 256 + 2 * 1) / 65_536);
            String drained = jdbc.queryForObject("SELECT pool_id::text FROM pool_view WHERE pool_id <> ?::uuid",
                    String.class, pool);
            expected.put("utilization " + drained, 0.0);

            MeterRegistry registry = first.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(gauges(registry)).isEqualTo(expected));
            assertFreePrefixesAgreeWithThePoolApi(http, registry, pool);

            // A replay rebuilds delegation_view from the events: the gauges end where they were, and the
            // transitions, counted where the commands were handled and not by projections, do not move.
            double transitions = registry.find("ipv6.lifecycle.transitions").counters().stream()
                    .mapToDouble(counter -> counter.count()).sum();
            assertThat(transitions).isEqualTo(7 + 4 + 2 + 1 + 3 + 1 + 1);
            assertThat(registry.get("ipv6.lifecycle.transitions").tags("from", "ACTIVE", "to", "REVOKING").counter().count())
                    .isEqualTo(2);
            assertThat(registry.get("ipv6.lifecycle.transitions").tags("from", "ALLOCATED", "to", "REVOKING").counter()
                    .count()).isEqualTo(1);
            assertThat(registry.get("ipv6.lifecycle.operations").tags("operation", "suspend", "outcome", "rejected")
                    .counter().count()).isEqualTo(1);
            assertThat(registry.get("ipv6.lifecycle.operations").tags("operation", "allocate", "outcome", "success")
                    .counter().count()).isEqualTo(7);
            assertThat(registry.get("ipv6.lifecycle.operation.duration").tag("operation", "allocate").timer().count())
                    .isEqualTo(7);
            assertThat(http.post("/api/v1/admin/projections/delegations/replay", null).status()).isBetween(200, 202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode status = http.get("/api/v1/admin/projections").json();
                for (JsonNode projection : status) {
                    assertThat(projection.get("replaying").asBoolean()).as(projection.toString()).isFalse();
                }
                assertThat(databaseCounts(jdbc)).isEqualTo(counts);
                assertThat(gauges(registry)).isEqualTo(expected);
            });
            assertThat(registry.find("ipv6.lifecycle.transitions").counters().stream()
                    .mapToDouble(counter -> counter.count()).sum()).isEqualTo(transitions);
        }

        // A refresh period far beyond the test: whatever the new application shows, it read at start-up.
        try (ConfigurableApplicationContext second = start(database, "PT1H")) {
            assertThat(gauges(second.getBean(MeterRegistry.class))).isEqualTo(expected);
            assertThat(databaseCounts(jdbc)).isEqualTo(counts);
        }
    }

    /** The gauges' free prefixes per length are the pool's capacity as GET /api/v1/pools/{id} computes it. */
    private static void assertFreePrefixesAgreeWithThePoolApi(Api http, MeterRegistry registry, String pool) {
        JsonNode capacity = http.get("/api/v1/pools/" + pool).json().get("capacity");
        for (String length : new String[] {"56", "64"}) {
            double gauge = registry.get("ipv6.pool.free.prefixes").tag("pool", pool).tag("length", length).gauge().value();
            assertThat(gauge).as("free /%s", length).isEqualTo(capacity.get(length).get("free").asDouble());
        }
    }

    /** Every gauge of the read side, keyed as {@link #databaseCounts} keys its rows. */
    private static Map<String, Double> gauges(MeterRegistry registry) {
        Map<String, Double> gauges = new TreeMap<>();
        for (Gauge gauge : registry.find("ipv6.lifecycle.prefixes").gauges()) {
            gauges.put("prefixes " + gauge.getId().getTag("pool") + " " + gauge.getId().getTag("state"), gauge.value());
        }
        for (Gauge gauge : registry.find("ipv6.pool.utilization.percent").gauges()) {
            gauges.put("utilization " + gauge.getId().getTag("pool"), gauge.value());
        }
        return gauges;
    }

    /** Delegations per pool and state (zero included), straight from SQL. */
    private static Map<String, Double> databaseCounts(JdbcTemplate jdbc) {
        Map<String, Double> counts = new TreeMap<>();
        jdbc.query("""
                SELECT p.pool_id::text AS pool, s.state, count(d.delegation_id) AS n
                FROM pool_view p
                CROSS JOIN unnest(ARRAY['ALLOCATED', 'ACTIVE', 'SUSPENDED', 'REVOKING', 'REVOKED', 'FAILED']) AS s(state)
                LEFT JOIN delegation_view d ON d.pool_id = p.pool_id AND d.state = s.state
                GROUP BY p.pool_id, s.state""", row -> {
            counts.put("prefixes " + row.getString("pool") + " " + row.getString("state"), (double) row.getLong("n"));
        });
        return counts;
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static ConfigurableApplicationContext start(String database, String refresh) {
        return new SpringApplicationBuilder(Ipv6LifecycleApplication.class)
                .initializers(new SilentNasInitializer()) // the workload's REVOKING delegations stay REVOKING
                .run("--spring.datasource.url=" + database, "--spring.datasource.username=" + SharedPostgres.USER,
                        "--spring.datasource.password=", "--server.port=0", "--ipv6.metrics.refresh=" + refresh);
    }
}

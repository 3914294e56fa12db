package dev.ipv6lifecycle.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.server.web.Caller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The monitoring as code of {@code grafana/} against the running service: a real Prometheus scrapes it on
 * loopback after a workload across every lifecycle state, and evaluates every dashboard query and every
 * alert expression through its HTTP API. promtool checks a scrape and runs the alerts' unit tests.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    private Api http;
    private String pool;
    private final Path repository = MonitoringFiles.repositoryRoot();

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    void runTheWorkload() {
        http = new Api(port);
        pool = Workload.run(http, commands);
        // The capacity panels' series: a quota of the tenant (large enough to refuse nothing), and a history
        // of the pool's last days in the capacity trend, for the exhaustion forecast.
        assertThat(http.send("PUT", "/api/v1/admin/quotas/" + Caller.DEFAULT_TENANT, "{\"total\": 100000000}",
                Map.of("Content-Type", "application/json")).status()).isEqualTo(200);
        jdbc.update("""
                INSERT INTO capacity_trend (pool_id, length, day, taken, returned)
                SELECT ?::uuid, 64, (now() AT TIME ZONE 'UTC')::date - day, 50, 0 FROM generate_series(1, 7) AS day""", pool);
    }

    @AfterAll
    void removeTheQuota() {
        assertThat(http.send("PUT", "/api/v1/admin/quotas/" + Caller.DEFAULT_TENANT, "{}",
                Map.of("Content-Type", "application/json")).status()).isEqualTo(200);
    }

    @Test
    void exportsEveryMetricOfTheDesignWithItsTypeAndLabels() throws Exception {
        String scrape = scrape();
        // Kept for whoever reads a failure: what the service exported.
        Files.writeString(Path.of("target/metrics-scrape.txt"), scrape);

        assertThat(scrape).contains("# TYPE ipv6_prefix_leak_total counter",
                "# TYPE ipv6_lifecycle_operations_total counter",
                "# TYPE ipv6_lifecycle_operation_duration_seconds histogram",
                "# TYPE ipv6_lifecycle_transitions_total counter",
                "# TYPE ipv6_lifecycle_sweep_last_success_timestamp_seconds gauge",
                "# TYPE ipv6_network_notifications_total counter",
                "# TYPE ipv6_aaa_authorizations_total counter",
                "# TYPE ipv6_aaa_authorization_duration_seconds histogram",
                "# TYPE ipv6_aaa_accounting_records_total counter",
                "# TYPE ipv6_network_drift_total counter");
        assertThat(scrape).contains(
                "ipv6_lifecycle_operations_total{operation=\"allocate\",outcome=\"success\",tenant=\"default\"}",
                "ipv6_lifecycle_operations_total{operation=\"suspend\",outcome=\"rejected\",tenant=\"default\"}",
                "ipv6_lifecycle_operation_duration_seconds_bucket{operation=\"allocate\",le=",
                "ipv6_lifecycle_transitions_total{from=\"SUSPENDED\",to=\"ACTIVE\"}",
                "ipv6_lifecycle_transitions_total{from=\"ACTIVE\",to=\"REVOKING\"}",
                "ipv6_lifecycle_transitions_total{from=\"ALLOCATED\",to=\"REVOKING\"}",
                "ipv6_lifecycle_transitions_total{from=\"REVOKING\",to=\"REVOKED\"}",
                "ipv6_lifecycle_transitions_total{from=\"ALLOCATED\",to=\"FAILED\"}",
                "ipv6_prefix_leak_total{tenant=\"default\"} 0.0",
                "ipv6_aaa_authorizations_total{outcome=\"suspended\"}",
                "ipv6_aaa_authorizations_total{outcome=\"none\"}",
                "ipv6_aaa_authorization_duration_seconds_bucket{le=",
                "ipv6_aaa_accounting_records_total{outcome=\"opened\",status=\"start\"}",
                "ipv6_network_drift_total{kind=\"duplicate\",tenant=\"default\"} 0.0",
                "ipv6_network_drift_total{kind=\"stale-session\",tenant=\"default\"} 0.0");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape()).contains(
                "# TYPE ipv6_lifecycle_prefixes gauge",
                "# TYPE ipv6_pool_utilization_percent gauge",
                "# TYPE ipv6_pool_free_prefixes gauge",
                "ipv6_lifecycle_prefixes{pool=\"" + pool + "\",state=\"REVOKING\",tenant=\"default\"} 2.0",
                "ipv6_pool_free_prefixes{length=\"64\",pool=\"" + pool + "\",tenant=\"default\"}",
                "ipv6_pool_utilization_percent{pool=\"" + pool + "\",tenant=\"default\"}",
                "# TYPE ipv6_pool_largest_free_block_length gauge",
                "ipv6_pool_largest_free_block_length{pool=\"" + pool + "\",tenant=\"default\"}",
                "ipv6_pool_exhaustion_forecast_days{length=\"64\",pool=\"" + pool + "\",tenant=\"default\"}",
                "ipv6_tenant_quota_limit{length=\"total\",tenant=\"default\"}",
                "# TYPE ipv6_tenant_quota_used gauge"));
        // Axon's own, through axon-micrometer with dimensional names (in snake_case, see PrometheusNamingConfiguration).
        assertThat(scrape()).contains("command_bus_success_duration_seconds_count{payload_type=\"AllocatePrefixCommand\"}",
                "event_processor_latency{processor_name=\"delegations\"}",
                "event_processor_all_duration_seconds_sum{payload_type=");
        // Nothing whose cost grows with the traffic: no capacity monitor, no client-side percentiles
        // (AxonMetricsConfiguration); no Spring Security observations (SecurityConfiguration), while requests
        // are still timed.
        assertThat(scrape()).doesNotContain("event_processor_capacity", "command_bus_capacity", "quantile=\"", "spring_security_")
                .contains("http_server_requests_seconds_count");
    }

    private static final String FORECAST_IN_DAYS =
            "ipv6_pool_exhaustion_forecast_days use base unit \"seconds\" instead of \"days\"";
    /** promtool's exit status when the metrics parse and only the lint found something. */
    private static final int PROMTOOL_LINT_PROBLEMS = 3;

    @Test
    void promtoolFindsNoProblemInAScrape(@TempDir Path directory) throws Exception {
        Path scrape = directory.resolve("scrape.txt");
        Files.writeString(scrape, scrape());

        PrometheusProcess.Result check = PrometheusProcess.run(directory, scrape,
                List.of(PrometheusProcess.PROMTOOL.toString(), "check", "metrics"));

        // One finding is accepted: the exhaustion forecast counts days (docs/monitoring.md), as its alerts and panel
        // read it, where promtool's lint wants every duration in seconds. It is there whenever a pool has a forecast.
        assertThat(check.output().lines().filter(line -> !line.equals(FORECAST_IN_DAYS))).as(check.output()).isEmpty();
        assertThat(check.exitCode()).as(check.output()).isEqualTo(check.output().isBlank() ? 0 : PROMTOOL_LINT_PROBLEMS);
    }

    @Test
    void promtoolPassesTheAlertsUnitTests() throws Exception {
        PrometheusProcess.Result check = PrometheusProcess.run(repository.resolve("grafana/prometheus"), null,
                List.of(PrometheusProcess.PROMTOOL.toString(), "check", "rules", "alerts.yml"));
        PrometheusProcess.Result test = PrometheusProcess.run(repository.resolve("grafana/prometheus"), null,
                List.of(PrometheusProcess.PROMTOOL.toString(), "test", "rules", "alerts.test.yml"));

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(test.exitCode()).as(test.output()).isZero();
    }

    @Test
    void prometheusEvaluatesEveryPanelWithDataAndEveryAlertExpression(@TempDir Path directory) throws Exception {
        try (PrometheusProcess prometheus = PrometheusProcess.start(directory, port,
                repository.resolve("grafana/prometheus/alerts.yml"))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(prometheus.alive()).as(Files.readString(directory.resolve("prometheus.log"))).isTrue();
                assertThat(prometheus.targets().path("data").path("activeTargets").path(0).path("health").asString())
                        .isEqualTo("up");
            });
            // A second round of the workload while Prometheus watches, so that rates and quantiles move.
            Workload.run(http, commands);
            Map<String, String> variables = Map.of("tenant", Caller.DEFAULT_TENANT, "pool", pool);

            Map<String, List<String>> panels = MonitoringFiles.panelExpressions(repository, variables);
            assertThat(panels).hasSizeGreaterThanOrEqualTo(12);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<String> empty = new ArrayList<>();
                panels.forEach((title, expressions) -> expressions.forEach(expression -> {
                    JsonNode answer = prometheus.query(expression);
                    assertThat(answer.path("status").asString()).as("%s: %s -> %s", title, expression, answer)
                            .isEqualTo("success");
                    if (answer.path("data").path("result").isEmpty()) {
                        empty.add(title + ": " + expression);
                    }
                }));
                assertThat(empty).as("panel queries without data").isEmpty();
            });

            List<String> alerts = MonitoringFiles.alertExpressions(repository);
            assertThat(alerts).hasSizeGreaterThanOrEqualTo(7);
            for (String expression : alerts) {
                JsonNode answer = prometheus.query(expression);
                assertThat(answer.path("status").asString()).as("%s -> %s", expression, answer).isEqualTo("success");
            }
            int loaded = 0;
            for (JsonNode group : prometheus.get("/api/v1/rules").path("data").path("groups")) {
                loaded += group.path("rules").size();
            }
            assertThat(loaded).as("Prometheus loaded every rule of alerts.yml, in all its groups")
                    .isEqualTo(alerts.size());
        }
    }

    private String scrape() {
        Api.Answer answer = http.get("/actuator/prometheus");
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }
}

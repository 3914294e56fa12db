package dev.ipv6lifecycle.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The exhaustion forecast (migration V15) on real PostgreSQL: a history written as the delegations
 * projection writes it (rows of delegation_view, whose triggers keep the capacity trend), read by the pool
 * API and the gauges.
 */
@IntegrationTest
class CapacityForecastIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry registry;

    @Test
    void aPoolFillingAtAKnownRateRunsOutOnTheExpectedDayWhateverLengthFillsIt() {
        Api http = new Api(port);
        String pool = pool(http);
        // 30 days of 100 /64s and 10 /56s a day: 100 + 10 x 256 = 2,660 /64s a day of the 65,536 free.
        history(pool, 64, 100, 30);
        history(pool, 56, 10, 30);
        double expectedDays = 65_536 / 2_660.0;

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode capacity = capacity(http, pool);
            JsonNode slash64 = capacity.path("64").path("forecast");
            assertThat(slash64.path("netPerDayLast7Days").asDouble()).isEqualTo(100.0);
            assertThat(slash64.path("netPerDayLast30Days").asDouble()).isEqualTo(100.0);
            assertThat(slash64.path("daysLeft").asDouble()).isCloseTo(expectedDays, within(1.0));
            // The same space seen as /56s: 256 left, 10 + 100/256 taken a day.
            assertThat(capacity.path("56").path("forecast").path("daysLeft").asDouble()).isCloseTo(expectedDays, within(1.0));
            Gauge forecast = registry.find("ipv6.pool.exhaustion.forecast.days").tag("pool", pool).tag("length", "64").gauge();
            assertThat(forecast).isNotNull();
            assertThat(forecast.value()).isCloseTo(expectedDays, within(1.0));
        });
    }

    @Test
    void aShrinkingOrEmptyTrendGivesNoDate() {
        Api http = new Api(port);
        String shrinking = pool(http);
        history(shrinking, 64, 50, 10);
        returned(shrinking, 64, 80, 10);
        String empty = pool(http);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode forecast = capacity(http, shrinking).path("64").path("forecast");
            assertThat(forecast.path("netPerDayLast7Days").asDouble()).isEqualTo(-30.0);
            assertThat(forecast.path("daysLeft").isNull()).isTrue();
            assertThat(capacity(http, empty).path("64").path("forecast").path("daysLeft").isNull()).isTrue();
            // The gauges know both pools, and give neither a forecast.
            assertThat(registry.find("ipv6.pool.free.prefixes").tag("pool", shrinking).gauges()).isNotEmpty();
            assertThat(registry.find("ipv6.pool.free.prefixes").tag("pool", empty).gauges()).isNotEmpty();
            assertThat(registry.find("ipv6.pool.exhaustion.forecast.days").tag("pool", shrinking).gauges()).isEmpty();
            assertThat(registry.find("ipv6.pool.exhaustion.forecast.days").tag("pool", empty).gauges()).isEmpty();
        });
    }

    @Test
    void allocationsAndEndedQuarantinesAreCountedOnTheirDayAndTodayIsLeftToTomorrow() {
        Api http = new Api(port);
        String pool = pool(http);
        for (int i = 0; i < 3; i++) {
            Api.Answer allocated = http.post("/api/v1/delegations", "{\"subscriberId\": \"trend-" + i + "\", \"poolId\": \""
                    + pool + "\", \"prefixLength\": 64}");
            assertThat(allocated.status()).as(allocated.body()).isEqualTo(201);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject("""
                SELECT coalesce(sum(taken), 0) FROM (SELECT taken FROM capacity_trend WHERE pool_id = ?::uuid
                                                     UNION ALL SELECT taken FROM capacity_trend_delta WHERE pool_id = ?::uuid) t""",
                Long.class, pool, pool)).isEqualTo(3));
        JsonNode forecast = http.get("/api/v1/pools/" + pool).json().get("capacity").get("64").get("forecast");
        assertThat(forecast.get("netPerDayLast7Days").asDouble()).as("only complete days count").isZero();
    }

    /** The pool's capacity; a missing node (the pools projection not there yet) fails an assertion, which the wait retries. */
    private static JsonNode capacity(Api http, String pool) {
        return http.get("/api/v1/pools/" + pool).json().path("capacity");
    }

    private static String pool(Api http) {
        Api.Answer created = http.post("/api/v1/pools", "{\"name\": \"forecast\", \"prefix\": \"" + TestPrefixes.uniqueSlash48()
                + "\", \"delegatedLengths\": [56, 64], \"defaultLength\": 64}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** {@code perDay} delegations of {@code length} allocated on each of the last {@code days} complete days. */
    private void history(String pool, int length, int perDay, int days) {
        jdbc.update("""
                INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state, allocated_at,
                                             state_changed_at, last_sequence)
                SELECT gen_random_uuid(), 'default', 'history', ?::uuid, ?::cidr, 'ACTIVE', at, at, 0
                FROM generate_series(1, ?) AS day, generate_series(1, ?) AS n,
                     LATERAL (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                                     - make_interval(days => day) + interval '12 hours' AS at) AS noon""",
                pool, "2001:db8:ffff:ff00::/" + length, days, perDay);
    }

    /** {@code perDay} prefixes of {@code length} returned to free space on each of the last {@code days} days. */
    private void returned(String pool, int length, int perDay, int days) {
        jdbc.update("""
                INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state, allocated_at,
                                             state_changed_at, revoked_at, quarantine_until, quarantine_ended_at, last_sequence)
                SELECT gen_random_uuid(), 'default', 'history', ?::uuid, ?::cidr, 'REVOKED', old, at, old, at, at, 0
                FROM generate_series(1, ?) AS day, generate_series(1, ?) AS n,
                     LATERAL (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                                     - make_interval(days => day) + interval '12 hours' AS at,
                                     now() - interval '400 days' AS old) AS times""",
                pool, "2001:db8:ffff:fe00::/" + length, days, perDay);
    }

    /**
     * The history's rows have no events behind them: they leave delegation_view again, so that no other test
     * (a replay compares the table with what the events rebuild) finds them. The trend they made stays.
     */
    @AfterEach
    void removeTheHistoryRows() {
        jdbc.update("DELETE FROM delegation_view WHERE subscriber_id = 'history' AND last_sequence = 0 "
                + "AND prefix <<= '2001:db8:ffff:fe00::/55'");
    }
}

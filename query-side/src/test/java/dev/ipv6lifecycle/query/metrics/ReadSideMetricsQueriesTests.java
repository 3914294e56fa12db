package dev.ipv6lifecycle.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.pool.FindPoolQuery;
import dev.ipv6lifecycle.api.pool.PoolView;
import dev.ipv6lifecycle.query.QuerySideFixture;
import dev.ipv6lifecycle.query.TestEvents;
import dev.ipv6lifecycle.query.TestEvents.Delegation;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.FreePrefixes;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.PoolUtilization;
import dev.ipv6lifecycle.query.metrics.ReadSideSnapshot.PrefixCount;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gauges' numbers, read in a few queries over every pool, agree with the per-pool read API. */
class ReadSideMetricsQueriesTests {

    private static final String TENANT = "isp-a";
    private static final Instant T0 = Instant.parse("2026-03-14T10:00:00Z");

    private final UUID pool = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private QuerySideFixture fixture;
    private ReadSideMetricsQueries queries;

    @BeforeEach
    void twoPools() {
        fixture = QuerySideFixture.onFreshDatabase();
        queries = new ReadSideMetricsQueries(fixture.jdbc());
        fixture.apply(TestEvents.poolCreated(pool, TENANT, "2001:db8::/48", List.of(56, 64), T0),
                TestEvents.poolCreated(other, "isp-b", "2001:db8:1::/48", List.of(48, 56), T0));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anEmptyPoolShowsEveryStateAtZeroAndAllItsSpaceFree() {
        ReadSideSnapshot snapshot = queries.snapshot();

        assertThat(snapshot.prefixes()).filteredOn(count -> count.poolId().equals(pool)).hasSize(6)
                .allMatch(count -> count.count() == 0 && count.tenantId().equals(TENANT));
        assertThat(snapshot.prefixes()).extracting(PrefixCount::state).doesNotContain("PENDING");
        assertThat(snapshot.utilization()).containsExactlyInAnyOrder(new PoolUtilization(TENANT, pool, 0.0),
                new PoolUtilization("isp-b", other, 0.0));
        assertThat(snapshot.freePrefixes()).contains(new FreePrefixes(TENANT, pool, 56, 256),
                new FreePrefixes(TENANT, pool, 64, 65_536), new FreePrefixes("isp-b", other, 48, 1));
    }

    @Test
    void countsDelegationsPerStateAndAgreesWithThePoolQueryOnCapacityAndUtilisation() {
        Delegation active = Delegation.of(TENANT, "sub-1", pool, "2001:db8:0:100::/56");
        Delegation suspended = Delegation.of(TENANT, "sub-2", pool, "2001:db8:0:200::/64");
        Delegation revoked = Delegation.of(TENANT, "sub-3", pool, "2001:db8:0:300::/56");
        Delegation failed = Delegation.of(TENANT, "sub-4", pool, "2001:db8:0:201::/64");
        Delegation released = Delegation.of(TENANT, "sub-5", pool, "2001:db8:0:400::/56");
        fixture.apply(active.allocated(T0), active.activated(T0),
                suspended.allocated(T0), suspended.activated(T0), suspended.suspended("unpaid", T0),
                revoked.allocated(T0), revoked.revocationStarted(null, T0), revoked.revoked(T0),
                failed.allocated(T0), failed.activationFailed("NAS refused", T0),
                released.allocated(T0), released.revocationStarted(null, T0), released.revoked(T0),
                released.quarantineEnded(T0.plus(TestEvents.QUARANTINE)));

        ReadSideSnapshot snapshot = queries.snapshot();

        Map<String, Long> states = snapshot.prefixes().stream().filter(count -> count.poolId().equals(pool))
                .collect(Collectors.toMap(PrefixCount::state, PrefixCount::count));
        assertThat(states).containsAllEntriesOf(Map.of("ALLOCATED", 0L, "ACTIVE", 1L, "SUSPENDED", 1L, "REVOKING", 0L,
                "REVOKED", 2L, "FAILED", 1L));
        PoolView view = fixture.query(new FindPoolQuery(TENANT, pool), ResponseTypes.optionalInstanceOf(PoolView.class))
                .orElseThrow();
        for (int length : List.of(56, 64)) {
            assertThat(snapshot.freePrefixes()).as("free /%d", length)
                    .contains(new FreePrefixes(TENANT, pool, length, view.capacity().get(length).free().doubleValue()));
        }
        assertThat(snapshot.utilization()).contains(new PoolUtilization(TENANT, pool, view.utilizationPercent()));
    }
}

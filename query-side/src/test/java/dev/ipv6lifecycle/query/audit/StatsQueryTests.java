package dev.ipv6lifecycle.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.ipv6lifecycle.api.audit.Stats;
import dev.ipv6lifecycle.api.audit.StatsQuery;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.query.QuerySideFixture;
import dev.ipv6lifecycle.query.TestEvents;
import dev.ipv6lifecycle.query.TestEvents.Delegation;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tenant's figures, on PostgreSQL. */
class StatsQueryTests {

    private static final String TENANT = "isp-a";
    private static final Instant T0 = Instant.parse("2026-03-14T10:00:00Z");

    private QuerySideFixture fixture;

    @BeforeEach
    void freshDatabase() {
        fixture = QuerySideFixture.onFreshDatabase();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void namesEveryStateOfADelegationWithZeroForATenantWithoutAny() {
        Stats stats = stats(TENANT);

        assertThat(stats.delegationsByState()).containsOnly(entry(LifecycleState.ALLOCATED, 0L),
                entry(LifecycleState.ACTIVE, 0L), entry(LifecycleState.SUSPENDED, 0L), entry(LifecycleState.REVOKING, 0L),
                entry(LifecycleState.REVOKED, 0L), entry(LifecycleState.FAILED, 0L));
        assertThat(stats.pools()).isEmpty();
        assertThat(stats.leaks()).as("no sweep has run").isZero();
    }

    @Test
    void countsTheTenantsDelegationsPerStateAndEachPoolsUtilization() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        fixture.apply(TestEvents.poolCreated(first, TENANT, "2001:db8::/48", List.of(56), T0),
                TestEvents.poolCreated(second, TENANT, "2001:db8:1::/48", List.of(64), T0.plusSeconds(1)));
        Delegation allocated = Delegation.of(TENANT, "a", first, "2001:db8:0:100::/56");
        Delegation active = Delegation.of(TENANT, "b", first, "2001:db8:0:200::/56");
        Delegation suspended = Delegation.of(TENANT, "c", first, "2001:db8:0:300::/56");
        Delegation revoked = Delegation.of(TENANT, "d", first, "2001:db8:0:400::/56");
        Delegation failed = Delegation.of(TENANT, "e", second, "2001:db8:1::/64");
        fixture.apply(allocated.allocated(T0),
                active.allocated(T0), active.activated(T0),
                suspended.allocated(T0), suspended.activated(T0), suspended.suspended(null, T0),
                revoked.allocated(T0), revoked.revocationStarted(null, T0), revoked.revoked(T0),
                failed.allocated(T0), failed.activationFailed(null, T0),
                Delegation.of("isp-b", "x", UUID.randomUUID(), "2001:db8::/56").allocated(T0));

        Stats stats = stats(TENANT);

        assertThat(stats.delegationsByState()).containsOnly(entry(LifecycleState.ALLOCATED, 1L),
                entry(LifecycleState.ACTIVE, 1L), entry(LifecycleState.SUSPENDED, 1L), entry(LifecycleState.REVOKING, 0L),
                entry(LifecycleState.REVOKED, 1L), entry(LifecycleState.FAILED, 1L));
        assertThat(stats.pools()).containsExactly(
                new Stats.PoolUtilization(first, "pool 2001:db8::/48", 4 * 100.0 / 256),
                new Stats.PoolUtilization(second, "pool 2001:db8:1::/48", 100.0 / 65_536));
    }

    @Test
    void countsTheLeaksTheLatestSweepFoundInTheTenantAndDidNotRepair() {
        sweepRun(T0, new TenantLeaks(TENANT, 9, 0));
        sweepRun(T0.plus(Duration.ofDays(1)), new TenantLeaks(TENANT, 5, 2), new TenantLeaks("isp-b", 4, 4));

        assertThat(stats(TENANT).leaks()).as("5 detected less 2 repaired; the earlier run's 9 are history").isEqualTo(3);
        assertThat(stats("isp-b").leaks()).as("every leak found was repaired").isZero();
        assertThat(stats("isp-c").leaks()).as("nothing found in this tenant").isZero();
    }

    private record TenantLeaks(String tenant, long detected, long repaired) {
    }

    /** A finished sweep run as the sweep records it, with its leaks per tenant. */
    private void sweepRun(Instant finished, TenantLeaks... tenants) {
        UUID run = UUID.randomUUID();
        long detected = 0;
        long repaired = 0;
        for (TenantLeaks leaks : tenants) {
            detected += leaks.detected();
            repaired += leaks.repaired();
        }
        fixture.jdbc().update("""
                INSERT INTO sweep_run (run_id, trigger, started_at, finished_at, revoked_purged, allocated_stale,
                                       revoking_stuck, leaks_detected, leaks_repaired, errors)
                VALUES (?, 'API', ?, ?, 0, 0, 0, ?, ?, 0)""", run, Timestamp.from(finished.minusSeconds(1)),
                Timestamp.from(finished), detected, repaired);
        for (TenantLeaks leaks : tenants) {
            fixture.jdbc().update("INSERT INTO sweep_run_tenant (run_id, tenant_id, leaks_detected, leaks_repaired) "
                    + "VALUES (?, ?, ?, ?)", run, leaks.tenant(), leaks.detected(), leaks.repaired());
        }
    }

    private Stats stats(String tenant) {
        return fixture.query(new StatsQuery(tenant), ResponseTypes.instanceOf(Stats.class));
    }
}

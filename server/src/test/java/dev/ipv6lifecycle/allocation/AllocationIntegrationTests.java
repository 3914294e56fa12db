package dev.ipv6lifecycle.allocation;

import dev.ipv6lifecycle.api.DomainRejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocationRaceException;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.api.pool.DrainPoolCommand;
import dev.ipv6lifecycle.api.pool.PoolOverlapException;
import dev.ipv6lifecycle.server.IntegrationTest;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Allocation through Axon, on PostgreSQL, as the REST layer will drive it. */
@IntegrationTest
class AllocationIntegrationTests {

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcTemplate jdbc;

    private final String tenant = "isp-" + UUID.randomUUID();

    @Test
    void allocatesTheFirstFreePrefixOfTheDefaultLengthAndRecordsIt() {
        UUID pool = createPool("2001:db8::/32", Set.of(48, 56, 64), 56, Duration.ofDays(1));

        AllocationResult result = allocate("sub-1", null, null, null);

        assertThat(result.prefix()).isEqualTo(Ipv6Prefix.parse("2001:db8::/56"));
        assertThat(result.poolId()).isEqualTo(pool);
        assertThat(result.placement()).isEqualTo(Placement.BEST_FIT);
        assertThat(jdbc.queryForObject("SELECT prefix::text FROM prefix_reservation WHERE delegation_id = ?",
                String.class, result.delegationId())).isEqualTo("2001:db8::/56");
    }

    @Test
    void keepsSmallPrefixesTogetherSoLargeOnesStayAvailable() {
        createPool("2001:db8::/46", Set.of(48, 64), 64, Duration.ofDays(1));

        Ipv6Prefix first64 = allocate("sub-1", null, 64, null).prefix();
        Ipv6Prefix second64 = allocate("sub-2", null, 64, null).prefix();
        // The /64s share one /48; the other three /48s of the /46 stay whole.
        assertThat(first64.parent(48)).isEqualTo(second64.parent(48));
        for (int i = 0; i < 3; i++) {
            assertThat(allocate("big-" + i, null, 48, null).prefix().contains(first64)).isFalse();
        }
    }

    @Test
    void answersAnExhaustedPoolWithAConflictNamingThePoolAndTheLength() {
        UUID pool = createPool("2001:db8:1::/56", Set.of(60), 60, Duration.ofDays(1));
        for (int i = 0; i < 16; i++) {
            allocate("sub-" + i, pool, 60, null);
        }

        assertThatThrownBy(() -> allocate("one-too-many", pool, 60, null))
                .isInstanceOf(DomainRejection.class)
                .hasMessage("pool " + pool + " (2001:db8:1::/56) has no free /60");
    }

    @Test
    void refusesNewAllocationsFromADrainingPool() {
        UUID pool = createPool("2001:db8:2::/48", Set.of(56), 56, Duration.ofDays(1));
        commands.sendAndWait(new DrainPoolCommand(pool, tenant, "renumbering"));

        assertThatThrownBy(() -> allocate("sub-1", pool, null, null))
                .isInstanceOf(DomainRejection.class)
                .hasMessage("pool " + pool + " is DRAINING and takes no new allocations");
    }

    @Test
    void givesAnExplicitPrefixOnlyWhileNothingOverlapsIt() {
        createPool("2001:db8:3::/48", Set.of(56, 64), 56, Duration.ofDays(1));
        allocate("static-1", null, null, Ipv6Prefix.parse("2001:db8:3:100::/56"));

        assertThatThrownBy(() -> allocate("static-2", null, null, Ipv6Prefix.parse("2001:db8:3:1ff::/64")))
                .isInstanceOf(DomainRejection.class)
                .hasMessage("2001:db8:3:1ff::/64 is not free: it overlaps 2001:db8:3:100::/56, held by a live delegation");
    }

    @Test
    void givesAReturningSubscriberItsQuarantinedPrefixBackAndNobodyElse() {
        UUID pool = createPool("2001:db8:4::/48", Set.of(56), 56, Duration.ofDays(1));
        AllocationResult first = allocate("returning", pool, null, null);
        endDelegation(first.delegationId());

        AllocationResult stranger = allocate("stranger", pool, null, null);
        AllocationResult back = allocate("returning", pool, null, null);

        assertThat(stranger.prefix()).isNotEqualTo(first.prefix());
        assertThat(back.prefix()).isEqualTo(first.prefix());
        assertThat(back.placement()).isEqualTo(Placement.QUARANTINE_RECLAIM);
        assertThat(jdbc.queryForObject("SELECT quarantined_until IS NULL FROM prefix_reservation WHERE delegation_id = ?",
                Boolean.class, back.delegationId())).isTrue();
    }

    @Test
    void storesNothingWhenPostgresqlRefusesAnOverlap() {
        UUID pool = createPool("2001:db8:5::/48", Set.of(56, 64), 56, Duration.ofDays(1));
        // A reservation the allocator's free-space table does not know about, as a bug or a stale node might
        // leave: only the exclusion constraint stands between it and a double allocation.
        jdbc.update("INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id) "
                + "VALUES (?, ?, '2001:db8:5::/64', ?, 'ghost')", tenant, pool, UUID.randomUUID());
        UUID delegation = UUID.randomUUID();

        assertThatThrownBy(() -> commands.sendAndWait(new AllocatePrefixCommand(delegation, tenant, "victim", pool, 56,
                Ipv6Prefix.parse("2001:db8:5::/56"), false, null)))
                .isInstanceOf(AllocationRaceException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, delegation.toString())).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE subscriber_id = 'victim'",
                Long.class)).isZero();
    }

    @Test
    void refusesAPoolOverlappingAnotherPoolOfTheTenant() {
        createPool("2001:db8:6::/48", Set.of(56), 56, Duration.ofDays(1));

        assertThatThrownBy(() -> createPool("2001:db8:6:8000::/49", Set.of(56), 56, Duration.ofDays(1)))
                .isInstanceOf(PoolOverlapException.class)
                .hasMessageStartingWith("2001:db8:6:8000::/49 overlaps the tenant's existing pool 2001:db8:6::/48");
    }

    @Test
    void recordsTheActorAndACorrelationIdOnEveryEvent() {
        createPool("2001:db8:7::/48", Set.of(56), 56, Duration.ofDays(1));
        UUID delegation = UUID.randomUUID();

        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new AllocatePrefixCommand(delegation, tenant, "sub-1",
                null, null, null, false, null)).andMetaData(MetaData.with("actor", "key:provisioning")));

        String metaData = jdbc.queryForObject("SELECT convert_from(meta_data, 'UTF8') FROM domain_event_entry "
                + "WHERE aggregate_identifier = ?", String.class, delegation.toString());
        assertThat(metaData).contains("\"actor\":\"key:provisioning\"").contains("\"correlationId\":");
    }

    private UUID createPool(String prefix, Set<Integer> lengths, int defaultLength, Duration quarantine) {
        UUID id = UUID.randomUUID();
        commands.sendAndWait(new CreatePoolCommand(id, tenant, "pool " + prefix, Ipv6Prefix.parse(prefix), lengths,
                defaultLength, quarantine, null));
        return id;
    }

    private AllocationResult allocate(String subscriber, UUID pool, Integer length, Ipv6Prefix prefix) {
        return commands.sendAndWait(new AllocatePrefixCommand(UUID.randomUUID(), tenant, subscriber, pool, length, prefix,
                false, null));
    }

    private void endDelegation(UUID delegation) {
        commands.sendAndWait(new ActivatePrefixCommand(delegation, tenant, null, null));
        commands.sendAndWait(new RevokePrefixCommand(delegation, tenant, "moved", null));
        commands.sendAndWait(new CompleteRevocationCommand(delegation, tenant, null));
    }
}

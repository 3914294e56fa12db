package dev.ipv6lifecycle.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.audit.Stats;
import dev.ipv6lifecycle.api.audit.StatsQuery;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
import dev.ipv6lifecycle.api.delegation.FailActivationCommand;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.delegation.SuspendPrefixCommand;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.api.pool.DrainPoolCommand;
import dev.ipv6lifecycle.api.pool.RetirePoolCommand;
import dev.ipv6lifecycle.server.IntegrationTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every read model can be rebuilt from the events: a state covering every lifecycle state, a reclaim and
 * an ended quarantine, then each projection replayed from the start, and every table equal row by row.
 */
@IntegrationTest
class ProjectionReplayIntegrationTests {

    /** Each query-side table and its key, for a stable row order. */
    private static final Map<String, String> TABLES = Map.of(
            "delegation_view", "delegation_id",
            "pool_view", "pool_id",
            "assignment_history", "delegation_id");

    @Autowired
    CommandGateway commands;

    @Autowired
    QueryGateway queries;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionManager transactions;

    @Autowired
    JdbcTemplate jdbc;

    private final String tenant = "isp-" + UUID.randomUUID();

    @Test
    void replayingEveryProjectionRebuildsEveryTableRowByRow() {
        QuerySideProcessors processors = new QuerySideProcessors(processing, eventStore, transactions);
        UUID main = createPool("2001:db8::/48", Set.of(56, 64), 56, Duration.ofDays(1));
        UUID shortQuarantine = createPool("2001:db8:1::/48", Set.of(56), 56, Duration.ofSeconds(2));
        UUID draining = createPool("2001:db8:2::/48", Set.of(56), 56, Duration.ofDays(1));
        UUID retired = createPool("2001:db8:3::/48", Set.of(64), 64, Duration.ofDays(1));
        commands.sendAndWait(new DrainPoolCommand(draining, tenant, "renumbering"));
        commands.sendAndWait(new RetirePoolCommand(retired, tenant, "never used"));

        UUID allocated = allocate("sub-allocated", main, null);
        UUID active = allocate("sub-active", main, 64);
        activate(active);
        UUID suspended = allocate("sub-suspended", main, 64);
        activate(suspended);
        commands.sendAndWait(new SuspendPrefixCommand(suspended, tenant, "unpaid", null));
        UUID revoking = allocate("sub-revoking", main, null);
        // On the integration tests' silent NAS: its revocation stays REVOKING.
        commands.sendAndWait(new RevokePrefixCommand(revoking, tenant, "moved",
                new NasSession("sub-revoking", "127.0.0.1", "s-1")));
        UUID revoked = allocate("sub-revoked", main, null);
        end(revoked);
        UUID failed = allocate("sub-failed", main, null);
        commands.sendAndWait(new FailActivationCommand(failed, tenant, "NAS unreachable"));
        end(allocate("sub-returning", main, null));
        AllocationResult reclaim = commands.sendAndWait(new AllocatePrefixCommand(UUID.randomUUID(), tenant,
                "sub-returning", main, null, null, false, null));
        assertThat(reclaim.placement()).isEqualTo(Placement.QUARANTINE_RECLAIM);
        UUID released = allocate("sub-released", shortQuarantine, null);
        end(released);
        await().atMost(Duration.ofSeconds(30)).until(() -> quarantineEnded(released));

        // Other test classes share this database; wait out any deadline of theirs about to fire, so
        // that no event arrives between the snapshot and the comparison.
        await().atMost(Duration.ofMinutes(2)).until(() -> jdbc.queryForObject("""
                SELECT count(*) FROM scheduled_tasks
                WHERE task_name = 'AxonDeadline' AND execution_time < now() + interval '1 minute'""", Long.class) == 0);
        processors.awaitCaughtUp();
        Stats stats = queries.query(new StatsQuery(tenant), ResponseTypes.instanceOf(Stats.class)).join();
        assertThat(stats.delegationsByState()).as("the state covers every lifecycle state")
                .allSatisfy((state, count) -> assertThat(count).as("%s delegations", state).isPositive());
        Map<String, List<String>> before = snapshot();

        // Damage each table, so that only a real rebuild can make them equal again.
        jdbc.update("UPDATE delegation_view SET state = 'ACTIVE', reason = 'tampered' WHERE delegation_id = ?", allocated);
        jdbc.update("DELETE FROM pool_view WHERE pool_id = ?", draining);
        jdbc.update("UPDATE assignment_history SET subscriber_id = 'tampered' WHERE delegation_id = ?", revoked);
        assertThat(snapshot()).isNotEqualTo(before);

        Projections.ALL.forEach(processors::replay);
        processors.awaitReplaysFinished();

        Map<String, List<String>> after = snapshot();
        TABLES.keySet().forEach(table -> assertThat(after.get(table)).as(table).containsExactlyElementsOf(before.get(table)));
        assertThat(queries.query(new StatsQuery(tenant), ResponseTypes.instanceOf(Stats.class)).join()).isEqualTo(stats);
    }

    /** Every row of every query-side table, as PostgreSQL prints it, in key order. */
    private Map<String, List<String>> snapshot() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        TABLES.forEach((table, key) -> rows.put(table,
                jdbc.queryForList("SELECT t::text FROM " + table + " t ORDER BY " + key, String.class)));
        return rows;
    }

    private UUID createPool(String prefix, Set<Integer> lengths, int defaultLength, Duration quarantine) {
        UUID id = UUID.randomUUID();
        commands.sendAndWait(new CreatePoolCommand(id, tenant, "pool " + prefix, Ipv6Prefix.parse(prefix), lengths,
                defaultLength, quarantine, null));
        return id;
    }

    private UUID allocate(String subscriber, UUID pool, Integer length) {
        AllocationResult result = commands.sendAndWait(new AllocatePrefixCommand(UUID.randomUUID(), tenant, subscriber,
                pool, length, null, false, null));
        return result.delegationId();
    }

    private void activate(UUID delegation) {
        commands.sendAndWait(new ActivatePrefixCommand(delegation, tenant, null, null));
    }

    private void end(UUID delegation) {
        activate(delegation);
        commands.sendAndWait(new RevokePrefixCommand(delegation, tenant, "moved", null));
        commands.sendAndWait(new CompleteRevocationCommand(delegation, tenant, null));
    }

    private boolean quarantineEnded(UUID delegation) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%PrefixQuarantineEndedEvent'""",
                Long.class, delegation.toString()) == 1;
    }
}

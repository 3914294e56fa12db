package dev.ipv6lifecycle.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.ItemOutcome;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.delegation.DelegationNotFoundException;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.LifecycleTransitionRejectedException;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.api.delegation.RecordNetworkCallsCommand;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.delegation.SuspendPrefixCommand;
import dev.ipv6lifecycle.api.delegation.DelegationCommandGroup;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.server.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Commands that go together are one {@link DelegationCommandGroup}: one transaction, each command handled by its
 * delegation in order, and each answered as it would have been alone.
 */
@IntegrationTest
class DelegationCommandGroupIntegrationTests {

    @Autowired
    CommandBatch batch;

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcTemplate jdbc;

    private final String tenant = "isp-" + UUID.randomUUID();
    private final String otherTenant = "isp-" + UUID.randomUUID();

    @Test
    void transitionsSentTogetherAreOneTransactionAndEachIsAnsweredAsItWouldBeAlone() {
        UUID pool = pool(tenant, "2001:db8:71::/48");
        UUID a = allocate(tenant, pool, "sub-a");
        UUID b = allocate(tenant, pool, "sub-b");
        UUID c = allocate(tenant, pool, "sub-c");
        UUID elsewhere = allocate(otherTenant, pool(otherTenant, "2001:db8:72::/48"), "sub-x");
        UUID unknown = UUID.randomUUID();

        List<CommandBatch.Sent> sent = batch.sendAsOne(commands(
                new ActivatePrefixCommand(a, tenant, "first", null),
                new SuspendPrefixCommand(b, tenant, "not active yet", null),
                new SuspendPrefixCommand(a, tenant, "after its activation", null),
                new ActivatePrefixCommand(unknown, tenant, null, null),
                new ActivatePrefixCommand(elsewhere, tenant, null, null),
                new RevokePrefixCommand(c, tenant, "moved", null)), DelegationCommandGroup::of);

        assertThat(state(sent.get(0))).isEqualTo(LifecycleState.ACTIVE);
        assertThat(sent.get(1).failure()).isInstanceOf(LifecycleTransitionRejectedException.class);
        assertThat(state(sent.get(2))).as("sees the activation before it").isEqualTo(LifecycleState.SUSPENDED);
        // Refused one by one, an unknown id is Axon's AggregateNotFoundException; a refusal of the group's own.
        assertThat(sent.get(3).failure()).isInstanceOf(DomainRejection.class)
                .hasMessage(DomainRejection.unknown(unknown).getMessage());
        assertThat(sent.get(4).failure()).as("another tenant's").isInstanceOf(DelegationNotFoundException.class);
        assertThat(state(sent.get(5))).isEqualTo(LifecycleState.REVOKING);

        assertThatThrownBy(() -> commands.sendAndWait(new SuspendPrefixCommand(b, tenant, "alone", null)))
                .as("the same refusal alone").hasMessage(sent.get(1).failure().getMessage());
        assertThatThrownBy(() -> commands.sendAndWait(new ActivatePrefixCommand(elsewhere, tenant, null, null)))
                .as("the same refusal alone").hasMessage(sent.get(4).failure().getMessage());
        assertThat(events(b)).as("nothing stored for the refused").containsExactly("PrefixAllocatedEvent");
        assertThat(events(elsewhere)).containsExactly("PrefixAllocatedEvent");
        assertThat(events(a)).containsExactly("PrefixAllocatedEvent", "PrefixActivatedEvent", "PrefixSuspendedEvent");
        assertThat(events(c)).containsExactly("PrefixAllocatedEvent", "PrefixRevocationStartedEvent");
        assertThat(jdbc.queryForList("SELECT DISTINCT xmin::text FROM domain_event_entry"
                        + " WHERE aggregate_identifier IN (?, ?) AND sequence_number > 0", String.class,
                a.toString(), c.toString())).as("the transactions that stored the transitions").hasSize(1);
    }

    @Test
    void aSagasRecordOfNetworkCallsAndTheTransitionAfterItAreOneTransactionAndARefusedTransitionLeavesTheRecord() {
        // As the activation saga's last run sends them (the revocation saga's ends alike, with the completion).
        UUID pool = pool(tenant, "2001:db8:73::/48");
        UUID activated = allocate(tenant, pool, "sub-r");
        UUID allocated = allocate(tenant, pool, "sub-s");
        List<RecordNetworkCallsCommand.Call> pushed = List.of(
                new RecordNetworkCallsCommand.Call(NetworkStep.PUSH_PREFIX, NetworkResult.SUCCEEDED, 1, "CoA-ACK"));

        List<ItemOutcome> done = commands.sendAndWait(new DelegationCommandGroup(tenant, List.of(
                new RecordNetworkCallsCommand(activated, tenant, pushed),
                new ActivatePrefixCommand(activated, tenant, null, null))));
        List<ItemOutcome> refused = commands.sendAndWait(new DelegationCommandGroup(tenant, List.of(
                new RecordNetworkCallsCommand(allocated, tenant, pushed),
                new SuspendPrefixCommand(allocated, tenant, null, null))));

        assertThat(done.get(0)).as("a record answers nothing").isEqualTo(new ItemOutcome(null, null));
        assertThat(((DelegationView) done.get(1).result()).state()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(events(activated)).containsExactly("PrefixAllocatedEvent", "NetworkCallRecordedEvent",
                "PrefixActivatedEvent");
        assertThat(jdbc.queryForList("SELECT DISTINCT xmin::text FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? AND sequence_number > 0", String.class, activated.toString()))
                .as("the transactions that stored the record and the activation").hasSize(1);
        assertThat(refused.get(1).refusal()).as("an allocated delegation is not active")
                .isInstanceOf(LifecycleTransitionRejectedException.class);
        assertThat(events(allocated)).containsExactly("PrefixAllocatedEvent", "NetworkCallRecordedEvent");
    }

    private UUID pool(String tenantId, String prefix) {
        UUID pool = UUID.randomUUID();
        commands.sendAndWait(new CreatePoolCommand(pool, tenantId, "grouped transitions", Ipv6Prefix.parse(prefix),
                Set.of(56), 56, Duration.ofDays(1), null, null));
        return pool;
    }

    private UUID allocate(String tenantId, UUID pool, String subscriber) {
        AllocationResult allocated = commands.sendAndWait(new AllocatePrefixCommand(UUID.randomUUID(), tenantId,
                subscriber, pool, null, null, false, null, null));
        return allocated.delegationId();
    }

    private List<CommandBatch.Command> commands(Object... transitions) {
        return List.of(transitions).stream().map(each -> new CommandBatch.Command(tenant, "test", each)).toList();
    }

    private static LifecycleState state(CommandBatch.Sent sent) {
        assertThat(sent.failure()).isNull();
        return ((DelegationView) sent.result()).state();
    }

    private List<String> events(UUID delegation) {
        return jdbc.queryForList("SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " ORDER BY sequence_number", String.class, delegation.toString()).stream()
                .map(type -> type.substring(type.lastIndexOf('.') + 1)).toList();
    }
}

package dev.ipv6lifecycle.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.audit.Attribution;
import dev.ipv6lifecycle.api.audit.AttributionQuery;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixQuarantineEndedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.server.IntegrationTest;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * "Who held this address then?" across a revocation, the quarantine that follows and the reassignment of
 * the prefix to another subscriber: the answer changes exactly at the times the events record.
 */
@IntegrationTest
class AttributionIntegrationTests {

    @Autowired
    CommandGateway commands;

    @Autowired
    QueryGateway queries;

    @Autowired
    EventStore eventStore;

    private final String tenant = "isp-" + UUID.randomUUID();

    @Test
    void theHolderOfAnAddressChangesExactlyAtTheRecordedEventTimes() {
        UUID pool = UUID.randomUUID();
        commands.sendAndWait(new CreatePoolCommand(pool, tenant, "short quarantine", Ipv6Prefix.parse("2001:db8:40::/48"),
                Set.of(56), 56, Duration.ofSeconds(2), null));
        AllocationResult first = commands.sendAndWait(new AllocatePrefixCommand(UUID.randomUUID(), tenant, "sub-1", pool,
                null, null, false, null));
        commands.sendAndWait(new ActivatePrefixCommand(first.delegationId(), tenant, null, null));
        commands.sendAndWait(new RevokePrefixCommand(first.delegationId(), tenant, "contract ended", null));
        commands.sendAndWait(new CompleteRevocationCommand(first.delegationId(), tenant, null));
        // The quarantine ends by a durable deadline (db-scheduler polls every second); only then may the
        // prefix go to somebody else.
        await().atMost(Duration.ofSeconds(30)).until(() -> event(first.delegationId(), PrefixQuarantineEndedEvent.class).isPresent());
        AllocationResult second = commands.sendAndWait(new AllocatePrefixCommand(UUID.randomUUID(), tenant, "sub-2", pool,
                null, first.prefix(), false, null));
        assertThat(second.prefix()).isEqualTo(first.prefix());

        Instant allocated = event(first.delegationId(), PrefixAllocatedEvent.class).orElseThrow().allocatedAt();
        Instant revoked = event(first.delegationId(), PrefixRevokedEvent.class).orElseThrow().occurredAt();
        Instant quarantineEnded = event(first.delegationId(), PrefixQuarantineEndedEvent.class).orElseThrow().occurredAt();
        Instant reassigned = event(second.delegationId(), PrefixAllocatedEvent.class).orElseThrow().allocatedAt();
        Ipv6Prefix address = first.prefix().subPrefix(128, BigInteger.valueOf(0x1234_5678));
        await().atMost(Duration.ofSeconds(30)).until(() -> holderAt(address, reassigned).isPresent());

        // PostgreSQL keeps microseconds: "just before" is one microsecond before.
        assertThat(holderAt(address, allocated.minus(1, ChronoUnit.MICROS))).as("just before the allocation").isEmpty();
        assertThat(holderAt(address, allocated)).as("at the allocation").hasValueSatisfying(holding -> {
            assertThat(holding.subscriberId()).isEqualTo("sub-1");
            assertThat(holding.delegationId()).isEqualTo(first.delegationId());
            assertThat(holding.prefix()).isEqualTo(first.prefix());
            assertThat(holding.from()).isEqualTo(allocated.truncatedTo(ChronoUnit.MICROS));
            assertThat(holding.to()).isEqualTo(revoked.truncatedTo(ChronoUnit.MICROS));
        });
        assertThat(holderAt(address, revoked.minus(1, ChronoUnit.MICROS)).map(Attribution::subscriberId))
                .as("just before the revocation completed").contains("sub-1");
        assertThat(holderAt(address, revoked)).as("at the revocation: in quarantine, nobody holds it").isEmpty();
        assertThat(holderAt(address, quarantineEnded)).as("after the quarantine, before the reassignment").isEmpty();
        assertThat(holderAt(address, reassigned.minus(1, ChronoUnit.MICROS))).as("just before the reassignment").isEmpty();
        assertThat(holderAt(address, reassigned)).as("at the reassignment").hasValueSatisfying(holding -> {
            assertThat(holding.subscriberId()).isEqualTo("sub-2");
            assertThat(holding.delegationId()).isEqualTo(second.delegationId());
            assertThat(holding.to()).isNull();
        });
        assertThat(holderAt(address, Instant.now().plusSeconds(3600)).map(Attribution::subscriberId)).contains("sub-2");
    }

    private Optional<Attribution> holderAt(Ipv6Prefix address, Instant at) {
        return queries.query(new AttributionQuery(tenant, address, at), ResponseTypes.optionalInstanceOf(Attribution.class))
                .join();
    }

    /** The delegation's event of that type, as the event store holds it. */
    private <T> Optional<T> event(UUID delegation, Class<T> type) {
        List<?> payloads = eventStore.readEvents(delegation.toString()).asStream()
                .map(message -> message.getPayload()).toList();
        return payloads.stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}

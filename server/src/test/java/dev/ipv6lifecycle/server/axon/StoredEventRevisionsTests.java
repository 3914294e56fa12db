package dev.ipv6lifecycle.server.axon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/** Events stored at an earlier revision still read with the serializer the service stores them with. */
class StoredEventRevisionsTests {

    private final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(new AxonSerializationConfiguration().defaultAxonObjectMapper()).build();

    @Test
    void aRevocationStoredAtRevisionOneReadsWithoutThePreviousState() {
        // The payload as revision 1 stored it, before previousState existed.
        String stored = """
                {"delegationId":"7f0c1d2e-0000-4000-8000-000000000001","tenantId":"isp-a","subscriberId":"sub-1",
                 "prefix":"2001:db8:12:3400::/56","nas":null,"reason":"contract ended",
                 "occurredAt":"2026-04-01T00:00:00Z"}""";
        SerializedObject<byte[]> serialized = new SimpleSerializedObject<>(stored.getBytes(), byte[].class,
                new SimpleSerializedType(PrefixRevocationStartedEvent.class.getName(), "1"));

        PrefixRevocationStartedEvent event = serializer.deserialize(serialized);

        assertThat(event).isEqualTo(new PrefixRevocationStartedEvent(
                UUID.fromString("7f0c1d2e-0000-4000-8000-000000000001"), "isp-a", "sub-1",
                Ipv6Prefix.parse("2001:db8:12:3400::/56"), null, "contract ended",
                Instant.parse("2026-04-01T00:00:00Z"), null));
    }

    @Test
    void aRevocationStoredNowKeepsThePreviousStateAndItsRevision() {
        PrefixRevocationStartedEvent event = new PrefixRevocationStartedEvent(UUID.randomUUID(), "isp-a", "sub-1",
                Ipv6Prefix.parse("2001:db8:12:3400::/56"), null, null, Instant.parse("2026-04-01T00:00:00Z"),
                LifecycleState.SUSPENDED);

        SerializedObject<byte[]> serialized = serializer.serialize(event, byte[].class);

        assertThat(serialized.getType().getRevision()).isEqualTo("2");
        assertThat(new String(serialized.getData())).contains("\"previousState\":\"SUSPENDED\"");
        assertThat((Object) serializer.deserialize(serialized)).isEqualTo(event);
    }

    @Test
    void anAllocationStoredBeforeRadiusUserNamesReadsWithoutOne() {
        String stored = """
                {"delegationId":"7f0c1d2e-0000-4000-8000-000000000001","tenantId":"isp-a","subscriberId":"sub-1",
                 "poolId":"7f0c1d2e-0000-4000-8000-0000000000aa","prefix":"2001:db8:12:3400::/56",
                 "placement":"BEST_FIT","reclaimedFrom":null,"quarantine":"PT24H","activationRequested":false,
                 "nas":null,"allocatedAt":"2026-04-01T00:00:00Z"}""";

        PrefixAllocatedEvent event = serializer.deserialize(new SimpleSerializedObject<>(stored.getBytes(),
                byte[].class, new SimpleSerializedType(PrefixAllocatedEvent.class.getName(), "1")));

        assertThat(event.radiusUserName()).isNull();
        assertThat(event.effectiveRadiusUserName()).isEqualTo("sub-1");
        assertThat(event.prefix()).isEqualTo(Ipv6Prefix.parse("2001:db8:12:3400::/56"));
    }

    @Test
    void anAllocationWithARadiusUserNameKeepsIt() {
        PrefixAllocatedEvent event = new PrefixAllocatedEvent(UUID.randomUUID(), "isp-a", "sub-1", UUID.randomUUID(),
                Ipv6Prefix.parse("2001:db8:12:3400::/56"), Placement.BEST_FIT, null, Duration.ofDays(1), false, null,
                Instant.parse("2026-04-01T00:00:00Z"), "line-0042");

        SerializedObject<byte[]> serialized = serializer.serialize(event, byte[].class);

        assertThat(serialized.getType().getRevision()).isEqualTo("1");
        assertThat((Object) serializer.deserialize(serialized)).isEqualTo(event);
    }

    @Test
    void aPoolStoredBeforeFirstSightAllocationReadsAsNotAllocatingOnFirstSight() {
        String stored = """
                {"poolId":"7f0c1d2e-0000-4000-8000-0000000000aa","tenantId":"isp-a","name":"north",
                 "prefix":"2001:db8::/32","delegatedLengths":[56],"defaultLength":56,"quarantine":"PT24H",
                 "staleAfter":"PT24H","createdAt":"2026-04-01T00:00:00Z"}""";

        PoolCreatedEvent event = serializer.deserialize(new SimpleSerializedObject<>(stored.getBytes(), byte[].class,
                new SimpleSerializedType(PoolCreatedEvent.class.getName(), "1")));

        assertThat(event.allocateOnFirstSight()).isNull();
        assertThat(event.allocatesOnFirstSight()).isFalse();
        assertThat(event.delegatedLengths()).isEqualTo(List.of(56));
    }
}

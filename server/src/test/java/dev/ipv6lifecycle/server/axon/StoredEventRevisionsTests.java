package dev.ipv6lifecycle.server.axon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import java.time.Instant;
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
}

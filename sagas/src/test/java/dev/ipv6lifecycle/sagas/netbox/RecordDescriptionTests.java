package dev.ipv6lifecycle.sagas.netbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordDescriptionTests {

    private static final UUID DELEGATION = UUID.fromString("3f2b8c1e-6a4d-4e1b-9c2f-0d5e7a8b9c10");

    @Test
    void namesDelegationTenantAndSubscriberAndParsesBack() {
        RecordDescription description = new RecordDescription(DELEGATION, "acme", "sub 42, flat 3");

        assertThat(description.text()).isEqualTo(
                "ipv6-lifecycle delegation=3f2b8c1e-6a4d-4e1b-9c2f-0d5e7a8b9c10 tenant=acme subscriber=sub 42, flat 3");
        assertThat(RecordDescription.parse(description.text())).contains(description);
    }

    @Test
    void cutsTheSubscriberToNetBoxsTwoHundredCharactersButKeepsTheDelegation() {
        String text = new RecordDescription(DELEGATION, "acme", "s".repeat(500)).text();

        assertThat(text).hasSize(RecordDescription.NETBOX_MAX_LENGTH);
        assertThat(RecordDescription.parse(text)).hasValueSatisfying(parsed -> {
            assertThat(parsed.delegationId()).isEqualTo(DELEGATION);
            assertThat(parsed.tenantId()).isEqualTo("acme");
            assertThat(parsed.subscriberId()).startsWith("sss").hasSizeLessThan(500);
        });
    }

    @Test
    void neverCutsACharacterInHalf() {
        String text = new RecordDescription(DELEGATION, "acme", "\uD83D\uDE80".repeat(200)).text();

        assertThat(text.codePointCount(0, text.length())).isEqualTo(RecordDescription.NETBOX_MAX_LENGTH);
        assertThat(Character.isHighSurrogate(text.charAt(text.length() - 1))).isFalse();
    }

    @Test
    void recognisesNothingButItsOwnForm() {
        assertThat(RecordDescription.parse("customer LAN")).isEmpty();
        assertThat(RecordDescription.parse("ipv6-lifecycle")).isEmpty();
        assertThat(RecordDescription.parse("ipv6-lifecycle delegation=not-a-uuid-not-a-uuid-not-a-uuid-xx")).isEmpty();
        assertThat(RecordDescription.parse(null)).isEmpty();
        assertThat(RecordDescription.parse("ipv6-lifecycle delegation=" + DELEGATION))
                .contains(new RecordDescription(DELEGATION, null, null));
    }
}

package dev.ipv6lifecycle.sagas.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** radius.dae.* as Spring Boot binds it from configuration. */
class RadiusPropertiesTests {

    private static RadiusProperties bind(Map<String, String> configuration) {
        return new Binder(new MapConfigurationPropertySource(configuration))
                .bindOrCreate("radius.dae", RadiusProperties.class);
    }

    @Test
    void isDisabledWithTheRfcDefaultsWhenNothingIsConfigured() {
        RadiusProperties properties = bind(Map.of());

        assertThat(properties.enabled()).isFalse();
        assertThat(properties.secretFor("192.0.2.1")).isEmpty();
        assertThat(properties.port()).isEqualTo(3799);
        assertThat(properties.retries()).isEqualTo(2);
        assertThat(properties.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.suspendFilterId()).isEqualTo("ipv6-suspended");
    }

    @Test
    void findsAPerNasSecretByAddressWhateverItsSpelling() {
        RadiusProperties properties = bind(Map.of(
                "radius.dae.secret", "common",
                "radius.dae.nas-secrets.192.0.2.1", "bng-1",
                "radius.dae.nas-secrets[2001:DB8:0::1]", "bng-6",
                "radius.dae.timeout", "500ms",
                "radius.dae.retries", "0"));

        assertThat(properties.enabled()).isTrue();
        assertThat(properties.secretFor("192.0.2.1")).contains("bng-1");
        assertThat(properties.secretFor("2001:db8::1")).contains("bng-6");
        assertThat(properties.secretFor("192.0.2.99")).contains("common");
        assertThat(properties.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.retries()).isZero();
    }

    @Test
    void isEnabledByPerNasSecretsAloneAndSkipsOtherNases() {
        RadiusProperties properties = bind(Map.of("radius.dae.nas-secrets.192.0.2.1", "bng-1"));

        assertThat(properties.enabled()).isTrue();
        assertThat(properties.secretFor("192.0.2.2")).isEmpty();
    }

    @Test
    void refusesAPerNasSecretKeyThatIsNoAddress() {
        assertThatThrownBy(() -> bind(Map.of("radius.dae.nas-secrets.bng1", "x")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("'bng1' is not an IPv4 or IPv6 address");
    }

    @Test
    void keepsTheSecretsOutOfItsTextForm() {
        RadiusProperties properties = bind(Map.of(
                "radius.dae.secret", "common-s3cret",
                "radius.dae.nas-secrets.192.0.2.1", "bng-s3cret"));

        assertThat(properties.toString()).doesNotContain("s3cret").contains("192.0.2.1");
    }
}

package dev.ipv6lifecycle.sagas.radius;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.sagas.network.NetworkAccessServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RadiusConfigurationTests {

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(RadiusConfiguration.class);

    @Test
    void providesADisabledNasWhenNoSecretIsConfigured() {
        context.run(started -> assertThat(started.getBean(NetworkAccessServer.class).enabled()).isFalse());
    }

    @Test
    void providesTheRadiusClientWithTheConfiguredSecret() {
        context.withPropertyValues("radius.dae.secret=s3cret", "radius.dae.port=13799").run(started -> {
            NetworkAccessServer nas = started.getBean(NetworkAccessServer.class);
            assertThat(nas).isInstanceOf(RadiusDaeClient.class);
            assertThat(nas.enabled()).isTrue();
            assertThat(started.getBean(RadiusProperties.class).port()).isEqualTo(13799);
        });
    }
}

package dev.ipv6lifecycle.sagas.netbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.sagas.network.Ipam;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome.Result;
import dev.ipv6lifecycle.testsupport.NetBoxEmulator;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class NetBoxConfigurationTests {

    private static final Ipv6Prefix PREFIX = Ipv6Prefix.parse("2001:db8:12:3400::/56");

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(NetBoxConfiguration.class);

    @Test
    void withoutUrlAndTokenTheIpamIsDisabledAndEveryCallIsSkipped() {
        context.run(started -> {
            Ipam ipam = started.getBean(Ipam.class);
            assertThat(ipam.enabled()).isFalse();
            assertThat(ipam.record("acme", PREFIX, "sub-42", UUID.randomUUID()).result()).isEqualTo(Result.SKIPPED);
            assertThat(ipam.release("acme", PREFIX, UUID.randomUUID()).result()).isEqualTo(Result.SKIPPED);
            assertThat(ipam.recorded(0, 100)).isEmpty();
        });
    }

    @Test
    void aUrlWithoutATokenStillLeavesTheIpamDisabled() {
        context.withPropertyValues("netbox.url=https://netbox.example.net").run(started ->
                assertThat(started.getBean(Ipam.class).enabled()).isFalse());
    }

    @Test
    void withUrlAndTokenTheIpamIsNetBoxWithTheConfiguredTimeout() {
        try (NetBoxEmulator netbox = NetBoxEmulator.start()) {
            context.withPropertyValues("netbox.url=" + netbox.url(), "netbox.token=" + netbox.token(),
                    "netbox.timeout=PT2S").run(started -> {
                        assertThat(started.getBean(NetBoxProperties.class).timeout()).isEqualTo(Duration.ofSeconds(2));
                        Ipam ipam = started.getBean(Ipam.class);
                        assertThat(ipam).isInstanceOf(NetBoxClient.class);
                        assertThat(ipam.enabled()).isTrue();
                        assertThat(ipam.record("acme", PREFIX, "sub-42", UUID.randomUUID()).result())
                                .isEqualTo(Result.SUCCEEDED);
                    });
            assertThat(netbox.records()).hasSize(1);
        }
    }

    @Test
    void theTimeoutDefaultsToFiveSeconds() {
        context.withPropertyValues("netbox.url=https://netbox.example.net", "netbox.token=abc").run(started ->
                assertThat(started.getBean(NetBoxProperties.class).timeout()).isEqualTo(Duration.ofSeconds(5)));
    }
}

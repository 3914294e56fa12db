package dev.ipv6lifecycle.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FreeRadiusNasTests {

    @Test
    void failsWithTheInstallCommandWhenFreeRadiusIsMissing() {
        assertThatThrownBy(() -> FreeRadiusNas.start("secret", Path.of("/nonexistent/sbin/freeradius")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/sbin/freeradius is missing")
                .hasMessageContaining("apt-get install -y --no-install-recommends freeradius");
    }

    @Test
    void startsListeningAndStopsWithoutLeavingItsDirectory() {
        Path directory;
        try (FreeRadiusNas nas = FreeRadiusNas.start("secret")) {
            assertThat(nas.port()).isPositive();
            assertThat(nas.log()).contains("Listening on coa address 127.0.0.1 port " + nas.port())
                    .contains("Ready to process requests");
            assertThat(nas.received()).isEmpty();
            directory = Path.of(nas.log().split("filename = \"")[1].split("\"")[0]).getParent();
        }
        assertThat(directory).doesNotExist();
    }
}

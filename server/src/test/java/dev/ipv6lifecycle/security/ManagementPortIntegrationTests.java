package dev.ipv6lifecycle.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/** With a management port of its own, Prometheus scrapes there without credentials; the API port is as before. */
@IntegrationTest
@TestPropertySource(properties = "management.server.port=0")
// A context of its own: closed afterwards, so that its event processors do not hold segments, as another node
// would, while the shared context's tests replay projections.
@DirtiesContext
class ManagementPortIntegrationTests {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void servesPrometheusWithoutCredentialsOnlyOnTheManagementPort() {
        Api management = new Api(managementPort).anonymous();
        Api.Answer scrape = management.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("ipv6_lifecycle_sweep_last_success_timestamp_seconds");
        assertThat(management.get("/actuator/health").status()).isEqualTo(200);
        assertThat(management.get("/actuator/env").status()).isEqualTo(401);
        assertThat(new Api(managementPort).get("/actuator/env").status()).as("closed to an admin too").isEqualTo(403);

        Api api = new Api(port);
        api.anonymous().get("/actuator/prometheus").assertProblem(401, "unauthorized");
        api.anonymous().get("/api/v1/pools").assertProblem(401, "unauthorized");
        assertThat(api.get("/api/v1/pools").status()).isEqualTo(200);
    }
}

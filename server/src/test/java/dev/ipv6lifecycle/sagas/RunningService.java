package dev.ipv6lifecycle.sagas;

import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.Ipv6LifecycleApplication;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The whole service on a database of its own (so no other test's application runs its sagas), over HTTP on
 * a free port, with the given extra settings. Saga timings are shortened so that retries happen in seconds.
 */
final class RunningService implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    final Api http;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        this.http = new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    static RunningService start(String database, String... settings) {
        List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + database,
                "--spring.datasource.username=" + SharedPostgres.USER, "--spring.datasource.password=",
                "--server.port=0", "--ipv6.scheduler.polling-interval=PT0.2S", "--ipv6.api.activation-wait=PT15S",
                "--ipv6.sagas.first-retry=PT0.5S", "--ipv6.sagas.max-retry=PT1S", "--ipv6.sagas.step-timeout=PT5S",
                "--ipv6.sagas.activation-attempts=3"));
        arguments.addAll(List.of(settings));
        return new RunningService(new SpringApplicationBuilder(Ipv6LifecycleApplication.class)
                .run(arguments.toArray(String[]::new)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    String createPool(String prefix) {
        return createPool(http, prefix);
    }

    /** A pool of the caller's tenant. */
    static String createPool(Api caller, String prefix) {
        Api.Answer created = caller.post("/api/v1/pools", "{\"name\": \"pool-" + UUID.randomUUID() + "\", \"prefix\": \""
                + prefix + "\", \"delegatedLengths\": [56], \"defaultLength\": 56, \"quarantine\": \"PT1S\", "
                + "\"staleAfter\": \"PT1S\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("pool not created: " + created.body());
        }
        return created.json().get("id").asString();
    }

    /** The delegation's history once it satisfies {@code until}. */
    JsonNode awaitHistory(String delegationId, Predicate<String> until) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> until.test(http.get("/api/v1/delegations/" + delegationId + "/history").body()));
        return http.get("/api/v1/delegations/" + delegationId + "/history").json();
    }

    @Override
    public void close() {
        context.close();
    }
}

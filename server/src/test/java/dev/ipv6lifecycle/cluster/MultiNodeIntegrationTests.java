package dev.ipv6lifecycle.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.Ipv6LifecycleApplication;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.api.delegation.RecordNetworkCallCommand;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Three whole services on one database, as three nodes of a cluster would run: each pooled processor's
 * segments are spread over them, a node that leaves has its segments taken over by the others, and
 * commands that two nodes handle at once for one delegation all succeed, none failing the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIntegrationTests {

    /** ipv6.cluster.segments, as application.yml sets it. */
    private static final int SEGMENTS = 4;

    private final Map<String, ConfigurableApplicationContext> nodes = new ConcurrentHashMap<>();
    private JdbcTemplate jdbc;

    @BeforeAll
    void startThreeNodes() throws Exception {
        String database = SharedPostgres.freshDatabase();
        jdbc = new JdbcTemplate(SharedPostgres.dataSource(database));
        // The first node creates the schema; the other two start together.
        nodes.put("node-a", start(database, "node-a"));
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> nodes.put("node-b", start(database, "node-b")), starter),
                    CompletableFuture.runAsync(() -> nodes.put("node-c", start(database, "node-c")), starter)).get();
        } finally {
            starter.shutdown();
        }
    }

    @AfterAll
    void stopNodes() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    @Order(1)
    void everyPooledProcessorsSegmentsAreSpreadOverTheThreeNodes() {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertBalanced(List.of("node-a", "node-b", "node-c")));
    }

    @Test
    @Order(2)
    void commandsForOneDelegationFromTwoNodesAtOnceAllSucceed() throws Exception {
        Api http = new Api(port("node-a"));
        String pool = http.post("/api/v1/pools", "{\"name\": \"cluster\", \"prefix\": \"2001:db8:7c00::/40\", "
                + "\"delegatedLengths\": [56], \"defaultLength\": 56}").json().get("id").asString();
        UUID delegation = UUID.fromString(http.post("/api/v1/delegations", "{\"subscriberId\": \"sub-cluster\", "
                + "\"poolId\": \"" + pool + "\"}").json().get("id").asString());
        String tenant = "default"; // every caller's tenant until authentication arrives

        // Without retries, two nodes writing one delegation's stream collide: PostgreSQL's unique
        // (aggregate, sequence) key refuses the second append, which Axon reports as a ConcurrencyException.
        int conflicts = 0;
        for (int round = 0; round < 5 && conflicts == 0; round++) {
            conflicts = sendFromBothNodes(delegation, tenant, node -> DefaultCommandGateway.builder()
                    .commandBus(nodes.get(node).getBean(CommandBus.class)).build()).get(ConcurrencyException.class);
        }
        assertThat(conflicts).as("conflicts without retries").isPositive();

        // The service's gateway retries them with backoff: every command succeeds and is recorded.
        long before = networkCalls(delegation);
        Map<Class<?>, Integer> failures = sendFromBothNodes(delegation, tenant,
                node -> nodes.get(node).getBean(CommandGateway.class));
        assertThat(failures).isEmpty();
        assertThat(networkCalls(delegation) - before).isEqualTo(2 * COMMANDS_PER_NODE);
    }

    @Test
    @Order(3)
    void theSegmentsOfANodeThatLeavesAreTakenOverByTheOthers() {
        nodes.remove("node-c").close();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertBalanced(List.of("node-a", "node-b")));
    }

    /** Every segment of every processor claimed, only by the given nodes, none holding above its share. */
    private void assertBalanced(List<String> live) {
        List<Map<String, Object>> claims = jdbc.queryForList(
                "SELECT processor_name, owner, count(*) AS segments FROM token_entry GROUP BY processor_name, owner");
        Map<String, Long> perProcessor = claims.stream().collect(Collectors.groupingBy(
                row -> (String) row.get("processor_name"), Collectors.summingLong(row -> (Long) row.get("segments"))));
        assertThat(perProcessor).as("pooled processors").hasSize(6).allSatisfy((name, segments) ->
                assertThat(segments).as(name).isEqualTo(SEGMENTS));
        int share = (SEGMENTS + live.size() - 1) / live.size();
        for (Map<String, Object> row : claims) {
            String what = row.get("processor_name") + " owned by " + row.get("owner");
            assertThat((String) row.get("owner")).as(what).isIn(live);
            assertThat((Long) row.get("segments")).as(what).isLessThanOrEqualTo(share);
        }
    }

    private static final int COMMANDS_PER_NODE = 40;

    /** Sends commands for one delegation from two nodes, two threads each; the failures by type. */
    private Map<Class<?>, Integer> sendFromBothNodes(UUID delegation, String tenant,
                                                     java.util.function.Function<String, CommandGateway> gateway)
            throws Exception {
        Map<Class<?>, Integer> failures = new ConcurrentHashMap<>();
        AtomicInteger attempt = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (String node : List.of("node-a", "node-b")) {
                CommandGateway commands = gateway.apply(node);
                for (int thread = 0; thread < 2; thread++) {
                    all.add(CompletableFuture.runAsync(() -> IntStream.range(0, COMMANDS_PER_NODE / 2).forEach(i -> {
                        try {
                            commands.sendAndWait(new RecordNetworkCallCommand(delegation, tenant, NetworkStep.PUSH_PREFIX,
                                    NetworkResult.SUCCEEDED, attempt.incrementAndGet(), node));
                        } catch (RuntimeException failure) {
                            failures.merge(failure.getClass(), 1, Integer::sum);
                        }
                    }), senders));
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } finally {
            senders.shutdown();
        }
        failures.putIfAbsent(ConcurrencyException.class, 0);
        if (failures.get(ConcurrencyException.class) == 0) {
            failures.remove(ConcurrencyException.class);
        }
        return failures;
    }

    private long networkCalls(UUID delegation) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%NetworkCallRecordedEvent'""",
                Long.class, delegation.toString());
    }

    private int port(String node) {
        return Integer.parseInt(nodes.get(node).getEnvironment().getProperty("local.server.port"));
    }

    private static ConfigurableApplicationContext start(String database, String nodeId) {
        return new SpringApplicationBuilder(Ipv6LifecycleApplication.class).run(
                "--spring.datasource.url=" + database, "--spring.datasource.username=" + SharedPostgres.USER,
                "--spring.datasource.password=", "--server.port=0", "--ipv6.node-id=" + nodeId,
                "--ipv6.sweep.cron=-");
    }
}

package dev.ipv6lifecycle.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.Ipv6LifecycleApplication;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.api.delegation.RecordNetworkCallsCommand;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
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

    /** ipv6.cluster.segments, as application.yml sets it: the projections'. */
    private static final int SEGMENTS = 4;
    /** ipv6.sagas.segments, as application.yml sets it: the sagas' and the session notifications'. */
    private static final Map<String, Integer> SAGA_SEGMENTS = Map.of("activation-saga", 1, "revocation-saga", 1,
            "session-notifications", 1);

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
    void commandsForOneDelegationFromTwoNodesAtOnceAllSucceedAndEachIsRecordedOnce() throws Exception {
        Api http = new Api(port("node-a"));
        String pool = http.post("/api/v1/pools", "{\"name\": \"cluster\", \"prefix\": \"2001:db8:7c00::/40\", "
                + "\"delegatedLengths\": [56], \"defaultLength\": 56}").json().get("id").asString();
        UUID delegation = UUID.fromString(http.post("/api/v1/delegations", "{\"subscriberId\": \"sub-cluster\", "
                + "\"poolId\": \"" + pool + "\"}").json().get("id").asString());
        String tenant = "default"; // every caller's tenant until authentication arrives

        // Without retries, two nodes writing one delegation's stream may collide: PostgreSQL's unique
        // (aggregate, sequence) key refuses the second append, which Axon reports as a ConcurrencyException.
        // Whether they do depends on the timing, so what is asserted is what holds either way: each command
        // either is recorded once or fails with that exception and leaves nothing behind.
        Sent unretried = sendFromBothNodes(delegation, tenant, node -> DefaultCommandGateway.builder()
                .commandBus(nodes.get(node).getBean(CommandBus.class)).build());
        assertThat(unretried.failures().keySet()).as("failures without retries")
                .isSubsetOf(ConcurrencyException.class);
        assertThat(unretried.succeeded().size() + unretried.failures().getOrDefault(ConcurrencyException.class, 0))
                .isEqualTo(2 * COMMANDS_PER_NODE);
        assertTheStreamHoldsExactly(delegation, unretried.succeeded());

        // The service's gateway retries them with backoff: every command succeeds and is recorded once.
        Sent retried = sendFromBothNodes(delegation, tenant, node -> nodes.get(node).getBean(CommandGateway.class));
        assertThat(retried.failures()).isEmpty();
        assertThat(retried.succeeded()).hasSize(2 * COMMANDS_PER_NODE);
        Set<Integer> all = new HashSet<>(unretried.succeeded());
        all.addAll(retried.succeeded());
        assertTheStreamHoldsExactly(delegation, all);
    }

    /**
     * The delegation's network calls are exactly the given attempts, each once, and its stream's sequence
     * numbers run 0, 1, 2... without a gap or a repeat (no two appends took one place).
     */
    private void assertTheStreamHoldsExactly(UUID delegation, Set<Integer> attempts) {
        List<Integer> recorded = jdbc.queryForList("""
                SELECT (convert_from(payload, 'UTF8')::jsonb ->> 'attempt')::int FROM domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%NetworkCallRecordedEvent'""",
                Integer.class, delegation.toString());
        assertThat(recorded).as("network calls recorded").containsExactlyInAnyOrderElementsOf(attempts);
        List<Long> sequence = jdbc.queryForList("SELECT sequence_number FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? ORDER BY sequence_number", Long.class, delegation.toString());
        assertThat(sequence).containsExactlyElementsOf(LongStream.range(0, sequence.size()).boxed().toList());
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
                assertThat(segments).as(name).isEqualTo(segments(name)));
        for (Map<String, Object> row : claims) {
            String what = row.get("processor_name") + " owned by " + row.get("owner");
            long share = (segments((String) row.get("processor_name")) + live.size() - 1) / live.size();
            assertThat((String) row.get("owner")).as(what).isIn(live);
            assertThat((Long) row.get("segments")).as(what).isLessThanOrEqualTo(share);
        }
    }

    private static long segments(String processor) {
        return SAGA_SEGMENTS.getOrDefault(processor, SEGMENTS);
    }

    private static final int COMMANDS_PER_NODE = 40;
    /** Attempt numbers across both rounds, so that every command sent is told apart in the stream. */
    private static final AtomicInteger ATTEMPTS = new AtomicInteger();

    /** The attempt numbers of the commands that succeeded, and the failures by type. */
    private record Sent(Set<Integer> succeeded, Map<Class<?>, Integer> failures) {
    }

    /** Sends commands for one delegation from two nodes, two threads each, each with an attempt number of its own. */
    private Sent sendFromBothNodes(UUID delegation, String tenant,
                                   java.util.function.Function<String, CommandGateway> gateway) throws Exception {
        Set<Integer> succeeded = ConcurrentHashMap.newKeySet();
        Map<Class<?>, Integer> failures = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (String node : List.of("node-a", "node-b")) {
                CommandGateway commands = gateway.apply(node);
                for (int thread = 0; thread < 2; thread++) {
                    all.add(CompletableFuture.runAsync(() -> IntStream.range(0, COMMANDS_PER_NODE / 2).forEach(i -> {
                        int attempt = ATTEMPTS.incrementAndGet();
                        try {
                            commands.sendAndWait(RecordNetworkCallsCommand.of(delegation, tenant, NetworkStep.PUSH_PREFIX,
                                    NetworkResult.SUCCEEDED, attempt, node));
                            succeeded.add(attempt);
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
        return new Sent(succeeded, failures);
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

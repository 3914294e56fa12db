package dev.ipv6lifecycle.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.testsupport.ReservationOverlaps;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * 32 threads allocate 2,000 prefixes each, of mixed lengths, in one pool. Afterwards PostgreSQL is asked
 * directly: no two reservations overlap, and each acknowledged allocation has exactly one event.
 * The throughput it logs is informative only: performance is measured by the harness in bench/.
 */
@IntegrationTest
class ConcurrentAllocationIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentAllocationIntegrationTests.class);
    private static final int THREADS = 32;
    private static final int PER_THREAD = 2_000;
    private static final List<Integer> LENGTHS = List.of(48, 56, 60, 64);

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void thirtyTwoThreadsAllocatingInOnePoolNeverOverlapAndEveryAllocationHasExactlyOneEvent() throws Exception {
        String tenant = "isp-" + UUID.randomUUID();
        UUID pool = UUID.randomUUID();
        commands.sendAndWait(new CreatePoolCommand(pool, tenant, "load", Ipv6Prefix.parse("2001:db8::/32"),
                Set.copyOf(LENGTHS), 64, Duration.ofDays(1), null));
        double racesBefore = races();
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new ArrayList<>();

        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        long started = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            work.add(threads.submit(() -> {
                for (int i = 0; i < PER_THREAD; i++) {
                    int length = LENGTHS.get(ThreadLocalRandom.current().nextInt(LENGTHS.size()));
                    AllocationResult result = commands.sendAndWait(new AllocatePrefixCommand(UUID.randomUUID(), tenant,
                            "sub-" + thread + "-" + i, pool, length, null, false, null));
                    assertThat(result.prefix().length()).isEqualTo(length);
                    acknowledged.add(result.delegationId());
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        threads.shutdown();

        log.info("{} allocations by {} threads in {} s: {} allocations/s, {} conflicts retried",
                acknowledged.size(), THREADS, String.format("%.1f", seconds),
                String.format("%.0f", acknowledged.size() / seconds), (long) (races() - racesBefore));
        assertThat(failures).isEmpty();
        assertThat(acknowledged).hasSize(THREADS * PER_THREAD);
        assertThat(ReservationOverlaps.count(jdbc, tenant)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE pool_id = ?", Long.class, pool))
                .isEqualTo(THREADS * PER_THREAD);
        List<UUID> eventAggregates = jdbc.query("""
                SELECT aggregate_identifier::uuid FROM domain_event_entry
                WHERE payload_type = 'dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent'
                  AND convert_from(payload, 'UTF8')::jsonb ->> 'poolId' = ?""",
                (rs, i) -> rs.getObject(1, UUID.class), pool.toString());
        assertThat(eventAggregates).hasSize(acknowledged.size());
        assertThat(new HashSet<>(eventAggregates)).isEqualTo(acknowledged);
    }

    private double races() {
        return meters.get("ipv6.allocation.conflicts").counter().count();
    }
}

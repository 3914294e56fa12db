package dev.ipv6lifecycle.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.Ipv6LifecycleApplication;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The end of a quarantine is a durable deadline: the application that scheduled it stops, a new one
 * starts on the same database, and the prefix is released on time all the same. The first application
 * never looks for due deadlines while it runs, so only the second one can end the quarantine, however long
 * either of them takes on a loaded machine: no step depends on the quarantine not having ended yet.
 */
class QuarantineAcrossRestartIntegrationTests {

    private static final Duration QUARANTINE = Duration.ofSeconds(5);
    private static final Ipv6Prefix POOL = Ipv6Prefix.parse("2001:db8:77::/48");

    @Test
    void aQuarantinedPrefixSurvivesARestartAndItsDeadlineReleasesItAfterwards() {
        // A database of its own, so that no other test's application can run the deadline meanwhile.
        String database = SharedPostgres.freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(database));
        String tenant = "isp-a";
        UUID pool = UUID.randomUUID();
        AllocationResult allocation;
        Instant revokedAt;

        // db-scheduler polls for due executions at its start and then once per polling interval; it wakes up
        // early only for an execution scheduled for now, which a quarantine's end never is.
        try (ConfigurableApplicationContext first = start(database, "--ipv6.scheduler.polling-interval=PT1H")) {
            CommandGateway commands = first.getBean(CommandGateway.class);
            commands.sendAndWait(new CreatePoolCommand(pool, tenant, "restart", POOL, Set.of(56), 56, QUARANTINE, null));
            allocation = commands.sendAndWait(new AllocatePrefixCommand(UUID.randomUUID(), tenant, "sub-1", pool, null,
                    null, false, null));
            commands.sendAndWait(new ActivatePrefixCommand(allocation.delegationId(), tenant, null, null));
            commands.sendAndWait(new RevokePrefixCommand(allocation.delegationId(), tenant, "left", null));
            revokedAt = Instant.now();
            commands.sendAndWait(new CompleteRevocationCommand(allocation.delegationId(), tenant, null));
            // The revocation saga ends (and cancels its own deadlines) once it sees the revocation complete.
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    jdbc.queryForObject("SELECT count(*) FROM saga_entry", Long.class) == 0);
        }

        assertThat(quarantined(jdbc, allocation.delegationId())).as("still quarantined once the first stopped").isTrue();
        assertThat(deadlines(jdbc)).isEqualTo(1L);

        try (ConfigurableApplicationContext second = start(database, "--ipv6.scheduler.polling-interval=PT0.2S")) {
            await().atMost(QUARANTINE.plusSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    jdbc.queryForObject("SELECT count(*) FROM prefix_reservation", Long.class) == 0);
            Instant releasedAt = Instant.now();

            assertThat(releasedAt).isAfterOrEqualTo(revokedAt.plus(QUARANTINE));
            assertThat(jdbc.queryForList("SELECT prefix::text FROM free_block WHERE pool_id = ?", String.class, pool))
                    .as("the released /56 merged back into one free /48").containsExactly(POOL.canonical());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                    + "AND payload_type LIKE '%PrefixQuarantineEndedEvent'", Long.class,
                    allocation.delegationId().toString())).isEqualTo(1L);
            assertThat(deadlines(jdbc)).isZero();
        }
    }

    /** Scheduled deadlines, leaving out the recurring tasks (the sweep, the RADIUS accounting checks). */
    private static long deadlines(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_name NOT IN ('ipv6-sweep', "
                + "'ipv6-accounting-stale-sessions', 'ipv6-accounting-stale-active')", Long.class);
    }

    private static boolean quarantined(JdbcTemplate jdbc, UUID delegation) {
        return jdbc.queryForObject("SELECT quarantined_until IS NOT NULL FROM prefix_reservation WHERE delegation_id = ?",
                Boolean.class, delegation);
    }

    private static ConfigurableApplicationContext start(String database, String pollingInterval) {
        return new SpringApplicationBuilder(Ipv6LifecycleApplication.class)
                .web(WebApplicationType.NONE)
                .run("--spring.datasource.url=" + database, "--spring.datasource.username=" + SharedPostgres.USER,
                        "--spring.datasource.password=", pollingInterval);
    }
}

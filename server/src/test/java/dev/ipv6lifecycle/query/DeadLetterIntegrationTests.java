package dev.ipv6lifecycle.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.ipv6lifecycle.Ipv6LifecycleApplication;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.FindDelegationQuery;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import dev.ipv6lifecycle.api.pool.PoolDrainedEvent;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An event a projection cannot apply is parked in the dead-letter queue of that projection's group, whether
 * its handler fails in Java or PostgreSQL refuses its writes at commit, and the processor carries on with the
 * next events; a replay clears the queue and parks it once again.
 */
class DeadLetterIntegrationTests {

    @Test
    void parksAnEventItsProjectionsFailOnAndCarriesOnWithTheFollowingEvents() {
        // A database of its own: the malformed event stays in this event store for good, out of every
        // other test's way.
        String database = SharedPostgres.freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(database));
        String tenant = "isp-a";
        UUID poison = UUID.randomUUID();

        try (ConfigurableApplicationContext application = start(database)) {
            CommandGateway commands = application.getBean(CommandGateway.class);
            QueryGateway queries = application.getBean(QueryGateway.class);
            QuerySideProcessors processors = new QuerySideProcessors(application.getBean(EventProcessingConfiguration.class),
                    application.getBean(EventStore.class), application.getBean(TransactionManager.class));
            UUID pool = UUID.randomUUID();
            commands.sendAndWait(new CreatePoolCommand(pool, tenant, "pool", Ipv6Prefix.parse("2001:db8::/48"), Set.of(56),
                    56, Duration.ofDays(1), null));
            storeWithoutTheCommandSide(application, jdbc, "Delegation", poison, 0, new PrefixAllocatedEvent(poison, tenant,
                    "sub-poison", pool, null, Placement.BEST_FIT, null, Duration.ofDays(1), false, null, Instant.now()));
            AllocationResult next = commands.sendAndWait(new AllocatePrefixCommand(UUID.randomUUID(), tenant, "sub-1", pool,
                    null, null, false, null));

            await().atMost(Duration.ofSeconds(30)).until(() -> queries.query(new FindDelegationQuery(tenant,
                    next.delegationId()), ResponseTypes.optionalInstanceOf(DelegationView.class)).join().isPresent());
            processors.awaitCaughtUp();
            assertThat(deadLetters(jdbc)).containsExactlyInAnyOrder(
                    Map.of("processing_group", Projections.DELEGATIONS, "sequence_identifier", poison.toString(),
                            "cause_type", NullPointerException.class.getName(),
                            "cause_message", "PrefixAllocatedEvent without a prefix"),
                    Map.of("processing_group", Projections.ASSIGNMENT_HISTORY, "sequence_identifier", poison.toString(),
                            "cause_type", NullPointerException.class.getName(),
                            "cause_message", "PrefixAllocatedEvent without a prefix"));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM delegation_view WHERE delegation_id = ?", Long.class,
                    poison)).isZero();

            processors.replay(Projections.DELEGATIONS);
            processors.awaitReplaysFinished();

            assertThat(deadLetters(jdbc)).as("the replay met the event again and parked it once, not twice").hasSize(2);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM delegation_view WHERE tenant_id = ?", Long.class, tenant))
                    .isOne();
        }
    }

    @Test
    void parksAnEventPostgreSqlRefusesAtCommitAndTheLaterEventsOfItsPoolWhileTheSegmentGoesOn() {
        String database = SharedPostgres.freshDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(database));
        String tenant = "isp-a";
        UUID refused = UUID.randomUUID();

        try (ConfigurableApplicationContext application = start(database)) {
            CommandGateway commands = application.getBean(CommandGateway.class);
            QuerySideProcessors processors = new QuerySideProcessors(application.getBean(EventProcessingConfiguration.class),
                    application.getBean(EventStore.class), application.getBean(TransactionManager.class));
            // Valid Java, but text PostgreSQL cannot store: the failure comes only when the batch's writes are
            // sent, at commit, outside the handler. The pool's later event must wait behind it.
            storeWithoutTheCommandSide(application, jdbc, "Pool", refused, 0, new PoolCreatedEvent(refused, tenant,
                    "bad\u0000name", Ipv6Prefix.parse("2001:db8:ff::/48"), List.of(56), 56, Duration.ofDays(1),
                    Duration.ofHours(24), Instant.now()));
            storeWithoutTheCommandSide(application, jdbc, "Pool", refused, 1, new PoolDrainedEvent(refused, tenant,
                    "later", Instant.now()));
            // More pools than segments, so that some share the refused event's segment.
            List<UUID> good = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                UUID pool = UUID.randomUUID();
                good.add(pool);
                commands.sendAndWait(new CreatePoolCommand(pool, tenant, "pool " + i,
                        Ipv6Prefix.parse("2001:db8:" + i + "::/48"), Set.of(56), 56, Duration.ofDays(1), null));
            }

            await().atMost(Duration.ofSeconds(90)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM pool_view WHERE tenant_id = ?", Long.class, tenant) == good.size());
            processors.awaitCaughtUp();

            assertThat(jdbc.queryForList("SELECT pool_id FROM pool_view", UUID.class))
                    .containsExactlyInAnyOrderElementsOf(good);
            List<Map<String, Object>> letters = jdbc.queryForList("""
                    SELECT sequence_identifier, sequence_index, payload_type, cause_type, cause_message
                    FROM dead_letter_entry WHERE processing_group = ? ORDER BY sequence_index""", Projections.POOLS);
            assertThat(letters).extracting(letter -> letter.get("sequence_identifier"), letter -> letter.get("payload_type"))
                    .containsExactly(tuple(refused.toString(), PoolCreatedEvent.class.getName()),
                            tuple(refused.toString(), PoolDrainedEvent.class.getName()));
            assertThat((String) letters.get(0).get("cause_type")).endsWith("UnwritableEventException");
            assertThat((String) letters.get(0).get("cause_message")).contains("0x00");
            MeterRegistry registry = application.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(registry.get("ipv6.projection.dead.letters").tag("group", Projections.POOLS).gauge().value())
                        .as("the gauge an alert watches").isEqualTo(2.0);
                assertThat(registry.get("ipv6.projection.failing.segments").tag("group", Projections.POOLS).gauge()
                        .value()).as("no segment left failing").isZero();
            });
        }
    }

    /**
     * Appends the event as the event store would, but straight into its table: the command side, which
     * rejects such an event in the appending transaction, never sees it. An event from an older version, or
     * one a faulty upcaster produced, reaches the projections the same way.
     */
    private static void storeWithoutTheCommandSide(ConfigurableApplicationContext application, JdbcTemplate jdbc,
                                                   String aggregateType, UUID aggregateId, long sequence, Object event) {
        Serializer serializer = application.getBean("eventSerializer", Serializer.class);
        SerializedObject<byte[]> payload = serializer.serialize(event, byte[].class);
        SerializedObject<byte[]> metaData = serializer.serialize(MetaData.emptyInstance(), byte[].class);
        jdbc.update("""
                INSERT INTO domain_event_entry (global_index, event_identifier, meta_data, payload, payload_revision,
                                                payload_type, time_stamp, aggregate_identifier, sequence_number, type)
                VALUES (nextval('domain_event_entry_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                UUID.randomUUID().toString(), metaData.getData(), payload.getData(), payload.getType().getRevision(),
                payload.getType().getName(), Instant.now().toString(), aggregateId.toString(), sequence, aggregateType);
    }

    private static List<Map<String, Object>> deadLetters(JdbcTemplate jdbc) {
        return jdbc.queryForList("""
                SELECT processing_group, sequence_identifier, cause_type, cause_message FROM dead_letter_entry
                ORDER BY processing_group""");
    }

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(Ipv6LifecycleApplication.class)
                .web(WebApplicationType.NONE)
                .run("--spring.datasource.url=" + database, "--spring.datasource.username=" + SharedPostgres.USER,
                        "--spring.datasource.password=");
    }
}

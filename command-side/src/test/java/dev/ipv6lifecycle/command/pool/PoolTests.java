package dev.ipv6lifecycle.command.pool;

import dev.ipv6lifecycle.api.DomainRejection;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.hasProperty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.api.pool.DrainPoolCommand;
import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import dev.ipv6lifecycle.api.pool.PoolDrainedEvent;
import dev.ipv6lifecycle.api.pool.PoolOverlapException;
import dev.ipv6lifecycle.api.pool.PoolRetiredEvent;
import dev.ipv6lifecycle.api.pool.PoolUndrainedEvent;
import dev.ipv6lifecycle.api.pool.RetirePoolCommand;
import dev.ipv6lifecycle.api.pool.UndrainPoolCommand;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class PoolTests {

    private static final UUID ID = UUID.fromString("0b5e0000-0000-4000-8000-000000000001");
    private static final String TENANT = "isp-a";
    private static final Ipv6Prefix SPACE = Ipv6Prefix.parse("2001:db8::/32");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** The fixture's frozen clock, at the precision events carry. */
    private Instant now() {
        return fixture.currentTime().truncatedTo(ChronoUnit.MICROS);
    }

    private AggregateTestFixture<Pool> fixture;
    private JdbcTemplate jdbc;
    private PoolRegistry registry;

    @BeforeEach
    void setUp() {
        jdbc = new JdbcTemplate(SharedPostgres.dataSource(SharedPostgres.freshDatabase()));
        registry = new PoolRegistry(jdbc);
        fixture = new AggregateTestFixture<>(Pool.class);
        fixture.registerInjectableResource(registry);
    }

    @Test
    void createsAPoolWithTheDefaultQuarantineAndStaleThreshold() {
        fixture.givenNoPriorActivity()
                .when(new CreatePoolCommand(ID, TENANT, " residential ", SPACE, Set.of(64, 56, 48), 56, null, null))
                .expectEvents(new PoolCreatedEvent(ID, TENANT, "residential", SPACE, List.of(48, 56, 64), 56,
                        Duration.ofDays(1), Duration.ofHours(24), now()));
    }

    @Test
    void rejectsDelegatedLengthsOutside48To64() {
        expectInvalid(new CreatePoolCommand(ID, TENANT, "p", SPACE, Set.of(44, 56), 56, null, null),
                "delegated length /44 is outside /48../64");
    }

    @Test
    void rejectsDelegatedLengthsThatDoNotFitInThePool() {
        expectInvalid(new CreatePoolCommand(ID, TENANT, "p", Ipv6Prefix.parse("2001:db8::/56"), Set.of(56, 64), 64,
                null, null), "delegated length /56 does not fit in the pool 2001:db8::/56; it must be longer than /56");
    }

    @Test
    void rejectsADefaultLengthItDoesNotServe() {
        expectInvalid(new CreatePoolCommand(ID, TENANT, "p", SPACE, Set.of(56, 64), 48, null, null),
                "defaultLength /48 is not one of the delegated lengths [56, 64]");
    }

    @Test
    void rejectsAPoolOverlappingAnotherPoolOfTheSameTenant() {
        registry.add(created(UUID.randomUUID(), TENANT, "2001:db8:8000::/33"));

        fixture.givenNoPriorActivity()
                .when(new CreatePoolCommand(ID, TENANT, "p", SPACE, Set.of(56), 56, null, null))
                .expectNoEvents()
                .expectException(PoolOverlapException.class);
    }

    @Test
    void acceptsTheSameSpaceForAnotherTenant() {
        registry.add(created(UUID.randomUUID(), "isp-b", "2001:db8::/32"));

        fixture.givenNoPriorActivity()
                .when(new CreatePoolCommand(ID, TENANT, "p", SPACE, Set.of(56), 56, null, null))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void drainsOnceAndIgnoresARepeatedDrain() {
        fixture.given(created(ID, TENANT, "2001:db8::/32"))
                .when(new DrainPoolCommand(ID, TENANT, "migrating"))
                .expectEvents(new PoolDrainedEvent(ID, TENANT, "migrating", now()));
        fixture.given(created(ID, TENANT, "2001:db8::/32"), new PoolDrainedEvent(ID, TENANT, null, T0))
                .when(new DrainPoolCommand(ID, TENANT, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void undrainsADrainingPool() {
        fixture.given(created(ID, TENANT, "2001:db8::/32"), new PoolDrainedEvent(ID, TENANT, null, T0))
                .when(new UndrainPoolCommand(ID, TENANT, null))
                .expectEvents(new PoolUndrainedEvent(ID, TENANT, null, now()));
    }

    @Test
    void retiresAnEmptyPool() {
        PoolCreatedEvent created = created(ID, TENANT, "2001:db8::/32");
        registry.add(created);

        fixture.given(created)
                .when(new RetirePoolCommand(ID, TENANT, "returned to the RIR"))
                .expectEvents(new PoolRetiredEvent(ID, TENANT, "returned to the RIR", now()));
    }

    @Test
    void refusesToRetireAPoolThatStillHoldsAPrefix() {
        PoolCreatedEvent created = created(ID, TENANT, "2001:db8::/32");
        registry.add(created);
        jdbc.update("INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id, "
                + "quarantined_until) VALUES (?, ?, '2001:db8:1::/48', ?, 'sub-1', now())", TENANT, ID, UUID.randomUUID());

        fixture.given(created)
                .when(new RetirePoolCommand(ID, TENANT, null))
                .expectNoEvents()
                .expectException(allOf(instanceOf(DomainRejection.class), hasProperty("message",
                        is("pool " + ID + " still holds 1 live or quarantined prefixes; drain it and wait until it is empty"))));
    }

    @Test
    void refusesToDrainARetiredPool() {
        fixture.given(created(ID, TENANT, "2001:db8::/32"), new PoolRetiredEvent(ID, TENANT, null, T0))
                .when(new DrainPoolCommand(ID, TENANT, null))
                .expectException(DomainRejection.class);
    }

    @Test
    void answersAnotherTenantAsIfThePoolDidNotExist() {
        fixture.given(created(ID, TENANT, "2001:db8::/32"))
                .when(new DrainPoolCommand(ID, "isp-b", null))
                .expectNoEvents()
                .expectException(allOf(instanceOf(DomainRejection.class), hasProperty("message", is("no pool " + ID))));
    }

    private void expectInvalid(CreatePoolCommand command, String message) {
        fixture.givenNoPriorActivity()
                .when(command)
                .expectNoEvents()
                .expectException(allOf(instanceOf(DomainRejection.class), hasProperty("message", is(message))));
    }

    private static PoolCreatedEvent created(UUID id, String tenant, String prefix) {
        return new PoolCreatedEvent(id, tenant, "p", Ipv6Prefix.parse(prefix), List.of(48, 56, 64), 56,
                Duration.ofDays(1), Duration.ofHours(24), T0);
    }
}

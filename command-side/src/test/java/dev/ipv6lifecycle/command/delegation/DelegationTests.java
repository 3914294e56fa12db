package dev.ipv6lifecycle.command.delegation;

import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.ACTIVATE;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.COMPLETE_REVOCATION;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.FAIL;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.RESUME;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.REVOKE;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.SUSPEND;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.ACTIVE;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.ALLOCATED;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.FAILED;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.REVOKED;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.REVOKING;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.hasProperty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
import dev.ipv6lifecycle.api.delegation.EndQuarantineCommand;
import dev.ipv6lifecycle.api.delegation.NetworkCallRecordedEvent;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationRetriedEvent;
import dev.ipv6lifecycle.api.delegation.RecordNetworkCallsCommand;
import dev.ipv6lifecycle.api.delegation.RetryRevocationCommand;
import dev.ipv6lifecycle.api.delegation.DelegationNotFoundException;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.FailActivationCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.LifecycleTransitionRejectedException;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixQuarantineEndedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixResumedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent;
import dev.ipv6lifecycle.api.delegation.RadiusUserNameSetEvent;
import dev.ipv6lifecycle.api.delegation.ResumePrefixCommand;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.delegation.SetRadiusUserNameCommand;
import dev.ipv6lifecycle.api.delegation.SuspendPrefixCommand;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cell of the state table (docs/architecture.md, State rules), and what the delegation does around it. */
class DelegationTests {

    private static final UUID ID = UUID.fromString("6f1c2b1e-0000-4000-8000-000000000001");
    private static final UUID POOL = UUID.fromString("6f1c2b1e-0000-4000-8000-0000000000aa");
    private static final String TENANT = "isp-a";
    private static final Ipv6Prefix PREFIX = Ipv6Prefix.parse("2001:db8:12:3400::/56");
    private static final Duration QUARANTINE = Duration.ofHours(6);
    private static final NasSession NAS = new NasSession("alice@isp", "192.0.2.10", "sess-1");
    private static final Instant T0 = Instant.parse("2026-03-14T10:00:00Z");

    /** The fixture's frozen clock, at the precision events carry. */
    private Instant now() {
        return fixture.currentTime().truncatedTo(ChronoUnit.MICROS);
    }

    private AggregateTestFixture<Delegation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Delegation.class);
    }

    /** The table: what each command does in each state; absent cells are refused (409). */
    private static final Map<LifecycleState, Map<LifecycleCommand, LifecycleState>> TABLE = Map.of(
            ALLOCATED, Map.of(ACTIVATE, ACTIVE, REVOKE, REVOKING, FAIL, FAILED),
            ACTIVE, Map.of(ACTIVATE, ACTIVE, SUSPEND, SUSPENDED, RESUME, ACTIVE, REVOKE, REVOKING),
            SUSPENDED, Map.of(SUSPEND, SUSPENDED, RESUME, ACTIVE, REVOKE, REVOKING),
            REVOKING, Map.of(REVOKE, REVOKING, COMPLETE_REVOCATION, REVOKED),
            REVOKED, Map.of(REVOKE, REVOKED, COMPLETE_REVOCATION, REVOKED),
            FAILED, Map.of(REVOKE, FAILED, FAIL, FAILED));

    static Stream<Arguments> everyCell() {
        List<Arguments> cells = new ArrayList<>();
        for (LifecycleState state : TABLE.keySet()) {
            for (LifecycleCommand command : LifecycleCommand.values()) {
                cells.add(Arguments.of(state, command));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{1} on a {0} delegation")
    @MethodSource("everyCell")
    void followsTheStateTableInEveryCell(LifecycleState state, LifecycleCommand command) {
        LifecycleState expected = TABLE.get(state).get(command);
        var result = fixture.given(history(state)).when(command(command));

        if (expected == null) {
            List<LifecycleCommand> allowed = Stream.of(LifecycleCommand.values()).filter(TABLE.get(state)::containsKey).toList();
            result.expectNoEvents()
                    .expectException(allOf(instanceOf(LifecycleTransitionRejectedException.class),
                            hasProperty("message", is("cannot " + command.wireName() + " delegation " + ID
                                    + " in state " + state + "; allowed: "
                                    + allowed.stream().map(LifecycleCommand::wireName).toList()))));
        } else if (expected == state) {
            result.expectSuccessfulHandlerExecution().expectNoEvents();
        } else {
            result.expectSuccessfulHandlerExecution().expectEvents(event(state, command));
        }
    }

    @Test
    void answersACommandWithTheDelegationAsItStandsAfterIt() {
        Instant activated = T0.plusSeconds(1);
        fixture.given(history(ACTIVE))
                .when(new SuspendPrefixCommand(ID, TENANT, "unpaid", null))
                .expectResultMessagePayload(new DelegationView(ID, "sub-1", POOL, PREFIX, 56, SUSPENDED, T0, activated,
                        now(), null, null, "unpaid", null));
    }

    @Test
    void answersARepeatedCommandWithTheUnchangedDelegation() {
        Instant t = T0.plusSeconds(1);
        fixture.given(history(REVOKED))
                .when(new RevokePrefixCommand(ID, TENANT, "again", null))
                .expectNoEvents()
                .expectResultMessagePayload(new DelegationView(ID, "sub-1", POOL, PREFIX, 56, REVOKED, T0, t, null, t,
                        null, null, t.plus(QUARANTINE)));
    }

    @Test
    void namesTheCurrentStateAndTheAllowedCommandsWhenRefusing() {
        fixture.given(history(REVOKED))
                .when(new SuspendPrefixCommand(ID, TENANT, null, null))
                .expectException(LifecycleTransitionRejectedException.class);

        var rejection = new LifecycleTransitionRejectedException(ID, SUSPEND, REVOKED, Lifecycle.allowed(REVOKED));
        assertThat(rejection.currentState()).isEqualTo(REVOKED);
        assertThat(rejection.allowedCommands()).containsExactly(REVOKE, COMPLETE_REVOCATION);
    }

    @Test
    void completingTheRevocationQuarantinesThePrefixUntilAPersistentDeadline() {
        fixture.given(history(REVOKING))
                .when(new CompleteRevocationCommand(ID, TENANT, "subscriber left"))
                .expectEvents(new PrefixRevokedEvent(ID, TENANT, PREFIX, now().plus(QUARANTINE),
                        "subscriber left", now()))
                .expectScheduledDeadlineWithName(now().plus(QUARANTINE), Delegation.QUARANTINE_END);
    }

    @Test
    void failingActivationQuarantinesThePrefixToo() {
        fixture.given(history(ALLOCATED))
                .when(new FailActivationCommand(ID, TENANT, "NAS refused the CoA"))
                .expectScheduledDeadlineWithName(now().plus(QUARANTINE), Delegation.QUARANTINE_END);
    }

    @Test
    void endsTheQuarantineWhenTheDeadlineFires() {
        fixture.given(history(ACTIVE))
                .andGivenCommands(new RevokePrefixCommand(ID, TENANT, null, null),
                        new CompleteRevocationCommand(ID, TENANT, null))
                .whenThenTimeElapses(QUARANTINE)
                .expectTriggeredDeadlinesWithName(Delegation.QUARANTINE_END)
                // The fixture freezes the clock for commands only, so the event's time is not compared.
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate(event -> event instanceof PrefixQuarantineEndedEvent ended
                                && ended.delegationId().equals(ID) && ended.prefix().equals(PREFIX)),
                        andNoMore())));
    }

    @Test
    void setsANewRadiusUserNameOnceAndAnswersTheDelegation() {
        fixture.given(history(ACTIVE))
                .when(new SetRadiusUserNameCommand(ID, TENANT, "line-0042@isp"))
                .expectEvents(new RadiusUserNameSetEvent(ID, TENANT, "line-0042@isp", now()));
        fixture.given(history(ACTIVE))
                .andGivenCommands(new SetRadiusUserNameCommand(ID, TENANT, "line-0042@isp"))
                .when(new SetRadiusUserNameCommand(ID, TENANT, "line-0042@isp"))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void refusesARadiusUserNameBeyond253OctetsAndAnotherTenantsDelegation() {
        fixture.given(history(ACTIVE))
                .when(new SetRadiusUserNameCommand(ID, TENANT, "é".repeat(127))) // 254 octets in UTF-8
                .expectNoEvents().expectException(DomainRejection.class);
        fixture.given(history(ACTIVE))
                .when(new SetRadiusUserNameCommand(ID, "isp-b", "x"))
                .expectNoEvents().expectException(DelegationNotFoundException.class);
    }

    @Test
    void keepsTheRecordedNasSessionWhenACommandGivesNone() {
        NasSession moved = new NasSession("alice@isp", "192.0.2.99", "sess-2");
        fixture.given(history(ACTIVE))
                .andGivenCommands(new SuspendPrefixCommand(ID, TENANT, null, moved))
                .when(new RevokePrefixCommand(ID, TENANT, "moved away", null))
                .expectEvents(new PrefixRevocationStartedEvent(ID, TENANT, "sub-1", PREFIX, moved, "moved away",
                        now(), SUSPENDED));
    }

    @Test
    void answersAnotherTenantAsIfTheDelegationDidNotExist() {
        fixture.given(history(ACTIVE))
                .when(new SuspendPrefixCommand(ID, "isp-b", null, null))
                .expectNoEvents()
                .expectException(DelegationNotFoundException.class);
    }

    @Test
    void recordsANetworkCallInEveryStateWithoutChangingIt() {
        for (LifecycleState state : TABLE.keySet()) {
            fixture.given(history(state))
                    .when(RecordNetworkCallsCommand.of(ID, TENANT, NetworkStep.DISCONNECT, NetworkResult.UNREACHABLE, 2,
                            "no answer"))
                    .expectEvents(new NetworkCallRecordedEvent(ID, TENANT, NetworkStep.DISCONNECT,
                            NetworkResult.UNREACHABLE, 2, "no answer", now()));
        }
    }

    @Test
    void recordsSeveralCallsInTheOrderTheyWereMade() {
        fixture.given(history(REVOKING))
                .when(new RecordNetworkCallsCommand(ID, TENANT, List.of(
                        new RecordNetworkCallsCommand.Call(NetworkStep.DISCONNECT, NetworkResult.SUCCEEDED, 3, "Disconnect-ACK"),
                        new RecordNetworkCallsCommand.Call(NetworkStep.IPAM_RELEASE, NetworkResult.SKIPPED, 1, "no IPAM configured"))))
                .expectEvents(
                        new NetworkCallRecordedEvent(ID, TENANT, NetworkStep.DISCONNECT, NetworkResult.SUCCEEDED, 3,
                                "Disconnect-ACK", now()),
                        new NetworkCallRecordedEvent(ID, TENANT, NetworkStep.IPAM_RELEASE, NetworkResult.SKIPPED, 1,
                                "no IPAM configured", now()));
    }

    @Test
    void drivesAStuckRevocationAgainWithWhatTheSagaNeeds() {
        fixture.given(history(REVOKING))
                .when(new RetryRevocationCommand(ID, TENANT, "stuck for PT1H"))
                .expectEvents(new PrefixRevocationRetriedEvent(ID, TENANT, "sub-1", PREFIX, NAS, "stuck for PT1H",
                        now()));
    }

    @Test
    void hasNoRevocationToRetryOnceRevoked() {
        fixture.given(history(REVOKED))
                .when(new RetryRevocationCommand(ID, TENANT, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void endsAnOverdueQuarantineOnRequest() {
        // The history's quarantine ended months before the fixture's clock: its deadline never fired.
        fixture.given(history(REVOKED))
                .when(new EndQuarantineCommand(ID, TENANT))
                .expectEvents(new PrefixQuarantineEndedEvent(ID, TENANT, PREFIX, now()));
    }

    @Test
    void keepsTheQuarantineWhenAskedToEndItEarly() {
        fixture.given(history(ACTIVE))
                .andGivenCommands(new RevokePrefixCommand(ID, TENANT, null, null),
                        new CompleteRevocationCommand(ID, TENANT, null))
                .when(new EndQuarantineCommand(ID, TENANT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesNetworkRecordsForAnotherTenant() {
        fixture.given(history(ACTIVE))
                .when(RecordNetworkCallsCommand.of(ID, "isp-b", NetworkStep.IPAM_RECORD, NetworkResult.SUCCEEDED, 1, null))
                .expectNoEvents()
                .expectException(DelegationNotFoundException.class);
    }

    private static Object command(LifecycleCommand command) {
        return switch (command) {
            case ACTIVATE -> new ActivatePrefixCommand(ID, TENANT, "r", null);
            case SUSPEND -> new SuspendPrefixCommand(ID, TENANT, "r", null);
            case RESUME -> new ResumePrefixCommand(ID, TENANT, "r", null);
            case REVOKE -> new RevokePrefixCommand(ID, TENANT, "r", null);
            case COMPLETE_REVOCATION -> new CompleteRevocationCommand(ID, TENANT, "r");
            case FAIL -> new FailActivationCommand(ID, TENANT, "r");
        };
    }

    private Object event(LifecycleState from, LifecycleCommand command) {
        Instant now = now();
        return switch (command) {
            case ACTIVATE -> new PrefixActivatedEvent(ID, TENANT, NAS, "r", now);
            case SUSPEND -> new PrefixSuspendedEvent(ID, TENANT, NAS, "r", now);
            case RESUME -> new PrefixResumedEvent(ID, TENANT, NAS, "r", now);
            case REVOKE -> new PrefixRevocationStartedEvent(ID, TENANT, "sub-1", PREFIX, NAS, "r", now, from);
            case COMPLETE_REVOCATION -> new PrefixRevokedEvent(ID, TENANT, PREFIX, now.plus(QUARANTINE), "r", now);
            case FAIL -> new PrefixActivationFailedEvent(ID, TENANT, PREFIX, now.plus(QUARANTINE), "r", now);
        };
    }

    /** The events that bring a delegation into {@code state}. */
    private static List<Object> history(LifecycleState state) {
        List<Object> events = new ArrayList<>();
        events.add(new PrefixAllocatedEvent(ID, TENANT, "sub-1", POOL, PREFIX, Placement.BEST_FIT, null, QUARANTINE,
                true, NAS, T0));
        Instant t = T0.plusSeconds(1);
        switch (state) {
            case ACTIVE -> events.add(new PrefixActivatedEvent(ID, TENANT, NAS, null, t));
            case SUSPENDED -> {
                events.add(new PrefixActivatedEvent(ID, TENANT, NAS, null, t));
                events.add(new PrefixSuspendedEvent(ID, TENANT, NAS, null, t));
            }
            case REVOKING -> {
                events.add(new PrefixActivatedEvent(ID, TENANT, NAS, null, t));
                events.add(new PrefixRevocationStartedEvent(ID, TENANT, "sub-1", PREFIX, NAS, null, t, ACTIVE));
            }
            case REVOKED -> {
                events.add(new PrefixActivatedEvent(ID, TENANT, NAS, null, t));
                events.add(new PrefixRevocationStartedEvent(ID, TENANT, "sub-1", PREFIX, NAS, null, t, ACTIVE));
                events.add(new PrefixRevokedEvent(ID, TENANT, PREFIX, t.plus(QUARANTINE), null, t));
            }
            case FAILED -> events.add(new PrefixActivationFailedEvent(ID, TENANT, PREFIX, t.plus(QUARANTINE), null, t));
            default -> {
            }
        }
        return events;
    }
}

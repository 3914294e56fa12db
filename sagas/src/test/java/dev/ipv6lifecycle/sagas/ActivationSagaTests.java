package dev.ipv6lifecycle.sagas;

import static dev.ipv6lifecycle.api.delegation.NetworkResult.REJECTED;
import static dev.ipv6lifecycle.api.delegation.NetworkResult.SKIPPED;
import static dev.ipv6lifecycle.api.delegation.NetworkResult.SUCCEEDED;
import static dev.ipv6lifecycle.api.delegation.NetworkResult.UNREACHABLE;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.IPAM_RECORD;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.IPAM_RELEASE;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.PUSH_PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.FailActivationCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.NetworkCallRecordedEvent;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActivationSagaTests {

    private static final UUID ID = UUID.fromString("7a000000-0000-4000-8000-000000000001");
    private static final String TENANT = "isp-a";
    private static final Ipv6Prefix PREFIX = Ipv6Prefix.parse("2001:db8:7:100::/56");
    private static final NasSession NAS = new NasSession("alice@isp", "127.0.0.1", "sess-1");
    private static final DelegationTarget TARGET = new DelegationTarget(ID, TENANT, "sub-1", PREFIX, NAS);
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final SagaSettings SETTINGS = new SagaSettings(Duration.ofMinutes(1), Duration.ofSeconds(5),
            Duration.ofMinutes(5), 3, Duration.ofHours(1), 1, 1);
    /** The waits after failed attempts 1 and 2: the first retry of 5 s, then doubled (the cap is 5 min). */
    private static final Duration AFTER_FIRST = Duration.ofSeconds(5);
    private static final Duration AFTER_SECOND = Duration.ofSeconds(10);
    private static final ActivatePrefixCommand ACTIVATE = new ActivatePrefixCommand(ID, TENANT, null, NAS);

    private final RecordingOutbox outbox = new RecordingOutbox();
    private SagaTestFixture<ActivationSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(ActivationSaga.class);
        fixture.registerHandlerEnhancerDefinition(new OwnStepsOnly());
        fixture.registerHandlerEnhancerDefinition(new ActivationOnRequest());
        fixture.registerResource(outbox);
        fixture.registerResource(SETTINGS);
    }

    @Test
    void handsTheOutboxTheIpamRecordTheCoaAndTheActivationInOneRun() throws Exception {
        fixture.givenNoPriorActivity()
                .whenPublishingA(allocated(true))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(SETTINGS.stepTimeout(), ActivationSaga.NEXT_ATTEMPT);
        assertThat(outbox.requests).containsExactly(
                new RecordingOutbox.Call(List.of(IPAM_RECORD, PUSH_PREFIX), TARGET, 1, ActivationSaga.ACTOR, ACTIVATE));
    }

    @Test
    void asksForNothingMoreWhileTheRunRecordsItsSteps() throws Exception {
        fixture.givenAPublished(allocated(true))
                .andThenAPublished(outcome(IPAM_RECORD, SUCCEEDED, 1))
                .whenPublishingA(outcome(PUSH_PREFIX, SUCCEEDED, 1))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(SETTINGS.stepTimeout(), ActivationSaga.NEXT_ATTEMPT);
        assertThat(outbox.requests).containsExactly(run(IPAM_RECORD, 1));
    }

    @Test
    void activatesItselfWhenTheRunsActivationDoesNotArriveWithinTheStepTimeout() throws Exception {
        fixture.givenAPublished(allocated(true))
                .andThenAPublished(outcome(IPAM_RECORD, SUCCEEDED, 1))
                .andThenAPublished(outcome(PUSH_PREFIX, SUCCEEDED, 1))
                .whenTimeElapses(SETTINGS.stepTimeout())
                .expectActiveSagas(1);
        assertThat(outbox.requests).containsExactly(run(IPAM_RECORD, 1),
                new RecordingOutbox.Sent(ACTIVATE, ActivationSaga.ACTOR));
    }

    @Test
    void endsWithoutADeadlineLeftOnceTheDelegationIsActive() throws Exception {
        fixture.givenAPublished(allocated(true))
                .andThenAPublished(outcome(IPAM_RECORD, SKIPPED, 1))
                .andThenAPublished(outcome(PUSH_PREFIX, SKIPPED, 1))
                .whenPublishingA(new PrefixActivatedEvent(ID, TENANT, NAS, null, T0))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void doesNotStartWhenActivationWasNotRequested() throws Exception {
        fixture.givenNoPriorActivity()
                .whenPublishingA(allocated(false))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        assertThat(outbox.requests).isEmpty();
    }

    @Test
    void retriesAnUnreachableNasAfterABackoffAndGoesOnWhenItAnswers() throws Exception {
        fixture.givenAPublished(allocated(true))
                .andThenAPublished(outcome(IPAM_RECORD, SUCCEEDED, 1))
                .whenPublishingA(outcome(PUSH_PREFIX, UNREACHABLE, 1))
                .expectScheduledDeadlineWithName(AFTER_FIRST, ActivationSaga.NEXT_ATTEMPT);
        int mark = outbox.requests.size();

        fixture.whenTimeElapses(AFTER_FIRST)
                .expectTriggeredDeadlinesWithName(ActivationSaga.NEXT_ATTEMPT)
                .expectActiveSagas(1);
        assertThat(outbox.since(mark)).containsExactly(run(PUSH_PREFIX, 2));

        fixture.givenAPublished(allocated(true))
                .andThenAPublished(outcome(IPAM_RECORD, SUCCEEDED, 1))
                .andThenAPublished(outcome(PUSH_PREFIX, UNREACHABLE, 1))
                .andThenTimeElapses(AFTER_FIRST)
                .whenPublishingA(outcome(PUSH_PREFIX, SUCCEEDED, 2))
                .expectActiveSagas(1);
        // The run of the second attempt activates the delegation itself.
        assertThat(outbox.last()).isEqualTo(run(PUSH_PREFIX, 2));
    }

    @Test
    void compensatesWhenTheNasRefusesTheCoa() throws Exception {
        fixture.givenAPublished(allocated(true))
                .andThenAPublished(outcome(IPAM_RECORD, SUCCEEDED, 1))
                .whenPublishingA(outcome(PUSH_PREFIX, REJECTED, 1, "CoA-NAK, Error-Cause 503 Session-Context-Not-Found"))
                .expectActiveSagas(1);
        int last = outbox.requests.size();
        assertThat(outbox.requests.subList(last - 2, last)).containsExactly(
                release(),
                new RecordingOutbox.Sent(new FailActivationCommand(ID, TENANT,
                        "activation gave up: PUSH_PREFIX refused: CoA-NAK, Error-Cause 503 Session-Context-Not-Found"),
                        ActivationSaga.ACTOR));

        fixture.givenAPublished(allocated(true))
                .andThenAPublished(outcome(IPAM_RECORD, SUCCEEDED, 1))
                .andThenAPublished(outcome(PUSH_PREFIX, REJECTED, 1))
                .whenPublishingA(new PrefixActivationFailedEvent(ID, TENANT, PREFIX, T0.plus(Duration.ofDays(1)), "x", T0))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void givesUpAfterTheConfiguredAttemptsAndRemovesOnlyWhatItRecorded() throws Exception {
        fixture.givenAPublished(allocated(true))
                .andThenAPublished(outcome(IPAM_RECORD, UNREACHABLE, 1))
                .andThenTimeElapses(AFTER_FIRST)
                .andThenAPublished(outcome(IPAM_RECORD, UNREACHABLE, 2))
                .andThenTimeElapses(AFTER_SECOND)
                .whenPublishingA(outcome(IPAM_RECORD, UNREACHABLE, 3, "HTTP 503 from NetBox"))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(SETTINGS.stepTimeout(), ActivationSaga.NEXT_ATTEMPT);
        assertThat(outbox.requests).doesNotContain(release());
        assertThat(outbox.last()).isEqualTo(new RecordingOutbox.Sent(new FailActivationCommand(ID, TENANT,
                "activation gave up: IPAM_RECORD unreachable after 3 attempts: HTTP 503 from NetBox"),
                ActivationSaga.ACTOR));
    }

    @Test
    void callsAgainWhenNoOutcomeArrivesWithinTheStepTimeout() throws Exception {
        fixture.givenAPublished(allocated(true))
                .whenTimeElapses(SETTINGS.stepTimeout())
                .expectTriggeredDeadlinesWithName(ActivationSaga.NEXT_ATTEMPT);
        assertThat(outbox.last()).isEqualTo(run(IPAM_RECORD, 2));
    }

    @Test
    void ignoresALateFailureOfAnAttemptAlreadyRetried() throws Exception {
        fixture.givenAPublished(allocated(true))
                .andThenTimeElapses(SETTINGS.stepTimeout())
                .whenPublishingA(outcome(IPAM_RECORD, UNREACHABLE, 1))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(SETTINGS.stepTimeout(), ActivationSaga.NEXT_ATTEMPT);
        assertThat(outbox.last()).isEqualTo(run(IPAM_RECORD, 2));
    }

    /** A saga processor running behind by more than the step timeout must still see its steps succeed. */
    @Test
    void goesOnWhenTheSuccessOfAnAttemptAlreadyRetriedArrivesLate() throws Exception {
        fixture.givenAPublished(allocated(true))
                .andThenTimeElapses(SETTINGS.stepTimeout())
                .andThenAPublished(outcome(IPAM_RECORD, SUCCEEDED, 1))
                .andThenAPublished(outcome(PUSH_PREFIX, SUCCEEDED, 1))
                .whenTimeElapses(SETTINGS.stepTimeout())
                .expectActiveSagas(1);
        assertThat(outbox.requests).containsExactly(run(IPAM_RECORD, 1), run(IPAM_RECORD, 2),
                new RecordingOutbox.Sent(ACTIVATE, ActivationSaga.ACTOR));
    }

    @Test
    void leavesTheRestToTheRevocationWhenRevokedMidway() throws Exception {
        fixture.givenAPublished(allocated(true))
                .andThenAPublished(outcome(IPAM_RECORD, SUCCEEDED, 1))
                .whenPublishingA(new PrefixRevocationStartedEvent(ID, TENANT, "sub-1", PREFIX, NAS, "left", T0, LifecycleState.ACTIVE))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    private static PrefixAllocatedEvent allocated(boolean activate) {
        return new PrefixAllocatedEvent(ID, TENANT, "sub-1", UUID.fromString("7a000000-0000-4000-8000-0000000000aa"),
                PREFIX, Placement.BEST_FIT, null, Duration.ofDays(1), activate, NAS, T0);
    }

    private static NetworkCallRecordedEvent outcome(NetworkStep step, NetworkResult result, int attempt) {
        return outcome(step, result, attempt, result.name().toLowerCase());
    }

    private static NetworkCallRecordedEvent outcome(NetworkStep step, NetworkResult result, int attempt, String detail) {
        return new NetworkCallRecordedEvent(ID, TENANT, step, result, attempt, detail, T0);
    }

    /** The steps from {@code from} on, then the activation, as one run of the outbox. */
    private static RecordingOutbox.Call run(NetworkStep from, int attempt) {
        return new RecordingOutbox.Call(ActivationSaga.STEPS.subList(ActivationSaga.STEPS.indexOf(from),
                ActivationSaga.STEPS.size()), TARGET, attempt, ActivationSaga.ACTOR, ACTIVATE);
    }

    /** The compensation's removal of the IPAM record: one step, nothing after it. */
    private static RecordingOutbox.Call release() {
        return new RecordingOutbox.Call(List.of(IPAM_RELEASE), TARGET, 1, ActivationSaga.ACTOR, null);
    }
}

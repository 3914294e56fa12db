package dev.ipv6lifecycle.sagas;

import static dev.ipv6lifecycle.api.delegation.NetworkResult.REJECTED;
import static dev.ipv6lifecycle.api.delegation.NetworkResult.SKIPPED;
import static dev.ipv6lifecycle.api.delegation.NetworkResult.SUCCEEDED;
import static dev.ipv6lifecycle.api.delegation.NetworkResult.UNREACHABLE;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.DISCONNECT;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.IPAM_RELEASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.NetworkCallRecordedEvent;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationRetriedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RevocationSagaTests {

    private static final UUID ID = UUID.fromString("7b000000-0000-4000-8000-000000000001");
    private static final String TENANT = "isp-a";
    private static final Ipv6Prefix PREFIX = Ipv6Prefix.parse("2001:db8:7:200::/56");
    private static final NasSession NAS = new NasSession("bob@isp", "127.0.0.1", "sess-9");
    private static final DelegationTarget TARGET = new DelegationTarget(ID, TENANT, "sub-2", PREFIX, NAS);
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final SagaSettings SETTINGS = new SagaSettings(Duration.ofMinutes(1), Duration.ofSeconds(5),
            Duration.ofMinutes(5), 3, Duration.ofHours(1), 1, 1);
    /** The waits after failed attempts 1 to 4: the first retry of 5 s, doubled each time (the cap is 5 min). */
    private static final Duration AFTER_FIRST = Duration.ofSeconds(5);
    private static final Duration AFTER_SECOND = Duration.ofSeconds(10);
    private static final Duration AFTER_THIRD = Duration.ofSeconds(20);
    private static final Duration AFTER_FOURTH = Duration.ofSeconds(40);
    private static final CompleteRevocationCommand COMPLETE = new CompleteRevocationCommand(ID, TENANT, null);

    private final RecordingOutbox outbox = new RecordingOutbox();
    private SagaTestFixture<RevocationSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(RevocationSaga.class);
        fixture.registerHandlerEnhancerDefinition(new OwnStepsOnly());
        fixture.registerResource(outbox);
        fixture.registerResource(SETTINGS);
    }

    @Test
    void handsTheOutboxTheDisconnectTheIpamReleaseAndTheCompletionInOneRun() throws Exception {
        fixture.givenNoPriorActivity()
                .whenPublishingA(started())
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(SETTINGS.stepTimeout(), RevocationSaga.NEXT_ATTEMPT);
        assertThat(outbox.requests).containsExactly(
                new RecordingOutbox.Call(List.of(DISCONNECT, IPAM_RELEASE), TARGET, 1, RevocationSaga.ACTOR, COMPLETE));
    }

    @Test
    void asksForNothingMoreWhileTheRunRecordsItsSteps() throws Exception {
        fixture.givenAPublished(started())
                .andThenAPublished(outcome(DISCONNECT, SUCCEEDED, 1))
                .whenPublishingA(outcome(IPAM_RELEASE, SKIPPED, 1))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(SETTINGS.stepTimeout(), RevocationSaga.NEXT_ATTEMPT);
        assertThat(outbox.requests).containsExactly(run(DISCONNECT, 1));
    }

    @Test
    void completesItselfWhenTheRunsCompletionDoesNotArriveWithinTheStepTimeout() throws Exception {
        fixture.givenAPublished(started())
                .andThenAPublished(outcome(DISCONNECT, SUCCEEDED, 1))
                .andThenAPublished(outcome(IPAM_RELEASE, SKIPPED, 1))
                .whenTimeElapses(SETTINGS.stepTimeout())
                .expectActiveSagas(1);
        assertThat(outbox.requests).containsExactly(run(DISCONNECT, 1), new RecordingOutbox.Sent(COMPLETE,
                RevocationSaga.ACTOR));
    }

    @Test
    void endsWithNoDeadlineLeftOnceRevoked() throws Exception {
        fixture.givenAPublished(started())
                .andThenAPublished(outcome(DISCONNECT, SUCCEEDED, 1))
                .andThenAPublished(outcome(IPAM_RELEASE, SUCCEEDED, 1))
                .whenPublishingA(revoked("completed"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void keepsRetryingWhileNetBoxIsDownAndCompletesWhenItIsBack() throws Exception {
        fixture.givenAPublished(started())
                .andThenAPublished(outcome(DISCONNECT, SUCCEEDED, 1))
                .andThenAPublished(outcome(IPAM_RELEASE, UNREACHABLE, 1))
                .andThenTimeElapses(AFTER_FIRST)
                .andThenAPublished(outcome(IPAM_RELEASE, UNREACHABLE, 2))
                .andThenTimeElapses(AFTER_SECOND)
                .andThenAPublished(outcome(IPAM_RELEASE, UNREACHABLE, 3))
                .andThenTimeElapses(AFTER_THIRD)
                .andThenAPublished(outcome(IPAM_RELEASE, UNREACHABLE, 4))
                .whenTimeElapses(AFTER_FOURTH)
                .expectActiveSagas(1);
        // More attempts than activation would make: a revocation never gives up.
        assertThat(outbox.last()).isEqualTo(run(IPAM_RELEASE, 5));

        int mark = outbox.requests.size();
        fixture.givenAPublished(started())
                .andThenAPublished(outcome(DISCONNECT, SUCCEEDED, 1))
                .andThenAPublished(outcome(IPAM_RELEASE, UNREACHABLE, 1))
                .andThenTimeElapses(AFTER_FIRST)
                .whenPublishingA(outcome(IPAM_RELEASE, SUCCEEDED, 2))
                .expectActiveSagas(1);
        // The run of the second attempt completes the revocation itself.
        assertThat(outbox.since(mark)).containsExactly(run(DISCONNECT, 1), run(IPAM_RELEASE, 2));
    }

    /** A saga processor running behind by more than the step timeout must still see its steps succeed. */
    @Test
    void goesOnWhenTheSuccessOfAnAttemptAlreadyRetriedArrivesLate() throws Exception {
        fixture.givenAPublished(started())
                .andThenTimeElapses(SETTINGS.stepTimeout())
                .andThenTimeElapses(SETTINGS.stepTimeout())
                .andThenAPublished(outcome(DISCONNECT, SUCCEEDED, 1))
                .andThenAPublished(outcome(IPAM_RELEASE, SUCCEEDED, 1))
                .whenTimeElapses(SETTINGS.stepTimeout())
                .expectActiveSagas(1);
        assertThat(outbox.requests).containsExactly(run(DISCONNECT, 1), run(DISCONNECT, 2), run(DISCONNECT, 3),
                new RecordingOutbox.Sent(COMPLETE, RevocationSaga.ACTOR));
    }

    @Test
    void ignoresALateFailureOfAnAttemptAlreadyRetried() throws Exception {
        fixture.givenAPublished(started())
                .andThenTimeElapses(SETTINGS.stepTimeout())
                .whenPublishingA(outcome(DISCONNECT, UNREACHABLE, 1))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(SETTINGS.stepTimeout(), RevocationSaga.NEXT_ATTEMPT);
        assertThat(outbox.requests).containsExactly(run(DISCONNECT, 1), run(DISCONNECT, 2));
    }

    @Test
    void backsOffToTheLongestIntervalWhenThePeerRefuses() throws Exception {
        fixture.givenAPublished(started())
                .whenPublishingA(outcome(DISCONNECT, REJECTED, 1, "Disconnect-NAK, Error-Cause 506 Resources-Unavailable"))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(SETTINGS.maxRetry(), RevocationSaga.NEXT_ATTEMPT);
    }

    @Test
    void stopsRetryingWhenAnOperatorCompletesTheRevocation() throws Exception {
        fixture.givenAPublished(started())
                .andThenAPublished(outcome(DISCONNECT, UNREACHABLE, 1))
                .whenPublishingA(revoked("forced by operator: NAS decommissioned"))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void triesAgainAtOnceWhenTheSweepRedrivesIt() throws Exception {
        fixture.givenAPublished(started())
                .andThenAPublished(outcome(DISCONNECT, UNREACHABLE, 1))
                .whenPublishingA(retried())
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(SETTINGS.stepTimeout(), RevocationSaga.NEXT_ATTEMPT);
        assertThat(outbox.last()).isEqualTo(run(DISCONNECT, 2));
    }

    @Test
    void startsARevocationThatHadNoSagaWhenTheSweepRedrivesIt() throws Exception {
        fixture.givenNoPriorActivity()
                .whenPublishingA(retried())
                .expectActiveSagas(1);
        assertThat(outbox.requests).containsExactly(run(DISCONNECT, 1));
    }

    private static PrefixRevocationStartedEvent started() {
        return new PrefixRevocationStartedEvent(ID, TENANT, "sub-2", PREFIX, NAS, "moved away", T0, LifecycleState.ACTIVE);
    }

    private static PrefixRevocationRetriedEvent retried() {
        return new PrefixRevocationRetriedEvent(ID, TENANT, "sub-2", PREFIX, NAS, "stuck", T0.plusSeconds(3600));
    }

    private static PrefixRevokedEvent revoked(String reason) {
        return new PrefixRevokedEvent(ID, TENANT, PREFIX, T0.plus(Duration.ofDays(1)), reason, T0);
    }

    private static NetworkCallRecordedEvent outcome(NetworkStep step, NetworkResult result, int attempt) {
        return outcome(step, result, attempt, result.name().toLowerCase());
    }

    private static NetworkCallRecordedEvent outcome(NetworkStep step, NetworkResult result, int attempt, String detail) {
        return new NetworkCallRecordedEvent(ID, TENANT, step, result, attempt, detail, T0);
    }

    /** The steps from {@code from} on, then the completion, as one run of the outbox. */
    private static RecordingOutbox.Call run(NetworkStep from, int attempt) {
        return new RecordingOutbox.Call(RevocationSaga.STEPS.subList(RevocationSaga.STEPS.indexOf(from),
                RevocationSaga.STEPS.size()), TARGET, attempt, RevocationSaga.ACTOR, COMPLETE);
    }
}

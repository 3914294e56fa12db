package dev.ipv6lifecycle.sagas;

import static dev.ipv6lifecycle.api.delegation.NetworkStep.DISCONNECT;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.IPAM_RELEASE;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
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
import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Revocation (docs/network.md): disconnect the session with a RADIUS Disconnect-Request, release the IPAM
 * record, then complete the revocation, which puts the prefix in quarantine. The outbox makes the steps and the
 * completion in one run, so an uneventful revocation takes two or three saga invocations, not one per step and
 * one more for the end. It never gives up: every failure is retried with backoff on a durable deadline, a
 * revocation past the stuck threshold is logged as stuck, the sweep re-drives it, and an operator may complete
 * it by hand, which ends this saga.
 */
@Saga // public: Axon instantiates sagas by reflection
@ProcessingGroup(SagaGroups.REVOCATION)
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public class RevocationSaga {

    private static final Logger log = LoggerFactory.getLogger(RevocationSaga.class);

    static final String ACTOR = "saga:revocation";
    static final String NEXT_ATTEMPT = "revocation-next-attempt";
    static final List<NetworkStep> STEPS = List.of(DISCONNECT, IPAM_RELEASE);

    @Autowired
    private transient SagaOutbox outbox;
    @Autowired
    private transient DeadlineManager deadlines;
    @Autowired
    private transient SagaSettings settings;

    private UUID delegationId;
    private String tenantId;
    private String subscriberId;
    private Ipv6Prefix prefix;
    private NasSession nas;
    private Instant startedAt;
    private boolean reportedStuck;
    /** Index into STEPS of the step under way; STEPS.size() once the revocation is being completed. */
    private int step;
    private int attempt;
    private String deadlineId;

    @StartSaga
    @SagaEventHandler(associationProperty = "delegationId")
    void on(PrefixRevocationStartedEvent event) {
        start(event.delegationId(), event.tenantId(), event.subscriberId(), event.prefix(), event.nas(),
                event.occurredAt());
    }

    /**
     * The sweep found the revocation stuck. A running saga tries its step again now; when none runs (lost
     * with its node, or older than sagas), a new one starts from the first step: every step is idempotent.
     */
    @StartSaga
    @SagaEventHandler(associationProperty = "delegationId")
    void on(PrefixRevocationRetriedEvent event) {
        if (delegationId == null) {
            start(event.delegationId(), event.tenantId(), event.subscriberId(), event.prefix(), event.nas(),
                    event.occurredAt());
        } else {
            attempt++;
            proceed();
        }
    }

    @SagaEventHandler(associationProperty = "delegationId")
    void on(NetworkCallRecordedEvent event) {
        if (step >= STEPS.size() || event.step() != STEPS.get(step) || event.attempt() > attempt) {
            return; // another saga's call
        }
        NetworkResult result = event.result();
        // A success that arrives after its attempt was retried still did the step (every step is idempotent):
        // when this processor runs behind by more than the step timeout, waiting for the latest attempt's
        // answer would retry forever. Only a late failure is ignored; the latest attempt speaks for itself.
        if (event.attempt() != attempt && result != NetworkResult.SUCCEEDED && result != NetworkResult.SKIPPED) {
            return;
        }
        if (result == NetworkResult.SUCCEEDED || result == NetworkResult.SKIPPED) {
            // Nothing to ask for: the outbox's run records the next step, or completes the revocation once every
            // step is done. The step timeout scheduled for the run stays, and calls again if neither comes.
            step++;
            attempt = 1;
            return;
        }
        reportIfStuck(event);
        // A refusal is no reason to forget the prefix: it is retried at the longest interval, and stays
        // visible as REVOKING until the peer agrees or an operator completes the revocation.
        waitBeforeNextAttempt(result == NetworkResult.REJECTED ? settings.maxRetry() : settings.backoff(attempt));
    }

    @DeadlineHandler(deadlineName = NEXT_ATTEMPT)
    void onNextAttempt() {
        deadlineId = null;
        attempt++;
        proceed();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "delegationId")
    void on(PrefixRevokedEvent event) {
        cancelDeadline();
    }

    private void start(UUID delegationId, String tenantId, String subscriberId, Ipv6Prefix prefix, NasSession nas,
                       Instant startedAt) {
        this.delegationId = delegationId;
        this.tenantId = tenantId;
        this.subscriberId = subscriberId;
        this.prefix = prefix;
        this.nas = nas;
        this.startedAt = startedAt;
        step = 0;
        attempt = 1;
        proceed();
    }

    /** Hands the outbox every step still to be done, then the completion, in one run. */
    private void proceed() {
        waitBeforeNextAttempt(settings.stepTimeout());
        CompleteRevocationCommand complete = new CompleteRevocationCommand(delegationId, tenantId, null);
        if (step < STEPS.size()) {
            outbox.call(STEPS.subList(step, STEPS.size()),
                    new DelegationTarget(delegationId, tenantId, subscriberId, prefix, nas), attempt, ACTOR, complete);
        } else {
            outbox.send(complete, ACTOR);
        }
    }

    private void reportIfStuck(NetworkCallRecordedEvent event) {
        Duration elapsed = Duration.between(startedAt, GenericEventMessage.clock.instant());
        if (!reportedStuck && elapsed.compareTo(settings.revocationStuckAfter()) >= 0) {
            reportedStuck = true;
            log.warn("Revocation of delegation {} ({}) stuck for {}: {} {} (attempt {}): {}. It keeps being retried;"
                            + " POST /api/v1/delegations/{}/complete-revocation completes it by hand.",
                    delegationId, prefix, elapsed.withNanos(0), event.step(), event.result(), attempt, event.detail(),
                    delegationId);
        }
    }

    private void waitBeforeNextAttempt(Duration wait) {
        cancelDeadline();
        deadlineId = deadlines.schedule(wait, NEXT_ATTEMPT);
    }

    private void cancelDeadline() {
        if (deadlineId != null) {
            try {
                deadlines.cancelSchedule(NEXT_ATTEMPT, deadlineId);
            } catch (RuntimeException firingNow) {
                // db-scheduler cannot cancel a deadline another thread is running at this moment; that one then
                // makes one more attempt, whose outcome this saga handles like any other.
                log.debug("Deadline {} is firing; not cancelled", deadlineId, firingNow);
            }
            deadlineId = null;
        }
    }
}

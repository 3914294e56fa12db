package dev.ipv6lifecycle.sagas;

import static dev.ipv6lifecycle.api.delegation.NetworkStep.IPAM_RECORD;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.IPAM_RELEASE;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.PUSH_PREFIX;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.FailActivationCommand;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.NetworkCallRecordedEvent;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Activation of a freshly allocated prefix (docs/network.md): record it in the IPAM, push it to the NAS with a
 * CoA, then activate the delegation. Each step is retried with backoff on a durable deadline; when a peer
 * refuses, or a step is still unreachable after the configured attempts, the saga compensates: the
 * delegation FAILS (its prefix goes to quarantine) and the IPAM record, if one was made, is removed.
 * Unconfigured peers are skipped, and the skips are recorded, so activation then completes at once.
 */
@Saga // public: Axon instantiates sagas by reflection
@ProcessingGroup(SagaGroups.ACTIVATION)
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public class ActivationSaga {

    static final String ACTOR = "saga:activation";
    static final String NEXT_ATTEMPT = "activation-next-attempt";
    /** The IPAM first: when the NAS then refuses, the compensation has a record to remove, not a session to undo. */
    static final List<NetworkStep> STEPS = List.of(IPAM_RECORD, PUSH_PREFIX);

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
    /** Index into STEPS of the step under way; STEPS.size() once the delegation is being activated. */
    private int step;
    private int attempt;
    private boolean recordedInIpam;
    /** Set once the saga gave up: it then only waits for the delegation to fail. */
    private String failure;
    private String deadlineId;

    /** Only for allocations that asked for activation ({@link ActivationOnRequest}). */
    @StartSaga
    @SagaEventHandler(associationProperty = "delegationId")
    void on(PrefixAllocatedEvent event) {
        delegationId = event.delegationId();
        tenantId = event.tenantId();
        subscriberId = event.subscriberId();
        prefix = event.prefix();
        nas = event.nas();
        attempt = 1;
        proceed();
    }

    @SagaEventHandler(associationProperty = "delegationId")
    void on(NetworkCallRecordedEvent event) {
        if (failure != null || step >= STEPS.size() || event.step() != STEPS.get(step) || event.attempt() > attempt) {
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
            // The outbox's run records the next step, or activates once every step is done (see proceed).
            recordedInIpam |= event.step() == IPAM_RECORD && result == NetworkResult.SUCCEEDED;
            step++;
            attempt = 1;
        } else if (result == NetworkResult.REJECTED) {
            giveUp(event.step() + " refused: " + event.detail());
        } else if (attempt >= settings.activationAttempts()) {
            giveUp(event.step() + " unreachable after " + attempt + " attempts: " + event.detail());
        } else {
            waitBeforeNextAttempt(settings.backoff(attempt));
        }
    }

    @DeadlineHandler(deadlineName = NEXT_ATTEMPT)
    void onNextAttempt() {
        deadlineId = null;
        if (failure == null && step < STEPS.size() && attempt >= settings.activationAttempts()) {
            giveUp(STEPS.get(step) + ": no outcome after " + attempt + " attempts");
            return;
        }
        attempt++;
        proceed();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "delegationId")
    void on(PrefixActivatedEvent event) {
        cancelDeadline();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "delegationId")
    void on(PrefixActivationFailedEvent event) {
        cancelDeadline();
    }

    /** Revoked before activation finished: the revocation saga withdraws whatever this one set up. */
    @EndSaga
    @SagaEventHandler(associationProperty = "delegationId")
    void on(PrefixRevocationStartedEvent event) {
        cancelDeadline();
    }

    /**
     * Hands the outbox every step still to be done and then the activation, in one run (or, after a give-up,
     * the compensation), and watches for the outcome: the step timeout calls again if nothing comes.
     */
    private void proceed() {
        waitBeforeNextAttempt(settings.stepTimeout());
        ActivatePrefixCommand activate = new ActivatePrefixCommand(delegationId, tenantId, null, nas);
        if (failure != null) {
            outbox.send(new FailActivationCommand(delegationId, tenantId, failure), ACTOR);
        } else if (step < STEPS.size()) {
            outbox.call(STEPS.subList(step, STEPS.size()), target(), attempt, ACTOR, activate);
        } else {
            outbox.send(activate, ACTOR);
        }
    }

    private void giveUp(String reason) {
        failure = "activation gave up: " + reason;
        if (recordedInIpam) {
            // Once: if the IPAM is unreachable now, the sweep finds the record of a delegation that is not live.
            outbox.call(IPAM_RELEASE, target(), 1, ACTOR);
        }
        proceed();
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
                LoggerFactory.getLogger(ActivationSaga.class)
                        .debug("Deadline {} is firing; not cancelled", deadlineId, firingNow);
            }
            deadlineId = null;
        }
    }

    private DelegationTarget target() {
        return new DelegationTarget(delegationId, tenantId, subscriberId, prefix, nas);
    }
}

package dev.ipv6lifecycle.server.delegation;

import dev.ipv6lifecycle.api.delegation.DelegationNotFoundException;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Lets {@code POST /delegations} with {@code activate: true} answer with the outcome of the activation saga
 * when it comes quickly (always, with no NAS or IPAM configured), without holding a client for the length
 * of a NAS's retries. Reads the event store, so the answer is never behind.
 */
@Component
@EnableConfigurationProperties(ApiSettings.class)
class ActivationWait {

    private static final Duration LONGEST_PAUSE = Duration.ofMillis(50);

    private final DelegationEventLog eventLog;
    private final Duration wait;

    ActivationWait(DelegationEventLog eventLog, ApiSettings settings) {
        this.eventLog = eventLog;
        this.wait = settings.activationWait();
    }

    DelegationView await(String tenantId, UUID delegationId) {
        long deadline = System.nanoTime() + wait.toNanos();
        Duration pause = Duration.ofMillis(2);
        while (true) {
            DelegationView view = eventLog.current(tenantId, delegationId)
                    .orElseThrow(() -> new DelegationNotFoundException(delegationId));
            if (view.state() != LifecycleState.ALLOCATED || System.nanoTime() >= deadline) {
                return view;
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return view;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0 ? pause.multipliedBy(2) : LONGEST_PAUSE;
        }
    }
}

package dev.ipv6lifecycle.sagas;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How patiently the sagas deal with the network.
 *
 * @param stepTimeout          how long a saga waits for a call's outcome to be recorded before it calls again
 *                             (covers a node that died mid-call); longer than a run of calls can take
 * @param firstRetry           the wait before the second attempt of a step; it doubles with each attempt
 * @param maxRetry             the longest wait between attempts
 * @param activationAttempts   attempts per activation step before activation gives up and compensates
 * @param revocationStuckAfter how long a revocation may take before it is reported as stuck
 * @param networkThreads       concurrent network calls per node
 */
@ConfigurationProperties("ipv6.sagas")
public record SagaSettings(@DefaultValue("PT1M") Duration stepTimeout,
                           @DefaultValue("PT5S") Duration firstRetry,
                           @DefaultValue("PT5M") Duration maxRetry,
                           @DefaultValue("5") int activationAttempts,
                           @DefaultValue("PT1H") Duration revocationStuckAfter,
                           @DefaultValue("8") int networkThreads) {

    public SagaSettings {
        if (activationAttempts < 1 || networkThreads < 1) {
            throw new IllegalArgumentException("ipv6.sagas.activation-attempts and network-threads must be at least 1");
        }
    }

    /** The wait after failed attempt number {@code attempt} (1-based): doubling from firstRetry, capped. */
    public Duration backoff(int attempt) {
        Duration wait = firstRetry;
        for (int i = 1; i < attempt && wait.compareTo(maxRetry) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxRetry) < 0 ? wait : maxRetry;
    }
}

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
 * @param segments             segments of each saga processor (and of session-notifications), set when its
 *                             tokens are first created. Axon divides sagas between segments by the saga's id,
 *                             not by the event, so every segment looks up the sagas of every event it handles
 *                             and commits a batch of its own: another segment repeats that work, where a
 *                             projection's segments divide it. With one, one node runs each saga processor and
 *                             another takes it over when that node stops (operations.md, "Several nodes").
 */
@ConfigurationProperties("ipv6.sagas")
public record SagaSettings(@DefaultValue("PT1M") Duration stepTimeout,
                           @DefaultValue("PT5S") Duration firstRetry,
                           @DefaultValue("PT5M") Duration maxRetry,
                           @DefaultValue("5") int activationAttempts,
                           @DefaultValue("PT1H") Duration revocationStuckAfter,
                           @DefaultValue("8") int networkThreads,
                           @DefaultValue("1") int segments) {

    public SagaSettings {
        if (activationAttempts < 1 || networkThreads < 1 || segments < 1) {
            throw new IllegalArgumentException(
                    "ipv6.sagas.activation-attempts, network-threads and segments must be at least 1");
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

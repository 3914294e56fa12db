package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.api.delegation.NetworkStep;

/**
 * What a saga or notifier wants done once the transaction that decided it has committed, on a thread of its
 * own. Sagas never call the network or dispatch commands on the event processor's thread: a slow NAS would
 * hold the processor, and a refused command would mark the processor's transaction rollback-only. Nothing
 * here is durable by itself; the sagas keep a deadline running until they see the outcome as an event.
 */
public interface SagaOutbox {

    /**
     * Makes {@code step} for the delegation, then records its outcome with a
     * {@link dev.ipv6lifecycle.api.delegation.RecordNetworkCallCommand} carrying {@code attempt}.
     */
    void call(NetworkStep step, DelegationTarget target, int attempt, String actor);

    /** Dispatches {@code command} with {@code actor} in its metadata; a refusal is logged, not thrown. */
    void send(Object command, String actor);
}

package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.api.delegation.DelegationCommand;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import java.util.List;

/**
 * What a saga or notifier wants done once the transaction that decided it has committed, on a thread of its
 * own. Sagas never call the network or dispatch commands on the event processor's thread: a slow NAS would
 * hold the processor, and a refused command would mark the processor's transaction rollback-only. Nothing
 * here is durable by itself; the sagas keep a deadline running until they see the outcome as an event.
 */
public interface SagaOutbox {

    /**
     * Makes {@code steps} for the delegation in order, stopping after the first that neither succeeds nor is
     * skipped, and records what was done with one {@link dev.ipv6lifecycle.api.delegation.RecordNetworkCallsCommand}:
     * the first step as attempt {@code attempt}, each later one as its first attempt. When every step was done
     * and {@code then} is not {@code null}, {@code then} goes with the record, in one transaction after it
     * ({@link dev.ipv6lifecycle.api.delegation.DelegationCommandGroup}). A saga that hands over all its remaining
     * steps this way is invoked once for all of them instead of once per step.
     */
    void call(List<NetworkStep> steps, DelegationTarget target, int attempt, String actor, DelegationCommand then);

    /** Makes one step and records its outcome. */
    default void call(NetworkStep step, DelegationTarget target, int attempt, String actor) {
        call(List.of(step), target, attempt, actor, null);
    }

    /** Dispatches {@code command} with {@code actor} in its metadata; a refusal is logged, not thrown. */
    void send(Object command, String actor);
}

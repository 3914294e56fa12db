package dev.ipv6lifecycle.api.delegation;

import java.util.List;

/**
 * Transitions of one tenant's delegations as one command, in one transaction: transition requests that arrive
 * together. Each is handled by its delegation exactly as it would be as a command of its own, in order, and
 * answered on its own: one {@link dev.ipv6lifecycle.api.ItemOutcome} per transition whose result is the
 * {@link DelegationView} after it, or the refusal it would have got alone. Anything else that fails (another node
 * changed one of the delegations meanwhile) fails the whole command, and nothing is stored.
 *
 * @param tenantId    the caller's tenant, which every transition names too
 * @param transitions the transitions, in order; a delegation may appear more than once
 */
public record TransitionsCommand(String tenantId, List<TransitionCommand> transitions) {

    /** The transition commands of one caller as one command (they are {@link TransitionCommand}s). */
    public static TransitionsCommand of(List<Object> transitions) {
        List<TransitionCommand> all = transitions.stream().map(TransitionCommand.class::cast).toList();
        return new TransitionsCommand(all.get(0).tenantId(), all);
    }
}

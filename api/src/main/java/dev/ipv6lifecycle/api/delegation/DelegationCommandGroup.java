package dev.ipv6lifecycle.api.delegation;

import java.util.List;

/**
 * Commands to one tenant's delegations as one command, in one transaction: transition requests that arrive
 * together, or a saga's recorded network calls and the transition that follows them. Each is handled by its
 * delegation exactly as it would be as a command of its own, in order, and answered on its own: one
 * {@link dev.ipv6lifecycle.api.ItemOutcome} per command whose result is what the command alone answers (the
 * {@link DelegationView} after a transition, nothing after a record), or the refusal it would have got alone.
 * Anything else that fails (another node changed one of the delegations meanwhile) fails the whole group, and
 * nothing is stored.
 *
 * @param tenantId the caller's tenant, which every command names too
 * @param commands the commands, in order; a delegation may be named more than once
 */
public record DelegationCommandGroup(String tenantId, List<DelegationCommand> commands) {

    /** Commands of one caller, each a {@link DelegationCommand}, as one command. */
    public static DelegationCommandGroup of(List<Object> commands) {
        List<DelegationCommand> all = commands.stream().map(DelegationCommand.class::cast).toList();
        return new DelegationCommandGroup(all.get(0).tenantId(), all);
    }
}

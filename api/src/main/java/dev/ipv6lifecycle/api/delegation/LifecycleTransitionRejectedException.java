package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.DomainRejection;
import java.util.List;
import java.util.UUID;

/** The delegation's current state forbids the command. Names the state and the commands it accepts. */
public class LifecycleTransitionRejectedException extends DomainRejection {

    private final LifecycleState currentState;
    private final List<LifecycleCommand> allowedCommands;

    public LifecycleTransitionRejectedException(UUID delegationId, LifecycleCommand attempted,
                                                LifecycleState currentState, List<LifecycleCommand> allowedCommands) {
        super(Kind.CONFLICT, "cannot " + attempted.wireName() + " delegation " + delegationId + " in state " + currentState
                + "; allowed: " + allowedCommands.stream().map(LifecycleCommand::wireName).toList());
        this.currentState = currentState;
        this.allowedCommands = List.copyOf(allowedCommands);
    }

    public LifecycleState currentState() {
        return currentState;
    }

    /** The commands the delegation accepts in its current state, transitions and idempotent repeats alike. */
    public List<LifecycleCommand> allowedCommands() {
        return allowedCommands;
    }
}

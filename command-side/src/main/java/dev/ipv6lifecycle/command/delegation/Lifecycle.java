package dev.ipv6lifecycle.command.delegation;

import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.ACTIVATE;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.COMPLETE_REVOCATION;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.FAIL;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.RESUME;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.REVOKE;
import static dev.ipv6lifecycle.api.delegation.LifecycleCommand.SUSPEND;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.ACTIVE;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.ALLOCATED;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.FAILED;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.REVOKED;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.REVOKING;
import static dev.ipv6lifecycle.api.delegation.LifecycleState.SUSPENDED;

import dev.ipv6lifecycle.api.delegation.LifecycleCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.LifecycleTransitionRejectedException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The state table (docs/architecture.md), as data. A command a state accepts leads to a state; when that is
 * the current state the command is an idempotent repeat (no event). Every other pair is refused.
 */
final class Lifecycle {

    private static final Map<LifecycleState, Map<LifecycleCommand, LifecycleState>> ACCEPTED =
            new EnumMap<>(LifecycleState.class);

    static {
        ACCEPTED.put(ALLOCATED, Map.of(ACTIVATE, ACTIVE, REVOKE, REVOKING, FAIL, FAILED));
        ACCEPTED.put(ACTIVE, Map.of(ACTIVATE, ACTIVE, SUSPEND, SUSPENDED, RESUME, ACTIVE, REVOKE, REVOKING));
        ACCEPTED.put(SUSPENDED, Map.of(SUSPEND, SUSPENDED, RESUME, ACTIVE, REVOKE, REVOKING));
        ACCEPTED.put(REVOKING, Map.of(REVOKE, REVOKING, COMPLETE_REVOCATION, REVOKED));
        ACCEPTED.put(REVOKED, Map.of(REVOKE, REVOKED, COMPLETE_REVOCATION, REVOKED));
        ACCEPTED.put(FAILED, Map.of(REVOKE, FAILED, FAIL, FAILED));
    }

    private Lifecycle() {
    }

    /** The state {@code command} leads to from {@code current}; refuses it when the state table does. */
    static LifecycleState next(UUID delegationId, LifecycleState current, LifecycleCommand command) {
        LifecycleState next = ACCEPTED.getOrDefault(current, Map.of()).get(command);
        if (next == null) {
            throw new LifecycleTransitionRejectedException(delegationId, command, current, allowed(current));
        }
        return next;
    }

    /** The commands {@code state} accepts, in declaration order. */
    static List<LifecycleCommand> allowed(LifecycleState state) {
        Map<LifecycleCommand, LifecycleState> accepted = ACCEPTED.getOrDefault(state, Map.of());
        return List.of(LifecycleCommand.values()).stream().filter(accepted::containsKey).toList();
    }
}

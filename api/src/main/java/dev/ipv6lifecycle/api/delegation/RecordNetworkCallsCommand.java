package dev.ipv6lifecycle.api.delegation;

import java.util.List;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records the outcomes of network calls in the delegation's history, one {@link NetworkCallRecordedEvent} each,
 * in order and in one transaction: a saga that makes several steps in a row records them together. Accepted in
 * every state: the audit trail keeps what was said to the network even after the delegation ended.
 */
public record RecordNetworkCallsCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId,
                                        List<Call> calls) implements DelegationCommand {

    public RecordNetworkCallsCommand {
        calls = List.copyOf(calls);
    }

    /** The outcome of one call. */
    public static RecordNetworkCallsCommand of(UUID delegationId, String tenantId, NetworkStep step,
                                               NetworkResult result, int attempt, String detail) {
        return new RecordNetworkCallsCommand(delegationId, tenantId, List.of(new Call(step, result, attempt, detail)));
    }

    /**
     * @param attempt 1 for the first try of a step, counting up with each retry
     * @param detail  a short account for the history (a NAK's Error-Cause, an HTTP status); may be {@code null}
     */
    public record Call(NetworkStep step, NetworkResult result, int attempt, String detail) {
    }
}

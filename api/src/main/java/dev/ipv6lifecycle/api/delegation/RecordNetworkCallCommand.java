package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records the outcome of a network call in the delegation's history. Accepted in every state: the audit
 * trail keeps what was said to the network even after the delegation ended.
 *
 * @param attempt 1 for the first try of a step, counting up with each retry
 * @param detail  a short account for the history (a NAK's Error-Cause, an HTTP status); may be {@code null}
 */
public record RecordNetworkCallCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId,
                                       NetworkStep step, NetworkResult result, int attempt, String detail) {
}

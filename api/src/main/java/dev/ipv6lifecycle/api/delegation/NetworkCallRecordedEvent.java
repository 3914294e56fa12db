package dev.ipv6lifecycle.api.delegation;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The service called the network or the IPAM for this delegation (or skipped the call), and this is what
 * came of it. The sagas move on, retry or compensate on these events; the history shows them.
 *
 * @param attempt 1 for the first try of a step, counting up with each retry
 * @param detail  a short account (a NAK's Error-Cause, an HTTP status); may be {@code null}
 */
@Revision("1")
public record NetworkCallRecordedEvent(UUID delegationId, String tenantId, NetworkStep step, NetworkResult result,
                                       int attempt, String detail, Instant occurredAt) implements DelegationEvent {
}

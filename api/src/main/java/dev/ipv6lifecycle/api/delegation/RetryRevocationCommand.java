package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Drives a REVOKING delegation's revocation again now (the sweep sends it for revocations stuck past their
 * threshold). In any other state there is nothing to drive, and it changes nothing.
 *
 * @param reason why, for the audit trail; may be {@code null}
 */
public record RetryRevocationCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId, String reason) {
}

package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * ALLOCATED to FAILED, when activation gave up. The prefix enters quarantine.
 *
 * @param delegationId the delegation
 * @param tenantId     the caller's tenant; another tenant's delegation is answered as unknown
 * @param reason       why, for the audit trail; may be {@code null}

 */
public record FailActivationCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId, String reason) {
}

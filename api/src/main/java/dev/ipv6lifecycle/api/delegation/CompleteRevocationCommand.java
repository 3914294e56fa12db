package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * REVOKING to REVOKED, once the network and the IPAM have let go of the prefix (or an operator forces it). The prefix enters quarantine.
 *
 * @param delegationId the delegation
 * @param tenantId     the caller's tenant; another tenant's delegation is answered as unknown
 * @param reason       why, for the audit trail; may be {@code null}

 */
public record CompleteRevocationCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId, String reason)
        implements DelegationCommand {
}

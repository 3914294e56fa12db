package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Starts withdrawing the prefix: ALLOCATED, ACTIVE or SUSPENDED to REVOKING. Repeating it once revocation has started, or on a terminal delegation, changes nothing.
 *
 * @param delegationId the delegation
 * @param tenantId     the caller's tenant; another tenant's delegation is answered as unknown
 * @param reason       why, for the audit trail; may be {@code null}
 * @param nas          the subscriber's current NAS session, when known; {@code null} keeps the one on record
 */
public record RevokePrefixCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId, String reason, NasSession nas)
        implements DelegationCommand {
}

package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * ACTIVE to SUSPENDED. Repeating it on a SUSPENDED delegation changes nothing.
 *
 * @param delegationId the delegation
 * @param tenantId     the caller's tenant; another tenant's delegation is answered as unknown
 * @param reason       why, for the audit trail; may be {@code null}
 * @param nas          the subscriber's current NAS session, when known; {@code null} keeps the one on record
 */
public record SuspendPrefixCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId, String reason, NasSession nas)
        implements DelegationCommand {
}

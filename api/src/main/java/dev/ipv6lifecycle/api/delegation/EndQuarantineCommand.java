package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Ends an ended delegation's quarantine when its time has passed but the quarantine deadline did not fire
 * (the sweep's repair of a prefix held past its quarantine). Before the time, or when already ended, it
 * changes nothing.
 */
public record EndQuarantineCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId) {
}

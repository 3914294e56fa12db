package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.util.UUID;

/**
 * What {@link AllocatePrefixCommand} allocated: committed, and authoritative.
 *
 * @param delegation the new delegation as its read-side row will show it
 */
public record AllocationResult(UUID delegationId, UUID poolId, Ipv6Prefix prefix, Placement placement,
                               DelegationView delegation) {
}

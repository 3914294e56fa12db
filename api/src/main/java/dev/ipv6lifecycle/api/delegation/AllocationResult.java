package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.util.UUID;

/** What {@link AllocatePrefixCommand} allocated: committed, and authoritative. */
public record AllocationResult(UUID delegationId, UUID poolId, Ipv6Prefix prefix, Placement placement) {
}

package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives a subscriber a delegated prefix, creating the delegation in {@link LifecycleState#ALLOCATED}.
 * The handler answers with an {@link AllocationResult}.
 *
 * @param delegationId the new delegation's id, chosen by the caller
 * @param tenantId     the caller's tenant
 * @param subscriberId the subscriber receiving the prefix
 * @param poolId       the pool to allocate from; {@code null} tries the tenant's pools serving the length, oldest first
 * @param prefixLength the length wanted; {@code null} takes the pool's default (or the prefix's length)
 * @param prefix       exactly this prefix (a static assignment or an import); {@code null} lets the allocator choose
 * @param activate     whether activation should follow at once
 * @param nas          the subscriber's NAS session, when known; {@code null} otherwise
 * @param radiusUserName the User-Name the subscriber's Access-Requests carry; {@code null} takes the NAS
 *                     session's user name, or else the subscriber id
 */
public record AllocatePrefixCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId, String subscriberId,
                                    UUID poolId, Integer prefixLength, Ipv6Prefix prefix, boolean activate,
                                    NasSession nas, String radiusUserName) {

    /** An allocation that names no RADIUS user name of its own. */
    public AllocatePrefixCommand(UUID delegationId, String tenantId, String subscriberId, UUID poolId,
                                 Integer prefixLength, Ipv6Prefix prefix, boolean activate, NasSession nas) {
        this(delegationId, tenantId, subscriberId, poolId, prefixLength, prefix, activate, nas, null);
    }
}

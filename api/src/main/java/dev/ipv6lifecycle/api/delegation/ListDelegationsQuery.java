package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.util.UUID;

/**
 * A page of the tenant's delegations, newest allocation first; answers a {@code Page<DelegationView>}.
 * Each filter is optional (null): {@code prefix} matches delegations whose prefix lies inside it or equals it.
 */
public record ListDelegationsQuery(String tenantId, String subscriberId, UUID poolId, LifecycleState state,
                                   Ipv6Prefix prefix, int page, int size) {
}

package dev.ipv6lifecycle.api.audit;

import dev.ipv6lifecycle.api.delegation.LifecycleState;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant's figures.
 *
 * @param delegationsByState how many delegations are in each state (every state present, zero included)
 * @param pools              utilisation of each pool
 * @param leaks              leaks the latest sweep found (see the sweep)
 */
public record Stats(Map<LifecycleState, Long> delegationsByState, List<PoolUtilization> pools, long leaks) {

    /** One pool's share of held space. */
    public record PoolUtilization(UUID poolId, String name, double utilizationPercent) {
    }
}

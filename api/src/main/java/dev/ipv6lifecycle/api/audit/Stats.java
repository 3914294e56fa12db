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
 * @param leaks              the tenant's open leaks: those the latest finished sweep detected in the tenant
 *                           (reservations of ended delegations, live delegations without a reservation,
 *                           quarantines past their end, IPAM records of prefixes the service does not hold) less
 *                           those that sweep repaired itself; 0 before the first sweep. A leak stays counted
 *                           until a later sweep no longer finds it.
 */
public record Stats(Map<LifecycleState, Long> delegationsByState, List<PoolUtilization> pools, long leaks) {

    /** One pool's share of held space. */
    public record PoolUtilization(UUID poolId, String name, double utilizationPercent) {
    }
}

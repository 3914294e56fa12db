package dev.ipv6lifecycle.api.delegation;

import java.util.List;

/**
 * A subscriber's IPv6 status.
 *
 * @param state       the state of its most recent live delegation; {@link LifecycleState#PENDING} when it has none
 * @param delegations its live delegations (ALLOCATED, ACTIVE, SUSPENDED, REVOKING), newest first
 */
public record SubscriberStatus(String subscriberId, LifecycleState state, List<DelegationView> delegations) {
}

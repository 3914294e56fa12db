package dev.ipv6lifecycle.api.delegation;

/** Where a delegation is in its life. JSON carries the upper-case name. */
public enum LifecycleState {
    /** Shown for a subscriber with no live delegation; never the state of a delegation itself. */
    PENDING,
    /** The prefix is reserved for the subscriber but not yet active in the network. */
    ALLOCATED,
    /** The prefix is in service. */
    ACTIVE,
    /** The prefix stays reserved while the subscriber's service is suspended. */
    SUSPENDED,
    /** The prefix is being withdrawn from the network; it is still reserved. */
    REVOKING,
    /** Terminal: withdrawn; the prefix sits in quarantine for its previous subscriber, then returns to free space. */
    REVOKED,
    /** Terminal: activation failed; the prefix sits in quarantine as after a revocation. */
    FAILED
}

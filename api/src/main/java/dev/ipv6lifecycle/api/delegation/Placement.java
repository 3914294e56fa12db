package dev.ipv6lifecycle.api.delegation;

/** How the allocator chose a delegation's prefix; recorded for the audit trail. */
public enum Placement {
    /** The smallest free block that fits, lowest address first: keeps large blocks whole. */
    BEST_FIT,
    /** The subscriber's previous prefix in this pool, free again. */
    AFFINITY,
    /** The subscriber's previous prefix, taken back out of its quarantine. */
    QUARANTINE_RECLAIM,
    /** Exactly the prefix the caller asked for (a static assignment or an import). */
    EXPLICIT
}

package dev.ipv6lifecycle.query;

import java.util.List;

/**
 * The query side's processing groups, declared once. Each is a pooled streaming processor of the same
 * name, with its own tokens, dead-letter queue and tables; replaying one rebuilds only its tables. The
 * names key tokens and dead letters in the database and the replay endpoint: keep them stable.
 */
public final class Projections {

    /** {@code delegation_view}: delegations, subscriber status, and the held prefixes that capacity counts. */
    public static final String DELEGATIONS = "delegations";
    /** {@code pool_view}: pools and their states. */
    public static final String POOLS = "pools";
    /** {@code assignment_history}: who held which prefix when, for attribution. */
    public static final String ASSIGNMENT_HISTORY = "assignment-history";

    public static final List<String> ALL = List.of(DELEGATIONS, POOLS, ASSIGNMENT_HISTORY);

    private Projections() {
    }
}

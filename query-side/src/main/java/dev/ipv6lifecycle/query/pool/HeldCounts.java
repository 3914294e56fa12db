package dev.ipv6lifecycle.query.pool;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps the held-prefix counts that the pool queries read (migration V14) small: folds the deltas that
 * delegation_view's triggers appended into {@code held_count}, and drops from {@code held_count_reclaim} the
 * reclaims of rows whose quarantine has ended, which no read subtracts any more. Called with every refresh of
 * the gauges ({@code ReadSideMetricsQueries}); the reads are exact whether it ran or not.
 */
public class HeldCounts {

    /** As V8's fold: a delta row is moved by one fold only, and the totals are upserted in key order. */
    private static final String FOLD = """
            WITH moved AS (DELETE FROM held_count_delta RETURNING pool_id, length, quarantined, delta)
            INSERT INTO held_count AS total (pool_id, length, quarantined, n)
            SELECT pool_id, length, quarantined, sum(delta) FROM moved
            GROUP BY pool_id, length, quarantined
            ORDER BY pool_id, length, quarantined
            ON CONFLICT (pool_id, length, quarantined) DO UPDATE SET n = total.n + excluded.n""";

    /** A row whose quarantine has ended is counted nowhere, reclaimed or not, and never counts again. */
    private static final String PRUNE = """
            DELETE FROM held_count_reclaim r USING delegation_view d
            WHERE d.delegation_id = r.reclaimed_id AND d.quarantine_ended_at IS NOT NULL""";

    private final JdbcTemplate jdbc;

    public HeldCounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void fold() {
        jdbc.update(FOLD);
        jdbc.update(PRUNE);
    }
}

package dev.ipv6lifecycle.testsupport;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How many held prefixes of a tenant overlap another, counted on the addresses themselves, independently of
 * the span ranges that the exclusion constraint compares (V11): the tests' oracle for non-overlap.
 *
 * <p>Aligned prefixes overlap only when one contains the other. In PostgreSQL's order of {@code cidr} values
 * a prefix comes before everything it contains, and everything it contains follows it without a gap, so an
 * overlap exists exactly when some prefix contains the one after it. One sort instead of a join of the table
 * with itself, which without an index on the prefixes is quadratic (tens of thousands of rows here).
 */
public final class ReservationOverlaps {

    private ReservationOverlaps() {
    }

    public static long count(JdbcTemplate jdbc, String tenantId) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM (
                    SELECT prefix, lead(prefix) OVER (ORDER BY prefix) AS next
                    FROM prefix_reservation WHERE tenant_id = ?) AS ordered
                WHERE prefix >>= next""", Long.class, tenantId);
    }
}

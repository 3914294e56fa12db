package dev.ipv6lifecycle.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The tests' non-overlap oracle finds overlaps when the constraint that prevents them is not there. */
class ReservationOverlapsTests {

    private final JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(SharedPostgres.freshDatabase()));
    private final UUID pool = UUID.randomUUID();

    @Test
    void countsEveryPrefixThatContainsTheNextAndNothingBetweenNeighbours() {
        jdbc.execute("ALTER TABLE prefix_reservation DROP CONSTRAINT prefix_reservation_no_overlap");
        jdbc.update("""
                INSERT INTO pool_registry (pool_id, tenant_id, prefix, delegated_lengths, default_length, quarantine, state, created_at)
                VALUES (?, 't', '2001:db8::/32', '{48,56,64}', 56, '1 day', 'ACTIVE', now())""", pool);
        reserve("t", "2001:db8:1::/48");
        reserve("t", "2001:db8:2::/56");
        reserve("t", "2001:db8:2:100::/56");
        reserve("t", "2001:db8:3::/64");
        reserve("other", "2001:db8:1:ff00::/56");
        assertThat(ReservationOverlaps.count(jdbc, "t")).as("neighbours, and another tenant's prefix").isZero();

        reserve("t", "2001:db8:1:ff00::/56");
        reserve("t", "2001:db8:1:ff00::/64");
        reserve("t", "2001:db8:3::/64");

        // The /48 holds the first /56, which holds the /64; and the /64 is there twice.
        assertThat(ReservationOverlaps.count(jdbc, "t")).isEqualTo(3);
    }

    private void reserve(String tenant, String prefix) {
        jdbc.update("INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id) "
                + "VALUES (?, ?, ?::cidr, ?, 's')", tenant, pool, prefix, UUID.randomUUID());
    }
}

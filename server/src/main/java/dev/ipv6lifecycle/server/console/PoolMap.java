package dev.ipv6lifecycle.server.console;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A pool's address space as at most {@value #MAX_CELLS} equal blocks of one view prefix, each with the
 * share of it that is held, quarantined and free. PostgreSQL groups the reservations by block, so a view
 * of a /32 holding a million delegations is 256 rows, not a million. It reads the command side's
 * reservation table, which holds exactly the prefixes the allocator may not hand out: the held ones and the
 * quarantined ones (their quarantine end is set).
 */
@Component
class PoolMap {

    static final int MAX_CELLS = 256;
    private static final int CELL_BITS = 8;

    private final JdbcTemplate jdbc;

    PoolMap(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One block of the view.
     *
     * @param held        the share (0..1) held by live delegations
     * @param quarantined the share in quarantine
     * @param delegation  the delegation that is exactly this block or holds it whole, or null
     */
    record Cell(int index, Ipv6Prefix prefix, double held, double quarantined, long delegations, UUID delegation,
                boolean zoomable) {

        public double free() {
            return Math.max(0, 1 - held - quarantined);
        }

        /** The colour class: whichever of held, quarantined and free has the most of the block. */
        public String kind() {
            return held == 0 && quarantined == 0 ? "free"
                    : held >= quarantined && held >= free() ? "held" : quarantined >= free() ? "quarantined"
                    : "partly";
        }

        public String describe() {
            return String.format("%s: %.0f%% held, %.0f%% quarantined, %.0f%% free, %d delegation%s", prefix,
                    held * 100, quarantined * 100, free() * 100, delegations, delegations == 1 ? "" : "s");
        }
    }

    record View(Ipv6Prefix prefix, int cellLength, List<Cell> cells) {
    }

    /**
     * The view {@code prefix} of a pool, cut into blocks of {@code min(prefix + 8, deepest)}, where
     * {@code deepest} is the pool's longest delegated length: below that a block is one delegation at most.
     */
    View view(String tenantId, UUID poolId, Ipv6Prefix prefix, int deepest) {
        int cellLength = Math.max(prefix.length(), Math.min(prefix.length() + CELL_BITS, deepest));
        int count = 1 << (cellLength - prefix.length());
        double[] held = new double[count];
        double[] quarantined = new double[count];
        long[] delegations = new long[count];
        UUID[] exact = new UUID[count];
        String view = prefix.canonical();
        BigInteger cellSize = BigInteger.ONE.shiftLeft(128 - cellLength);

        // Reservations of a block's length or longer: grouped by block in the database.
        jdbc.query("""
                SELECT set_masklen(prefix, ?)::text AS cell, quarantined_until IS NOT NULL AS quarantined,
                       count(*) AS n, sum(power(2::float8, ? - masklen(prefix))) AS share
                FROM prefix_reservation
                WHERE tenant_id = ? AND pool_id = ? AND prefix <<= ?::cidr AND masklen(prefix) >= ?
                GROUP BY 1, 2""", row -> {
            int index = index(prefix, Ipv6Prefix.parse(row.getString("cell")), cellSize);
            (row.getBoolean("quarantined") ? quarantined : held)[index] += row.getDouble("share");
            delegations[index] += row.getLong("n");
        }, cellLength, cellLength, tenantId, poolId, view, cellLength);

        // Delegations that are a block exactly: at most one per block, since held prefixes never overlap.
        jdbc.query("""
                SELECT prefix::text AS prefix, delegation_id FROM prefix_reservation
                WHERE tenant_id = ? AND pool_id = ? AND prefix <<= ?::cidr AND masklen(prefix) = ?""", row -> {
            exact[index(prefix, Ipv6Prefix.parse(row.getString("prefix")), cellSize)] =
                    row.getObject("delegation_id", UUID.class);
        }, tenantId, poolId, view, cellLength);

        // Reservations larger than a block (or than the whole view): few, each covering whole blocks.
        jdbc.query("""
                SELECT prefix::text AS prefix, delegation_id, quarantined_until IS NOT NULL AS quarantined
                FROM prefix_reservation
                WHERE tenant_id = ? AND pool_id = ? AND prefix && ?::cidr AND masklen(prefix) < ?""", row -> {
            Ipv6Prefix large = Ipv6Prefix.parse(row.getString("prefix"));
            int first = large.contains(prefix) ? 0 : index(prefix, large, cellSize);
            int covered = large.contains(prefix) ? count : 1 << (cellLength - large.length());
            for (int index = first; index < first + covered; index++) {
                (row.getBoolean("quarantined") ? quarantined : held)[index] = 1;
                delegations[index] = 1;
                exact[index] = row.getObject("delegation_id", UUID.class);
            }
        }, tenantId, poolId, view, cellLength);

        List<Cell> cells = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            Ipv6Prefix cell = prefix.subPrefix(cellLength, BigInteger.valueOf(index));
            cells.add(new Cell(index, cell, held[index], quarantined[index], delegations[index], exact[index],
                    exact[index] == null && cellLength < deepest && delegations[index] > 0));
        }
        return new View(prefix, cellLength, cells);
    }

    private static int index(Ipv6Prefix view, Ipv6Prefix inside, BigInteger cellSize) {
        return inside.network().subtract(view.network()).divide(cellSize).intValueExact();
    }

    /** Counts per kind, for the legend and for a reader who cannot tell the colours apart. */
    static Map<String, Long> legend(View view) {
        Map<String, Long> counts = new HashMap<>();
        view.cells().forEach(cell -> counts.merge(cell.kind(), 1L, Long::sum));
        return counts;
    }
}

package dev.ipv6lifecycle.server.console;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A pool's address space as at most {@value #MAX_CELLS} equal blocks of one view prefix, each with the
 * share of it that is held, quarantined and free. It reads the command side's tables, which are written in
 * each command's own transaction: {@code free_block}, the pool's free space as aligned blocks, and the
 * quarantined rows of {@code prefix_reservation}; what is neither is held. Neither grows with the number of
 * delegations (free space stays a few blocks per hole, quarantine holds only the recently revoked), so a /32
 * holding a million delegations is as quick to draw as an empty one: PostgreSQL groups the blocks by cell,
 * and the page draws 256 of them, not a million.
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
     * @param free        the share (0..1) that is free
     * @param quarantined the share in quarantine
     * @param delegation  the delegation that is exactly this block or holds it whole, or null
     * @param zoomable    whether the block has smaller blocks worth a closer look
     */
    record Cell(int index, Ipv6Prefix prefix, double free, double quarantined, UUID delegation, boolean zoomable) {

        public double held() {
            return Math.max(0, 1 - free - quarantined);
        }

        public String describe() {
            return String.format(Locale.ROOT, "%s: %.2f%% held, %.2f%% quarantined, %.2f%% free", prefix,
                    held() * 100, quarantined * 100, free * 100);
        }
    }

    record View(Ipv6Prefix prefix, int cellLength, List<Cell> cells) {
    }

    /**
     * The view {@code prefix} of a pool, cut into blocks of {@code min(prefix + 8, deepest)}, where
     * {@code deepest} is the pool's longest delegated length: below that a block is one delegation at most.
     */
    View view(String tenantId, UUID poolId, Ipv6Prefix pool, List<Integer> delegatedLengths, Ipv6Prefix prefix) {
        int deepest = Collections.max(delegatedLengths);
        int cellLength = Math.max(prefix.length(), Math.min(prefix.length() + CELL_BITS, deepest));
        int count = 1 << (cellLength - prefix.length());
        double[] free = new double[count];
        double[] quarantined = new double[count];
        UUID[] exact = new UUID[count];
        String view = prefix.canonical();
        BigInteger cellSize = BigInteger.ONE.shiftLeft(128 - cellLength);
        // Every block that may contain the view: the view itself and its parents up to the pool.
        String enclosing = IntStream.rangeClosed(pool.length(), prefix.length())
                .mapToObj(length -> prefix.parent(length).canonical()).collect(Collectors.joining(",", "{", "}"));

        // Free space: blocks of a cell's length or longer, summed per cell (the primary key's range scan)...
        jdbc.query("""
                SELECT set_masklen(prefix, ?)::text AS cell, sum(power(2::float8, ? - length)) AS share
                FROM free_block WHERE pool_id = ? AND prefix <<= ?::cidr AND length >= ? GROUP BY 1""",
                row -> {
                    free[index(prefix, Ipv6Prefix.parse(row.getString("cell")), cellSize)] += row.getDouble("share");
                }, cellLength, cellLength, poolId, view, cellLength);
        // ... and the few blocks larger than a cell: inside the view, or the one containing it.
        jdbc.query("""
                SELECT prefix::text AS prefix FROM free_block
                WHERE pool_id = ? AND prefix <<= ?::cidr AND length < ?
                UNION ALL
                SELECT prefix::text FROM free_block WHERE pool_id = ? AND prefix = ANY (?::cidr[])""",
                row -> {
                    cover(prefix, Ipv6Prefix.parse(row.getString("prefix")), cellSize, count, cellLength, free);
                },
                poolId, view, cellLength, poolId, enclosing);

        // Quarantine: only the reservations whose quarantine is running (a partial index holds just those),
        // summed per cell as the free blocks are, and the few larger than a cell.
        jdbc.query("""
                SELECT set_masklen(prefix, ?)::text AS cell, sum(power(2::float8, ? - masklen(prefix))) AS share
                FROM prefix_reservation WHERE tenant_id = ? AND pool_id = ? AND quarantined_until IS NOT NULL
                AND prefix <<= ?::cidr AND masklen(prefix) >= ? GROUP BY 1""",
                row -> {
                    quarantined[index(prefix, Ipv6Prefix.parse(row.getString("cell")), cellSize)] +=
                            row.getDouble("share");
                }, cellLength, cellLength, tenantId, poolId, view, cellLength);
        jdbc.query("""
                SELECT prefix::text AS prefix FROM prefix_reservation WHERE tenant_id = ? AND pool_id = ?
                AND quarantined_until IS NOT NULL AND prefix && ?::cidr AND masklen(prefix) < ?""",
                row -> {
                    cover(prefix, Ipv6Prefix.parse(row.getString("prefix")), cellSize, count, cellLength, quarantined);
                },
                tenantId, poolId, view, cellLength);

        // Links: a delegation that is exactly a block (at most one per block: held prefixes never overlap),
        // asked only when the block's length is one the pool delegates; and delegations larger than a block.
        if (delegatedLengths.contains(cellLength)) {
            jdbc.query("""
                    SELECT prefix::text AS prefix, delegation_id FROM prefix_reservation
                    WHERE tenant_id = ? AND pool_id = ? AND span && prefix_span(?::cidr) AND prefix <<= ?::cidr
                      AND masklen(prefix) = ?""",
                    row -> {
                        exact[index(prefix, Ipv6Prefix.parse(row.getString("prefix")), cellSize)] =
                                row.getObject("delegation_id", UUID.class);
                    }, tenantId, poolId, view, view, cellLength);
        }
        if (Collections.min(delegatedLengths) < cellLength) {
            jdbc.query("""
                    SELECT prefix::text AS prefix, delegation_id FROM prefix_reservation
                    WHERE tenant_id = ? AND pool_id = ? AND span && prefix_span(?::cidr) AND masklen(prefix) < ?""",
                    row -> {
                        int[] cells = covered(prefix, Ipv6Prefix.parse(row.getString("prefix")), cellSize, count,
                                cellLength);
                        Arrays.fill(exact, cells[0], cells[1], row.getObject("delegation_id", UUID.class));
                    }, tenantId, poolId, view, cellLength);
        }

        List<Cell> cells = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            cells.add(new Cell(index, prefix.subPrefix(cellLength, BigInteger.valueOf(index)), free[index],
                    quarantined[index], exact[index], exact[index] == null && cellLength < deepest && free[index] < 1));
        }
        return new View(prefix, cellLength, cells);
    }

    /** A block at least as large as a cell fills the cells it covers. */
    private static void cover(Ipv6Prefix view, Ipv6Prefix block, BigInteger cellSize, int count, int cellLength,
                              double[] shares) {
        int[] cells = covered(view, block, cellSize, count, cellLength);
        Arrays.fill(shares, cells[0], cells[1], 1.0);
    }

    /** The cells (from, to exclusive) a block at least as large as a cell covers: all of them if it holds the view. */
    private static int[] covered(Ipv6Prefix view, Ipv6Prefix block, BigInteger cellSize, int count, int cellLength) {
        if (block.contains(view)) {
            return new int[] {0, count};
        }
        int first = index(view, block, cellSize);
        return new int[] {first, first + (1 << (cellLength - block.length()))};
    }

    private static int index(Ipv6Prefix view, Ipv6Prefix inside, BigInteger cellSize) {
        return inside.network().subtract(view.network()).divide(cellSize).intValueExact();
    }
}

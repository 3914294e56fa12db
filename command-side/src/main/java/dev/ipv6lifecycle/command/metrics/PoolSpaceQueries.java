package dev.ipv6lifecycle.command.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Every pool's free space for the gauges {@code ipv6_pool_utilization_percent} and
 * {@code ipv6_pool_free_prefixes}, in one grouped query over {@code free_block}: a handful of blocks per
 * pool, whatever the number of delegations. The command side's projectors keep that table in the same
 * transaction as each event, so these numbers are never behind the event store.
 *
 * <p>It lives here, with the tables it reads, and not in the query side: the query side reads only its
 * own read models (V4), and the server, which publishes the gauges, depends on both sides.
 */
@Component
public class PoolSpaceQueries {

    /**
     * The utilisation is computed in {@code numeric} as the read side's {@code pool_utilization} view does
     * (held space times 100 over the pool's size, then {@code float8}), so that both give the same double:
     * the held space is the pool's size less its free blocks.
     */
    private static final String FREE_BLOCKS = """
            SELECT r.tenant_id, r.pool_id, masklen(r.prefix) AS pool_length, b.length, b.blocks,
                   (100 * (power(2::numeric, 128 - masklen(r.prefix))
                           - coalesce(sum(b.blocks * power(2::numeric, 128 - b.length)) OVER (PARTITION BY r.pool_id), 0))
                        / power(2::numeric, 128 - masklen(r.prefix)))::float8 AS utilization_percent
            FROM pool_registry r
            LEFT JOIN (SELECT pool_id, length, count(*) AS blocks FROM free_block GROUP BY pool_id, length) b
                   ON b.pool_id = r.pool_id""";

    private final JdbcTemplate jdbc;

    public PoolSpaceQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every pool of the registry (RETIRED ones included), by pool id. */
    public Map<UUID, PoolSpace> all() {
        Map<UUID, PoolSpace> pools = new LinkedHashMap<>();
        Map<UUID, Map<Integer, Long>> blocks = new HashMap<>();
        jdbc.query(FREE_BLOCKS, row -> {
            UUID poolId = row.getObject("pool_id", UUID.class);
            Map<Integer, Long> ofPool = blocks.computeIfAbsent(poolId, key -> new HashMap<>());
            int length = row.getInt("length");
            if (!row.wasNull()) {
                ofPool.put(length, row.getLong("blocks"));
            }
            pools.put(poolId, new PoolSpace(row.getString("tenant_id"), poolId, row.getInt("pool_length"), Map.of(),
                    row.getDouble("utilization_percent")));
        });
        pools.replaceAll((poolId, pool) -> new PoolSpace(pool.tenantId(), poolId, pool.prefixLength(), blocks.get(poolId),
                pool.utilizationPercent()));
        return pools;
    }
}

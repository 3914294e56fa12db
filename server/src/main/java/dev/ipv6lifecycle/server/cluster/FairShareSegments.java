package dev.ipv6lifecycle.server.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.pooled.MaxSegmentProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How many segments of a pooled processor this node may hold: its fair share, the processor's segments
 * divided by the live nodes, rounded up. Axon's coordinator asks at every claim cycle and releases what
 * is above the share, which another node then claims; when a node dies its share grows again, and its
 * segments are taken over once their claims time out.
 *
 * <p>A node is live while it has connections open to the database under its application name: a node
 * that is killed loses them at once (the kernel closes its sockets), and a starting node has them before
 * its processors claim anything, which is what lets it get a share from nodes that hold everything.
 * When the database cannot be asked, the last answer stands.
 */
final class FairShareSegments implements MaxSegmentProvider {

    private static final Logger log = LoggerFactory.getLogger(FairShareSegments.class);

    private final JdbcTemplate jdbc;
    private final Map<String, Integer> lastShare = new ConcurrentHashMap<>();

    FairShareSegments(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int getMaxSegments(String processorName) {
        try {
            int[] counts = jdbc.queryForObject("""
                    SELECT (SELECT count(*) FROM token_entry WHERE processor_name = ?),
                           (SELECT count(DISTINCT application_name) FROM pg_stat_activity
                            WHERE datname = current_database() AND application_name LIKE ?)""",
                    (rs, i) -> new int[] {rs.getInt(1), rs.getInt(2)},
                    processorName, ClusterNode.APPLICATION_NAME_PREFIX + "%");
            int share = share(counts[0], counts[1]);
            Integer previous = lastShare.put(processorName, share);
            if (previous != null && previous != share) {
                log.info("Processor [{}]: {} segments over {} live nodes, this node's share is now {} (was {})",
                        processorName, counts[0], counts[1], share, previous);
            }
            return share;
        } catch (RuntimeException unreachable) {
            return lastShare.getOrDefault(processorName, (int) Short.MAX_VALUE);
        }
    }

    /** Segments not created yet (the first node creates them at its first claim): no limit. */
    static int share(int segments, int liveNodes) {
        if (segments <= 0) {
            return Short.MAX_VALUE;
        }
        int nodes = Math.max(1, liveNodes);
        return Math.max(1, (segments + nodes - 1) / nodes);
    }
}

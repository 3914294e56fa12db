package dev.ipv6lifecycle.server.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the nodes sharing one database split the work.
 *
 * @param nodeId  this node's id (token claims, db-scheduler, connection names); unique per running process.
 *                Left empty, {@link NodeIdEnvironmentPostProcessor} makes one from the host, the process and a
 *                random suffix
 * @param cluster the event processors' segments
 */
@ConfigurationProperties("ipv6")
record ClusterSettings(String nodeId, @DefaultValue Cluster cluster) {

    /**
     * @param segments        segments of each event processor, set when its tokens are first created
     * @param balanceSegments whether a node holds at most its fair share of each pooled processor's segments
     */
    record Cluster(@DefaultValue("4") int segments, @DefaultValue("true") boolean balanceSegments) {

        Cluster {
            if (segments < 1) {
                throw new IllegalArgumentException("ipv6.cluster.segments must be at least 1");
            }
        }
    }
}

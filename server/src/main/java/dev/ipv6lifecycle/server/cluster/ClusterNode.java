package dev.ipv6lifecycle.server.cluster;

/**
 * This node's identity among the nodes that share one database: the owner of its event processor token
 * claims, the name its db-scheduler picks executions under, and the application name of its database
 * connections, by which the other nodes count it as live.
 */
public record ClusterNode(String id) {

    /** Prefix of the PostgreSQL {@code application_name} of every connection a node opens. */
    static final String APPLICATION_NAME_PREFIX = "ipv6-lifecycle/";

    public ClusterNode {
        if (id == null || id.isBlank() || id.length() > 200) {
            throw new IllegalArgumentException("ipv6.node-id must be 1..200 characters, got [" + id + "]");
        }
    }

    String applicationName() {
        // PostgreSQL truncates application_name to 63 bytes; the node id must survive that to be counted.
        String name = APPLICATION_NAME_PREFIX + id;
        return name.length() <= 63 ? name : name.substring(0, 63);
    }
}

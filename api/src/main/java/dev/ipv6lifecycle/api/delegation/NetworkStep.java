package dev.ipv6lifecycle.api.delegation;

/**
 * One call the service makes to the network or the IPAM on a delegation's behalf. The names are part of
 * the event contract: never rename one.
 */
public enum NetworkStep {
    /** RADIUS CoA-Request giving the session its delegated prefix (activation, resume). */
    PUSH_PREFIX("radius", "coa"),
    /** RADIUS CoA-Request restricting a suspended session. */
    RESTRICT("radius", "coa"),
    /** RADIUS Disconnect-Request ending the session (revocation). */
    DISCONNECT("radius", "disconnect"),
    /** NetBox: record the prefix as held by the subscriber. */
    IPAM_RECORD("netbox", "ipam"),
    /** NetBox: remove the record of the prefix. */
    IPAM_RELEASE("netbox", "ipam");

    private final String target;
    private final String kind;

    NetworkStep(String target, String kind) {
        this.target = target;
        this.kind = kind;
    }

    /** The peer, as the {@code target} label of {@code ipv6_network_notifications_total} names it. */
    public String target() {
        return target;
    }

    /** The kind of call, as the {@code kind} label of {@code ipv6_network_notifications_total} names it. */
    public String kind() {
        return kind;
    }
}

package dev.ipv6lifecycle.command;

import java.util.List;

/**
 * The processing groups that keep the command side's tables, declared once. Their names key Axon's
 * processor configuration; changing one changes nothing stored, but keep them stable all the same.
 */
public final class InTransactionGroups {

    public static final String POOL_REGISTRY = "pool-registry";
    public static final String PREFIX_RESERVATIONS = "prefix-reservations";
    public static final String RADIUS_AUTHORIZATIONS = "radius-authorizations";

    static final List<String> ALL = List.of(POOL_REGISTRY, PREFIX_RESERVATIONS, RADIUS_AUTHORIZATIONS);

    private InTransactionGroups() {
    }
}

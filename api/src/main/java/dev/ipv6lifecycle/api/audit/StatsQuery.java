package dev.ipv6lifecycle.api.audit;

/** The tenant's figures; answers {@link Stats}. */
public record StatsQuery(String tenantId) {
}

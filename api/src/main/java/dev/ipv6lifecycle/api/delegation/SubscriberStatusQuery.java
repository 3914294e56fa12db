package dev.ipv6lifecycle.api.delegation;

/** A subscriber's IPv6 status; answers a {@link SubscriberStatus}. */
public record SubscriberStatusQuery(String tenantId, String subscriberId) {
}

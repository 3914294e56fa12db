package dev.ipv6lifecycle.api.audit;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;

/**
 * Who held the delegated prefix that covers {@code prefix} (an address is a /128) at {@code at}; answers
 * an {@code Optional<Attribution>}, empty when nobody of the tenant held it then.
 */
public record AttributionQuery(String tenantId, Ipv6Prefix prefix, Instant at) {
}

package dev.ipv6lifecycle.api.pool;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A pool was opened. Its parameters never change afterwards.
 *
 * @param delegatedLengths served lengths in ascending order
 * @param createdAt        when the pool was created
 * @param allocateOnFirstSight whether Access-Requests of subscribers without a live delegation allocate from the
 *                         pool; {@code null} (every event stored before it existed) means no
 */
@Revision("1")
public record PoolCreatedEvent(UUID poolId, String tenantId, String name, Ipv6Prefix prefix,
                               List<Integer> delegatedLengths, int defaultLength, Duration quarantine,
                               Duration staleAfter, Instant createdAt, Boolean allocateOnFirstSight) {

    /** A pool that does not allocate on first sight. */
    public PoolCreatedEvent(UUID poolId, String tenantId, String name, Ipv6Prefix prefix, List<Integer> delegatedLengths,
                            int defaultLength, Duration quarantine, Duration staleAfter, Instant createdAt) {
        this(poolId, tenantId, name, prefix, delegatedLengths, defaultLength, quarantine, staleAfter, createdAt, null);
    }

    public boolean allocatesOnFirstSight() {
        return Boolean.TRUE.equals(allocateOnFirstSight);
    }
}

package dev.ipv6lifecycle.api.pool;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A pool as the read side shows it, with its capacity per delegated length.
 *
 * @param capacity           per delegated length
 * @param utilizationPercent the share of the pool's space that is held (live or quarantined), 0..100
 * @param largestFreeBlock   the length of the pool's largest free block (its shortest prefix length): no
 *                           prefix shorter than this can be given; null when the pool is full
 */
public record PoolView(UUID id, String name, Ipv6Prefix prefix, List<Integer> delegatedLengths, int defaultLength,
                       Duration quarantine, Duration staleAfter, PoolState state, Map<Integer, LengthCapacity> capacity,
                       double utilizationPercent, Integer largestFreeBlock) {
}

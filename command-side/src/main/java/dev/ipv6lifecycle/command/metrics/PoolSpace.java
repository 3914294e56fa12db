package dev.ipv6lifecycle.command.metrics;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One pool's free space as the command side's buddy system keeps it: the number of free blocks of each
 * length. Live and quarantined reservations are not free, so these blocks are exactly the space that can
 * still be given out.
 *
 * @param freeBlocks         free blocks per block length
 * @param utilizationPercent the reserved (live and quarantined) share of the pool, in percent
 */
public record PoolSpace(String tenantId, UUID poolId, int prefixLength, Map<Integer, Long> freeBlocks,
                        double utilizationPercent) {

    public PoolSpace {
        freeBlocks = Map.copyOf(freeBlocks);
    }

    /**
     * How many more prefixes of {@code length} fit: a free block of length {@code b <= length} holds
     * {@code 2^(length - b)} of them, and a shorter one none (blocks are maximal and aligned).
     */
    public BigInteger free(int length) {
        BigInteger free = BigInteger.ZERO;
        for (Map.Entry<Integer, Long> blocks : freeBlocks.entrySet()) {
            if (blocks.getKey() <= length) {
                free = free.add(BigInteger.valueOf(blocks.getValue()).shiftLeft(length - blocks.getKey()));
            }
        }
        return free;
    }

    /** The length of the largest free block (the shortest prefix the pool can still give); empty when full. */
    public Optional<Integer> largestFreeBlock() {
        return freeBlocks.keySet().stream().min(Integer::compare);
    }
}

package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The free blocks of one pool as one transaction changes them before it writes: what a batch of allocations
 * has taken so far, so that each of them is placed exactly as it would be after the others were stored. It
 * starts from the blocks read from {@code free_block} and splits them in memory as prefixes are taken; what
 * it has changed is then written at once ({@link #removedFromDatabase()}, {@link #added()}).
 *
 * <p>Every free block is /64 or shorter (held prefixes are /48 to /64, so their buddies are too), so a block is
 * its upper 64 bits and a length.
 */
final class FreeSpace {

    /** An aligned block of length 0 to 64, in best-fit order: longest (smallest) first, then lowest address. */
    record Block(long high, int length) implements Comparable<Block> {

        static Block of(Ipv6Prefix prefix) {
            if (prefix.length() > 64) {
                throw new IllegalArgumentException(prefix + " is longer than /64");
            }
            return new Block(prefix.network().shiftRight(64).longValue(), prefix.length());
        }

        /** The block of {@code length} that holds this one (this block at its own length). */
        Block enclosing(int length) {
            return new Block(high & mask(length), length);
        }

        /** The other half of this block's parent. */
        Block buddy() {
            return new Block(high ^ (1L << (64 - length)), length);
        }

        /** The first (lowest) block of {@code length} inside this one. */
        Block first(int length) {
            return new Block(high, length);
        }

        Ipv6Prefix prefix() {
            return Ipv6Prefix.parse(BuddyBlocks.cidr(high, 0, length));
        }

        @Override
        public int compareTo(Block other) {
            return length != other.length ? Integer.compare(other.length, length) : Long.compareUnsigned(high, other.high);
        }

        private static long mask(int length) {
            return length == 0 ? 0 : -1L << (64 - length);
        }
    }

    private final TreeSet<Block> free = new TreeSet<>();
    /** Every block read from the table, whether still free here or taken since. */
    private final Set<Block> read = new HashSet<>();

    /** Adds a block read from {@code free_block}, unless this transaction has read (and perhaps taken) it before. */
    void read(Block block) {
        if (read.add(block)) {
            free.add(block);
        }
    }

    /** Every block read from the table, whether still free here or taken since. */
    Set<Block> allRead() {
        return read;
    }

    /** The blocks read from the table that this transaction has taken or split. */
    List<Block> removedFromDatabase() {
        return read.stream().filter(block -> !free.contains(block)).toList();
    }

    /** The free blocks this transaction made by splitting, and has not taken again. */
    List<Block> added() {
        return free.stream().filter(block -> !read.contains(block)).toList();
    }

    /** The best fit among the blocks known here: the lowest block of {@code length} in the smallest block that holds it. */
    Optional<Block> bestFit(int length) {
        Block best = free.ceiling(new Block(0, length));
        return best == null ? Optional.empty() : Optional.of(best.first(length));
    }

    /** Whether {@code wanted} lies in a block known here to be free. */
    boolean isFree(Block wanted) {
        return freeBlockHolding(wanted) != null;
    }

    /**
     * Takes {@code wanted} out of the free block that holds it, leaving the block's other parts free (one buddy per
     * level between the block and {@code wanted}). False, with nothing changed, when no known free block holds it.
     */
    boolean take(Block wanted) {
        Block holder = freeBlockHolding(wanted);
        if (holder == null) {
            return false;
        }
        free.remove(holder);
        for (int length = holder.length() + 1; length <= wanted.length(); length++) {
            free.add(wanted.enclosing(length).buddy());
        }
        return true;
    }

    /** The candidates for the blocks that may hold {@code prefix}: it and every block enclosing it. */
    static List<Block> enclosing(Block prefix) {
        List<Block> blocks = new ArrayList<>(prefix.length() + 1);
        for (int length = 0; length <= prefix.length(); length++) {
            blocks.add(prefix.enclosing(length));
        }
        return blocks;
    }

    private Block freeBlockHolding(Block wanted) {
        for (int length = wanted.length(); length >= 0; length--) {
            Block candidate = wanted.enclosing(length);
            if (free.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

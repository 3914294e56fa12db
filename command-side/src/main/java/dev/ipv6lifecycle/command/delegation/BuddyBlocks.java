package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.math.BigInteger;
import java.util.Collection;

/**
 * The arithmetic of the ledger's buddy system: the blocks that enclose a prefix and the buddy of each, as the
 * PostgreSQL array literals its statements take.
 *
 * <p>Every allocation sends about a hundred related prefixes (enclosing blocks and buddies). They are computed
 * on the two 64-bit halves of the address and written uncompressed: building an Ipv6Prefix for each, with its RFC 5952 text,
 * was a tenth of an allocation request's CPU (BENCHMARKS.md). PostgreSQL reads any IPv6 spelling and
 * compares cidr values, not text.
 */
final class BuddyBlocks {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private BuddyBlocks() {
    }

    /** {@code prefix} and every prefix enclosing it, as a PostgreSQL array: matched by equality, an index lookup. */
    static String enclosing(Ipv6Prefix prefix) {
        long high = prefix.network().shiftRight(64).longValue();
        long low = prefix.network().longValue();
        StringBuilder array = new StringBuilder(44 * (prefix.length() + 1)).append('{');
        for (int length = 0; length <= prefix.length(); length++) {
            appendCidr(array, high & highMask(length), low & lowMask(length), length);
        }
        return close(array);
    }

    /** The buddy of the block of each length 1 to {@code prefix.length()} enclosing it (its last bit flipped). */
    static String buddies(Ipv6Prefix prefix) {
        long high = prefix.network().shiftRight(64).longValue();
        long low = prefix.network().longValue();
        StringBuilder array = new StringBuilder(44 * prefix.length()).append('{');
        for (int length = 1; length <= prefix.length(); length++) {
            long buddyHigh = high & highMask(length);
            long buddyLow = low & lowMask(length);
            if (length <= 64) {
                buddyHigh ^= 1L << (64 - length);
            } else {
                buddyLow ^= 1L << (128 - length);
            }
            appendCidr(array, buddyHigh, buddyLow, length);
        }
        return close(array);
    }

    /** The lengths 1 to {@code length}, as a PostgreSQL array: the length of each of {@link #buddies}. */
    static String lengthsUpTo(int length) {
        StringBuilder array = new StringBuilder(4 * length).append('{');
        for (int each = 1; each <= length; each++) {
            array.append(each).append(',');
        }
        return close(array);
    }

    /** A prefix as PostgreSQL cidr text, from the two halves of its address. */
    static String cidr(long high, long low, int length) {
        StringBuilder text = new StringBuilder(44);
        appendCidr(text, high, low, length);
        text.setLength(text.length() - 1);
        return text.toString();
    }

    /** Blocks of {@link FreeSpace} as a PostgreSQL cidr array. */
    static String array(Collection<FreeSpace.Block> blocks) {
        StringBuilder array = new StringBuilder(44 * blocks.size() + 2).append('{');
        for (FreeSpace.Block block : blocks) {
            appendCidr(array, block.high(), 0, block.length());
        }
        return close(array);
    }

    /** The lengths of blocks of {@link FreeSpace}, as a PostgreSQL array in the same order. */
    static String lengths(Collection<FreeSpace.Block> blocks) {
        StringBuilder array = new StringBuilder(4 * blocks.size() + 2).append('{');
        for (FreeSpace.Block block : blocks) {
            array.append(block.length()).append(',');
        }
        return close(array);
    }

    /** The other half of the block's parent. */
    static Ipv6Prefix buddy(Ipv6Prefix block) {
        Ipv6Prefix parent = block.parent(block.length() - 1);
        Ipv6Prefix first = parent.subPrefix(block.length(), BigInteger.ZERO);
        return first.equals(block) ? parent.subPrefix(block.length(), BigInteger.ONE) : first;
    }

    /** The bits of the upper 64 that a prefix of {@code length} keeps. */
    private static long highMask(int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** The bits of the lower 64 that a prefix of {@code length} keeps. */
    private static long lowMask(int length) {
        return length <= 64 ? 0 : -1L << (128 - length);
    }

    /** The prefix as PostgreSQL cidr text, eight groups of four hex digits, then a comma. */
    private static void appendCidr(StringBuilder text, long high, long low, int length) {
        appendGroups(text, high);
        text.append(':');
        appendGroups(text, low);
        text.append('/').append(length).append(',');
    }

    private static void appendGroups(StringBuilder text, long bits) {
        for (int digit = 15; digit >= 0; digit--) {
            text.append(HEX[(int) (bits >>> (4 * digit)) & 0xf]);
            if (digit % 4 == 0 && digit > 0) {
                text.append(':');
            }
        }
    }

    /** Ends a PostgreSQL array literal of values that need no quoting, replacing the last value's comma. */
    private static String close(StringBuilder array) {
        if (array.charAt(array.length() - 1) == ',') {
            array.setLength(array.length() - 1);
        }
        return array.append('}').toString();
    }
}

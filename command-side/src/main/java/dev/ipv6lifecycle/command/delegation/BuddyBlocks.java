package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.math.BigInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The arithmetic of the ledger's buddy system: the blocks that enclose a prefix and the buddy of each, as the
 * PostgreSQL array literals its statements take.
 *
 * <p>Every allocation sends about a hundred related prefixes (enclosing blocks and buddies). They are computed
 * on the 128-bit address and written uncompressed: building an Ipv6Prefix for each, with its RFC 5952 text,
 * was a tenth of an allocation request's CPU (BENCHMARKS.md). PostgreSQL reads any IPv6 spelling and
 * compares cidr values, not text.
 */
final class BuddyBlocks {

    private static final BigInteger ALL_ONES = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private BuddyBlocks() {
    }

    /** {@code prefix} and every prefix enclosing it, as a PostgreSQL array: matched by equality, an index lookup. */
    static String enclosing(Ipv6Prefix prefix) {
        BigInteger network = prefix.network();
        return array(IntStream.rangeClosed(0, prefix.length()).mapToObj(length -> cidr(masked(network, length), length)));
    }

    /** The buddy of the block of each length 1 to {@code prefix.length()} enclosing it (its last bit flipped). */
    static String buddies(Ipv6Prefix prefix) {
        BigInteger network = prefix.network();
        return array(IntStream.rangeClosed(1, prefix.length())
                .mapToObj(length -> cidr(masked(network, length).flipBit(128 - length), length)));
    }

    /** The lengths 1 to {@code length}, as a PostgreSQL array: the length of each of {@link #buddies}. */
    static String lengthsUpTo(int length) {
        return array(IntStream.rangeClosed(1, length).mapToObj(String::valueOf));
    }

    /** The other half of the block's parent. */
    static Ipv6Prefix buddy(Ipv6Prefix block) {
        Ipv6Prefix parent = block.parent(block.length() - 1);
        Ipv6Prefix first = parent.subPrefix(block.length(), BigInteger.ZERO);
        return first.equals(block) ? parent.subPrefix(block.length(), BigInteger.ONE) : first;
    }

    /** The prefix as PostgreSQL cidr text, eight groups of four hex digits. */
    static String cidr(BigInteger network, int length) {
        String hex = network.toString(16);
        StringBuilder text = new StringBuilder(44).append("0".repeat(32 - hex.length())).append(hex);
        for (int group = 7; group > 0; group--) {
            text.insert(group * 4, ':');
        }
        return text.append('/').append(length).toString();
    }

    /** {@code address} with the bits below {@code length} cleared. */
    private static BigInteger masked(BigInteger address, int length) {
        return address.and(ALL_ONES.shiftLeft(128 - length).and(ALL_ONES));
    }

    /** A PostgreSQL array literal of values that need no quoting (prefixes, numbers). */
    private static String array(Stream<String> values) {
        return values.collect(Collectors.joining(",", "{", "}"));
    }
}

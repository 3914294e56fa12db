package dev.ipv6lifecycle.command.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Enclosing blocks and buddies computed a second, simpler way, to check the production's against: the
 * address as a 128-bit BigInteger from the JDK's own parser, masked or with one bit flipped.
 */
final class PrefixArithmetic {

    private static final BigInteger ALL_ONES = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private PrefixArithmetic() {
    }

    /** The block of the given length that holds the prefix: its address with the bits after {@code length} cleared. */
    static Ipv6Prefix enclosing(Ipv6Prefix prefix, int length) {
        BigInteger hostBits = BigInteger.ONE.shiftLeft(128 - length).subtract(BigInteger.ONE);
        return prefix(address(prefix).and(ALL_ONES.xor(hostBits)), length);
    }

    /** The other half of the block's parent: its address with the bit at position {@code length} flipped. */
    static Ipv6Prefix buddy(Ipv6Prefix block) {
        return prefix(address(block).flipBit(128 - block.length()), block.length());
    }

    private static BigInteger address(Ipv6Prefix prefix) {
        String text = prefix.canonical();
        try {
            return new BigInteger(1, InetAddress.getByName(text.substring(0, text.indexOf('/'))).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Ipv6Prefix prefix(BigInteger address, int length) {
        byte[] signed = address.toByteArray();
        byte[] bytes = new byte[16];
        // toByteArray may add a sign byte in front or give fewer than 16 bytes: keep the low 16, right-aligned.
        int copied = Math.min(16, signed.length);
        System.arraycopy(signed, signed.length - copied, bytes, 16 - copied, copied);
        try {
            return Ipv6Prefix.parse(InetAddress.getByAddress(bytes).getHostAddress() + "/" + length);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(Arrays.toString(bytes), e);
        }
    }
}

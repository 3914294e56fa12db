package dev.ipv6lifecycle.command.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The buddy arithmetic's fast prefix texts name exactly the prefixes that a second computation gives (BigInteger
 * masking in {@link PrefixArithmetic}), and a worked example pins a few of them by hand.
 */
class BuddyBlocksTests {

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8:12:3400::/56", "2001:db8::/32", "2a01:ffff:ffff:ffff::/64", "2001:db8:8000::/48",
            "8000::/1", "::/0", "3fff:ffff:ffff:fffe::/63", "2001:db8:0:1:8000::/65",
            "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"})
    void enclosingBlocksAreEveryParentFromTheWholeSpaceDown(String text) {
        Ipv6Prefix prefix = Ipv6Prefix.parse(text);

        assertThat(parsed(BuddyBlocks.enclosing(prefix))).containsExactlyElementsOf(
                IntStream.rangeClosed(0, prefix.length()).mapToObj(length -> PrefixArithmetic.enclosing(prefix, length))
                        .toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8:12:3400::/56", "2001:db8::/32", "2a01:ffff:ffff:ffff::/64", "2001:db8:8000::/48",
            "8000::/1", "3fff:ffff:ffff:fffe::/63", "2001:db8:0:1:8000::/65",
            "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"})
    void buddiesAreTheOtherHalfOfEachEnclosingBlocksParent(String text) {
        Ipv6Prefix prefix = Ipv6Prefix.parse(text);

        assertThat(parsed(BuddyBlocks.buddies(prefix))).containsExactlyElementsOf(IntStream
                .rangeClosed(1, prefix.length())
                .mapToObj(length -> PrefixArithmetic.buddy(PrefixArithmetic.enclosing(prefix, length))).toList());
    }

    @Test
    void namesTheBuddiesOfA56ByHand() {
        // 2001:db8:12:3400::/56: its fourth group 0x3400 is 0011 0100 0000 0000 (bits 49 to 64 of the address).
        List<Ipv6Prefix> buddies = parsed(BuddyBlocks.buddies(Ipv6Prefix.parse("2001:db8:12:3400::/56")));

        assertThat(buddies).hasSize(56);
        // /56: bit 56 (the last of 0x34) flipped, 0x34 -> 0x35.
        assertThat(buddies.get(55)).isEqualTo(Ipv6Prefix.parse("2001:db8:12:3500::/56"));
        // /55: the /55 holding it is 0x34 (bit 56 cleared); bit 55 flipped, 0x34 -> 0x36.
        assertThat(buddies.get(54)).isEqualTo(Ipv6Prefix.parse("2001:db8:12:3600::/55"));
        // /54: 0x34 with bits 55 and 56 cleared is still 0x34; bit 54 set in it, flipped: 0x34 -> 0x30.
        assertThat(buddies.get(53)).isEqualTo(Ipv6Prefix.parse("2001:db8:12:3000::/54"));
        // /48: the block 2001:db8:12::/48 with bit 48 (the last of 0x12) flipped: 0x12 -> 0x13.
        assertThat(buddies.get(47)).isEqualTo(Ipv6Prefix.parse("2001:db8:13::/48"));
        // /1: the /1 holding it is ::/1 (0x2001 starts with a 0 bit); its buddy has that bit set: 8000::/1.
        assertThat(buddies.get(0)).isEqualTo(Ipv6Prefix.parse("8000::/1"));
    }

    @Test
    void namesTheBlocksEnclosingA56ByHand() {
        List<Ipv6Prefix> enclosing = parsed(BuddyBlocks.enclosing(Ipv6Prefix.parse("2001:db8:12:3400::/56")));

        assertThat(enclosing).hasSize(57);
        assertThat(enclosing.get(0)).isEqualTo(Ipv6Prefix.parse("::/0"));
        assertThat(enclosing.get(32)).isEqualTo(Ipv6Prefix.parse("2001:db8::/32"));
        // /52: 0x3400 keeps its first 4 bits, 0x3000.
        assertThat(enclosing.get(52)).isEqualTo(Ipv6Prefix.parse("2001:db8:12:3000::/52"));
        assertThat(enclosing.get(56)).isEqualTo(Ipv6Prefix.parse("2001:db8:12:3400::/56"));
    }

    private static List<Ipv6Prefix> parsed(String array) {
        String inner = array.substring(1, array.length() - 1);
        return inner.isEmpty() ? List.of() : Arrays.stream(inner.split(",")).map(Ipv6Prefix::parse).toList();
    }
}

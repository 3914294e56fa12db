package dev.ipv6lifecycle.command.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The buddy arithmetic's fast prefix texts name exactly the prefixes Ipv6Prefix's own arithmetic gives. */
class BuddyBlocksTests {

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8:12:3400::/56", "2001:db8::/32", "2a01:ffff:ffff:ffff::/64", "2001:db8:8000::/48",
            "8000::/1", "::/0", "3fff:ffff:ffff:fffe::/63"})
    void enclosingBlocksAreEveryParentFromTheWholeSpaceDown(String text) {
        Ipv6Prefix prefix = Ipv6Prefix.parse(text);

        assertThat(parsed(BuddyBlocks.enclosing(prefix))).containsExactlyElementsOf(
                IntStream.rangeClosed(0, prefix.length()).mapToObj(prefix::parent).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8:12:3400::/56", "2001:db8::/32", "2a01:ffff:ffff:ffff::/64", "2001:db8:8000::/48",
            "8000::/1", "3fff:ffff:ffff:fffe::/63"})
    void buddiesAreTheOtherHalfOfEachEnclosingBlocksParent(String text) {
        Ipv6Prefix prefix = Ipv6Prefix.parse(text);

        assertThat(parsed(BuddyBlocks.buddies(prefix))).containsExactlyElementsOf(
                IntStream.rangeClosed(1, prefix.length()).mapToObj(length -> BuddyBlocks.buddy(prefix.parent(length)))
                        .toList());
    }

    private static List<Ipv6Prefix> parsed(String array) {
        String inner = array.substring(1, array.length() - 1);
        return inner.isEmpty() ? List.of() : Arrays.stream(inner.split(",")).map(Ipv6Prefix::parse).toList();
    }
}

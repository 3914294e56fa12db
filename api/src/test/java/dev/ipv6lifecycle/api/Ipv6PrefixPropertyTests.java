package dev.ipv6lifecycle.api;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv6.IPv6Address;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;

class Ipv6PrefixPropertyTests {

    // Global unicast 2000::/3 never touches the link-local, multicast or IPv4-mapped rules.
    private static final IPv6Address GLOBAL_UNICAST_START = new IPAddressString("2000::").getAddress().toIPv6();
    private static final BigInteger GLOBAL_UNICAST_SIZE = BigInteger.ONE.shiftLeft(125);

    @Property
    void indexWithinUndoesSubPrefix(@ForAll("subPrefixCases") SubPrefixCase example) {
        Ipv6Prefix sub = example.subPrefix();

        assertThat(sub.length()).isEqualTo(example.length());
        assertThat(sub.indexWithin(example.prefix())).isEqualTo(example.index());
    }

    @Property
    void aSubPrefixLiesInsideItsPrefix(@ForAll("subPrefixCases") SubPrefixCase example) {
        Ipv6Prefix sub = example.subPrefix();

        assertThat(example.prefix().contains(sub)).isTrue();
        assertThat(example.prefix().overlaps(sub)).isTrue();
    }

    @Property
    void theParentOfASubPrefixAtTheOriginalLengthIsTheOriginal(@ForAll("subPrefixCases") SubPrefixCase example) {
        Ipv6Prefix prefix = example.prefix();

        assertThat(example.subPrefix().parent(prefix.length())).isEqualTo(prefix);
    }

    @Property
    void canonicalTextParsesBackToTheSamePrefix(@ForAll("subPrefixCases") SubPrefixCase example) {
        Ipv6Prefix prefix = example.prefix();
        Ipv6Prefix sub = example.subPrefix();

        assertThat(Ipv6Prefix.parse(prefix.canonical())).isEqualTo(prefix).hasToString(prefix.canonical());
        assertThat(Ipv6Prefix.parse(sub.canonical())).isEqualTo(sub).hasToString(sub.canonical());
    }

    @Property
    void distinctSiblingSubPrefixesNeverOverlap(@ForAll("siblingPairs") SiblingPair pair) {
        Ipv6Prefix first = pair.prefix().subPrefix(pair.length(), pair.first());
        Ipv6Prefix second = pair.prefix().subPrefix(pair.length(), pair.second());

        assertThat(first).isNotEqualTo(second);
        assertThat(first.overlaps(second)).isFalse();
        assertThat(second.overlaps(first)).isFalse();
    }

    @Provide
    Arbitrary<SubPrefixCase> subPrefixCases() {
        return globalUnicastPrefixes().flatMap(prefix -> Arbitraries.integers().between(prefix.length(), 128)
                .flatMap(length -> indexes(prefix.count(length))
                        .map(index -> new SubPrefixCase(prefix, length, index))));
    }

    @Provide
    Arbitrary<SiblingPair> siblingPairs() {
        // Sub-prefixes strictly longer than the prefix, so there are at least two siblings.
        return globalUnicastPrefixes().flatMap(prefix -> Arbitraries.integers().between(prefix.length() + 1, 128)
                .flatMap(length -> {
                    BigInteger count = prefix.count(length);
                    // The second slot is a non-zero distance after the first, wrapping around.
                    Arbitrary<BigInteger> distances = Arbitraries.bigIntegers().between(BigInteger.ONE,
                            count.subtract(BigInteger.ONE));
                    return Combinators.combine(indexes(count), distances).as((first, distance) ->
                            new SiblingPair(prefix, length, first, first.add(distance).mod(count)));
                }));
    }

    private static Arbitrary<Ipv6Prefix> globalUnicastPrefixes() {
        Arbitrary<BigInteger> offsets = Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, GLOBAL_UNICAST_SIZE.subtract(BigInteger.ONE))
                .withDistribution(RandomDistribution.uniform());
        Arbitrary<Integer> lengths = Arbitraries.integers().between(20, 64);
        // Built with the library rather than Ipv6Prefix itself, so the code under test does not make its own inputs.
        return Combinators.combine(offsets, lengths).as((offset, length) -> Ipv6Prefix.parse(
                GLOBAL_UNICAST_START.increment(offset).toPrefixBlock(length).toCanonicalString()));
    }

    private static Arbitrary<BigInteger> indexes(BigInteger count) {
        return Arbitraries.bigIntegers().between(BigInteger.ZERO, count.subtract(BigInteger.ONE));
    }

    record SubPrefixCase(Ipv6Prefix prefix, int length, BigInteger index) {
        Ipv6Prefix subPrefix() {
            return prefix.subPrefix(length, index);
        }
    }

    record SiblingPair(Ipv6Prefix prefix, int length, BigInteger first, BigInteger second) {}
}

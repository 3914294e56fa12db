package dev.ipv6lifecycle.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv6PrefixTests {

    private static final BigInteger TWO_TO_THE_32 = BigInteger.ONE.shiftLeft(32);

    private final ObjectMapper json = new ObjectMapper();

    // --- parsing and canonical text ---

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2001:db8::/32,                               2001:db8::/32",
        "2001:DB8:0:0::/48,                           2001:db8::/48",
        "2001:0db8:0000:0000:0000:0000:0000:0000/32,  2001:db8::/32",
        "2001:DB8:0012:3400:0:0:0:0/56,               2001:db8:12:3400::/56",
        "0:0:0:0:0:0:0:0/0,                           ::/0",
        // RFC 5952 4.2.2: a single zero field is not compressed
        "2001:db8:0:1:1:1:1:1/128,                    2001:db8:0:1:1:1:1:1/128",
        // RFC 5952 4.2.3: the longest run of zeros is compressed, the first one on a tie
        "2001:db8:0:0:1:0:0:0/80,                     2001:db8:0:0:1::/80",
        "2001:db8:0:0:1:0:0:1/128,                    2001:db8::1:0:0:1/128",
    })
    void canonicalFormIsLowerCaseRfc5952WithTheLength(String text, String canonical) {
        Ipv6Prefix prefix = Ipv6Prefix.parse(text);

        assertThat(prefix.canonical()).isEqualTo(canonical);
        assertThat(prefix).hasToString(canonical);
    }

    @Test
    void lengthIsTheNumberOfNetworkBits() {
        assertThat(Ipv6Prefix.parse("2001:db8:12:3400::/56").length()).isEqualTo(56);
        assertThat(Ipv6Prefix.parse("::/0").length()).isZero();
        assertThat(Ipv6Prefix.parse("2001:db8::1/128").length()).isEqualTo(128);
    }

    @Test
    void differentSpellingsOfOnePrefixAreEqualAndHashAlike() {
        Ipv6Prefix lower = Ipv6Prefix.parse("2001:db8::/32");
        Ipv6Prefix expanded = Ipv6Prefix.parse("2001:0DB8:0000:0000:0000:0000:0000:0000/32");

        assertThat(expanded).isEqualTo(lower).hasSameHashCodeAs(lower);
        assertThat(expanded.compareTo(lower)).isZero();
    }

    @Test
    void sameAddressWithAnotherLengthIsADifferentPrefix() {
        assertThat(Ipv6Prefix.parse("2001:db8::/32")).isNotEqualTo(Ipv6Prefix.parse("2001:db8::/48"));
    }

    // --- rejections ---

    @Test
    void rejectsNullAndBlankTextAsNotAPrefix() {
        assertThatThrownBy(() -> Ipv6Prefix.parse(null))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("null is not an IPv6 prefix in the form address/length");
        assertThatThrownBy(() -> Ipv6Prefix.parse("  "))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("\"  \" is not an IPv6 prefix in the form address/length");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2001:db8::g/32", "2001:db8::/129", "2001:db8::/-1", "2001:db8::/", "hello", "/64", "2001:db8::/ffff::",
        "20010db8000000000000000000000000/32", "2001:db8::%/64",
    })
    void rejectsMalformedTextNamingTheInput(String text) {
        assertThatThrownBy(() -> Ipv6Prefix.parse(text))
                .isInstanceOf(InvalidPrefixException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(text + " is not an IPv6 prefix in the form address/length");
    }

    @Test
    void rejectsAnAddressWithoutAPrefixLength() {
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8::"))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("2001:db8:: has no prefix length; write it as address/length");
    }

    @Test
    void rejectsIpv4Prefixes() {
        assertThatThrownBy(() -> Ipv6Prefix.parse("10.0.0.0/8"))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("10.0.0.0/8 is an IPv4 prefix; an IPv6 prefix is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:10.0.0.0/104", "::ffff:a00:0/104", "::FFFF:0:0/96"})
    void rejectsIpv4MappedPrefixesWhateverTheNotation(String text) {
        assertThatThrownBy(() -> Ipv6Prefix.parse(text))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage(text + " is IPv4-mapped (inside ::ffff:0:0/96); an IPv6 prefix is required");
    }

    @Test
    void rejectsDottedQuadIpv4EmbeddedInIpv6Text() {
        assertThatThrownBy(() -> Ipv6Prefix.parse("::10.0.0.0/104"))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("::10.0.0.0/104 embeds an IPv4 address in dotted-quad form; an IPv6 prefix is required");
    }

    @Test
    void rejectsHostBitsInsteadOfMaskingThem() {
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8::1/32"))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("2001:db8::1/32 has host bits set below /32; did you mean 2001:db8::/32?");
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:DB8:0:0:0:0:0:1/64"))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("2001:DB8:0:0:0:0:0:1/64 has host bits set below /64; did you mean 2001:db8::/64?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fe80::/10", "fe80::/64", "FEBF:FFFF::/32", "fe80::1/64"})
    void rejectsLinkLocalPrefixes(String text) {
        assertThatThrownBy(() -> Ipv6Prefix.parse(text))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage(text + " is link-local (inside fe80::/10)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff00::/8", "ff02::/16", "FF05::/64"})
    void rejectsMulticastPrefixes(String text) {
        assertThatThrownBy(() -> Ipv6Prefix.parse(text))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage(text + " is multicast (inside ff00::/8)");
    }

    @Test
    void rejectsZoneIds() {
        assertThatThrownBy(() -> Ipv6Prefix.parse("fe80::1%eth0/64"))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("fe80::1%eth0/64 has a zone id (%eth0); a prefix is not scoped to an interface");
        assertThatThrownBy(() -> Ipv6Prefix.parse("2001:db8::%1/64"))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("2001:db8::%1/64 has a zone id (%1); a prefix is not scoped to an interface");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::*", "2001:db8::*/64", "2001:db8::1-2/64", "*"})
    void rejectsWildcardsAndRangesEvenWhenTheyCoverAWholePrefix(String text) {
        assertThatThrownBy(() -> Ipv6Prefix.parse(text))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage(text + " is not an IPv6 prefix in the form address/length");
    }

    // --- JSON ---

    @Test
    void serializesToAPlainJsonString() throws Exception {
        assertThat(json.writeValueAsString(Ipv6Prefix.parse("2001:DB8::/32"))).isEqualTo("\"2001:db8::/32\"");
    }

    @Test
    void deserializesFromAPlainJsonStringInAnySpelling() throws Exception {
        assertThat(json.readValue("\"2001:0DB8:0:0::/32\"", Ipv6Prefix.class))
                .isEqualTo(Ipv6Prefix.parse("2001:db8::/32"));
    }

    @Test
    void roundTripsAsAFieldOfAnotherObject() throws Exception {
        Delegation delegation = new Delegation(Ipv6Prefix.parse("2001:db8:12:3400::/56"));

        String text = json.writeValueAsString(delegation);

        assertThat(text).isEqualTo("{\"prefix\":\"2001:db8:12:3400::/56\"}");
        assertThat(json.readValue(text, Delegation.class)).isEqualTo(delegation);
    }

    @Test
    void refusesToDeserializeAnInvalidPrefixAndKeepsTheReason() {
        assertThatThrownBy(() -> json.readValue("\"2001:db8::1/32\"", Ipv6Prefix.class))
                .isInstanceOf(JsonMappingException.class)
                .hasRootCauseInstanceOf(InvalidPrefixException.class)
                .hasRootCauseMessage("2001:db8::1/32 has host bits set below /32; did you mean 2001:db8::/32?");
    }

    record Delegation(Ipv6Prefix prefix) {}

    // --- containment ---

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
        // a,                 b,                   a contains b, b contains a, overlap
        "2001:db8::/32,       2001:db8::/32,       true,         true,         true",
        "2001:db8::/32,       2001:db8:1::/48,     true,         false,        true",
        "2001:db8::/32,       2001:db8::/31,       false,        true,         true",
        "::/0,                2001:db8::/32,       true,         false,        true",
        "2001:db8::/64,       2001:db8::1/128,     true,         false,        true",
        "2001:db8::/32,       2001:db9::/32,       false,        false,        false",
        "2001:db8::/48,       2001:db8:1::/48,     false,        false,        false",
        "2001:db8::/32,       2001:db9:1::/48,     false,        false,        false",
    })
    void containsAndOverlapsFollowTheAddressSets(String a, String b, boolean aContainsB, boolean bContainsA,
            boolean overlap) {
        Ipv6Prefix first = Ipv6Prefix.parse(a);
        Ipv6Prefix second = Ipv6Prefix.parse(b);

        assertThat(first.contains(second)).isEqualTo(aContainsB);
        assertThat(second.contains(first)).isEqualTo(bContainsA);
        assertThat(first.overlaps(second)).isEqualTo(overlap);
        assertThat(second.overlaps(first)).isEqualTo(overlap);
    }

    // --- sub-prefix arithmetic ---

    @Test
    void countIsTwoToTheDifferenceInLength() {
        Ipv6Prefix slash32 = Ipv6Prefix.parse("2001:db8::/32");

        assertThat(slash32.count(32)).isEqualTo(BigInteger.ONE);
        assertThat(slash32.count(48)).isEqualTo(BigInteger.valueOf(65_536));
        assertThat(slash32.count(64)).isEqualTo(TWO_TO_THE_32);
        assertThat(slash32.count(128)).isEqualTo(BigInteger.ONE.shiftLeft(96));
        assertThat(Ipv6Prefix.parse("::/0").count(128)).isEqualTo(BigInteger.ONE.shiftLeft(128));
    }

    @Test
    void countRejectsLengthsOutsideThisPrefixTo128() {
        Ipv6Prefix slash32 = Ipv6Prefix.parse("2001:db8::/32");

        assertThatThrownBy(() -> slash32.count(31))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sub-prefix length 31 is outside 32..128 for 2001:db8::/32");
        assertThatThrownBy(() -> slash32.count(129))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sub-prefix length 129 is outside 32..128 for 2001:db8::/32");
    }

    @Test
    void subPrefixesAreNumberedFromTheNetworkAddressInAddressOrder() {
        Ipv6Prefix slash32 = Ipv6Prefix.parse("2001:db8::/32");

        assertThat(slash32.subPrefix(32, BigInteger.ZERO)).isEqualTo(slash32);
        assertThat(slash32.subPrefix(64, BigInteger.ZERO)).hasToString("2001:db8::/64");
        assertThat(slash32.subPrefix(64, BigInteger.ONE)).hasToString("2001:db8:0:1::/64");
        assertThat(slash32.subPrefix(48, BigInteger.valueOf(0x12))).hasToString("2001:db8:12::/48");
        assertThat(slash32.subPrefix(56, BigInteger.valueOf(0x1234))).hasToString("2001:db8:12:3400::/56");
    }

    @Test
    void lastSixtyFourOfAThirtyTwoIsAtIndexTwoToTheThirtyTwoMinusOne() {
        Ipv6Prefix slash32 = Ipv6Prefix.parse("2001:db8::/32");
        BigInteger last = TWO_TO_THE_32.subtract(BigInteger.ONE);

        Ipv6Prefix lastSlash64 = slash32.subPrefix(64, last);

        assertThat(lastSlash64).hasToString("2001:db8:ffff:ffff::/64");
        assertThat(lastSlash64.indexWithin(slash32)).isEqualTo(last);
    }

    @Test
    void subPrefixRejectsIndexesOutsideTheSlots() {
        Ipv6Prefix slash32 = Ipv6Prefix.parse("2001:db8::/32");

        assertThatThrownBy(() -> slash32.subPrefix(64, TWO_TO_THE_32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("index 4294967296 is outside 0..4294967295 for /64 sub-prefixes of 2001:db8::/32");
        assertThatThrownBy(() -> slash32.subPrefix(64, BigInteger.valueOf(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("index -1 is outside 0..4294967295 for /64 sub-prefixes of 2001:db8::/32");
    }

    @Test
    void subPrefixRejectsLengthsOutsideThisPrefixTo128() {
        Ipv6Prefix slash32 = Ipv6Prefix.parse("2001:db8::/32");

        assertThatThrownBy(() -> slash32.subPrefix(16, BigInteger.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sub-prefix length 16 is outside 32..128 for 2001:db8::/32");
        assertThatThrownBy(() -> slash32.subPrefix(129, BigInteger.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sub-prefix length 129 is outside 32..128 for 2001:db8::/32");
    }

    @Test
    void subPrefixNeverYieldsALinkLocalOrMulticastPrefix() {
        Ipv6Prefix everything = Ipv6Prefix.parse("::/0");

        // fe80::/10 is the 0b1111111010-th /10; ff00::/8 is the 0xff-th /8.
        assertThatThrownBy(() -> everything.subPrefix(10, BigInteger.valueOf(0b1111111010)))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("fe80::/10 is link-local (inside fe80::/10)");
        assertThatThrownBy(() -> everything.subPrefix(8, BigInteger.valueOf(0xff)))
                .isInstanceOf(InvalidPrefixException.class)
                .hasMessage("ff00::/8 is multicast (inside ff00::/8)");
    }

    @Test
    void indexWithinTellsWhichSlotOfTheParentAPrefixOccupies() {
        Ipv6Prefix slash56 = Ipv6Prefix.parse("2001:db8:12:3400::/56");

        assertThat(slash56.indexWithin(Ipv6Prefix.parse("2001:db8::/32"))).isEqualTo(BigInteger.valueOf(0x1234));
        assertThat(slash56.indexWithin(Ipv6Prefix.parse("2001:db8:12::/48"))).isEqualTo(BigInteger.valueOf(0x34));
        assertThat(slash56.indexWithin(slash56)).isEqualTo(BigInteger.ZERO);
    }

    @Test
    void indexWithinRejectsAPrefixThatDoesNotContainThisOne() {
        Ipv6Prefix slash48 = Ipv6Prefix.parse("2001:db8:1::/48");

        assertThatThrownBy(() -> slash48.indexWithin(Ipv6Prefix.parse("2001:db9::/32")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2001:db8:1::/48 is not inside 2001:db9::/32");
        assertThatThrownBy(() -> slash48.indexWithin(Ipv6Prefix.parse("2001:db8:1::/64")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2001:db8:1::/48 is not inside 2001:db8:1::/64");
    }

    @Test
    void parentClearsTheBitsAfterTheShorterLength() {
        Ipv6Prefix slash56 = Ipv6Prefix.parse("2001:db8:12:3400::/56");

        assertThat(slash56.parent(56)).isEqualTo(slash56);
        assertThat(slash56.parent(48)).hasToString("2001:db8:12::/48");
        assertThat(slash56.parent(32)).hasToString("2001:db8::/32");
        assertThat(slash56.parent(0)).hasToString("::/0");
    }

    @Test
    void parentRejectsLengthsOutsideZeroToThisPrefix() {
        Ipv6Prefix slash56 = Ipv6Prefix.parse("2001:db8:12:3400::/56");

        assertThatThrownBy(() -> slash56.parent(57))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parent length 57 is outside 0..56 for 2001:db8:12:3400::/56");
        assertThatThrownBy(() -> slash56.parent(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parent length -1 is outside 0..56 for 2001:db8:12:3400::/56");
    }

    // --- ordering ---

    @Test
    void sortsByNumericNetworkAddressThenByLength() {
        List<Ipv6Prefix> prefixes = List.of("2001:db8:10::/48", "2001:db8:a::/48", "3000::/4", "2001:db8::/48",
                "2001:db8::/32", "::/0", "2001::/16").stream().map(Ipv6Prefix::parse).sorted().toList();

        // Numeric, not textual: 2001:db8:a:: (0xa) comes before 2001:db8:10:: (0x10).
        assertThat(prefixes).extracting(Ipv6Prefix::canonical).containsExactly(
                "::/0", "2001::/16", "2001:db8::/32", "2001:db8::/48", "2001:db8:a::/48", "2001:db8:10::/48",
                "3000::/4");
    }
}

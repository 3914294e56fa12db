package dev.ipv6lifecycle.sagas.radius;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.aaa4j.radius.core.attribute.Attribute;
import org.aaa4j.radius.core.attribute.Ipv4AddrData;
import org.aaa4j.radius.core.attribute.TextData;
import org.aaa4j.radius.core.attribute.attributes.AcctSessionId;
import org.aaa4j.radius.core.attribute.attributes.DelegatedIpv6Prefix;
import org.aaa4j.radius.core.attribute.attributes.MessageAuthenticator;
import org.aaa4j.radius.core.attribute.attributes.NasIpAddress;
import org.aaa4j.radius.core.attribute.attributes.UserName;
import org.junit.jupiter.api.Test;

class DaePacketsTests {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SECRET = "testing123".getBytes(StandardCharsets.US_ASCII);

    /**
     * Disconnect-Request, identifier 0, secret testing123: User-Name "alice", NAS-IP-Address 127.0.0.1,
     * Acct-Session-Id "s1", Message-Authenticator. Computed independently with Python's hmac and hashlib:
     * Message-Authenticator = HMAC-MD5(secret, packet with a zero authenticator and a zero Message-Authenticator)
     * = fb5abe5f181d89dcae47b504d998b79c, then Request Authenticator = MD5(packet with the zero authenticator and
     * that Message-Authenticator, then the secret) = 947343d502e76ace07e12ff6cbbb09fb.
     */
    static final String DISCONNECT_ALICE = "28000037947343d502e76ace07e12ff6cbbb09fb"
            + "0107616c696365" + "04067f000001" + "2c047331" + "5012fb5abe5f181d89dcae47b504d998b79c";

    /** The same for a CoA-Request that adds Delegated-IPv6-Prefix 2001:db8:12:3400::/56 (7b0b0038 20010db8001234). */
    static final String COA_ALICE_SLASH_56 = "2b0000424ce0ca6f9f54138341f6fc73402d1c4a"
            + "0107616c696365" + "04067f000001" + "2c047331" + "7b0b003820010db80012345012"
            + "237153b66d89abae50344fcfaabe50ce";

    private static byte[] delegatedPrefixAttribute(String prefix) {
        List<Attribute<?>> attributes =
                List.of(new DelegatedIpv6Prefix(RadiusDaeClient.delegatedPrefix(Ipv6Prefix.parse(prefix))));
        byte[] packet = DaePackets.encodeRequest(43, 1, attributes, SECRET);
        return Arrays.copyOfRange(packet, DaePackets.HEADER_LENGTH, packet.length);
    }

    @Test
    void encodesASlash48DelegatedPrefixInSixPrefixOctets() {
        // Type 123, length 10, reserved 0, prefix length 48, then 2001:0db8:00ab.
        assertThat(HEX.formatHex(delegatedPrefixAttribute("2001:db8:ab::/48"))).isEqualTo("7b0a003020010db800ab");
    }

    @Test
    void encodesASlash56DelegatedPrefixInSevenPrefixOctets() {
        assertThat(HEX.formatHex(delegatedPrefixAttribute("2001:db8:12:3400::/56"))).isEqualTo("7b0b003820010db8001234");
    }

    @Test
    void encodesASlash60DelegatedPrefixInEightPrefixOctetsTheLastHalfUsed() {
        // 60 bits need 8 octets; the low nibble of the last one is outside the prefix and zero.
        assertThat(HEX.formatHex(delegatedPrefixAttribute("2001:db8:12:3450::/60")))
                .isEqualTo("7b0c003c20010db800123450");
    }

    @Test
    void encodesASlash64DelegatedPrefixInEightPrefixOctets() {
        assertThat(HEX.formatHex(delegatedPrefixAttribute("2001:db8:ab:cd01::/64"))).isEqualTo("7b0c004020010db800abcd01");
    }

    @Test
    void signsADisconnectRequestAsComputedIndependently() throws Exception {
        List<Attribute<?>> attributes = List.of(
                new UserName(new TextData("alice")),
                new NasIpAddress(new Ipv4AddrData((java.net.Inet4Address) java.net.InetAddress.getByName("127.0.0.1"))),
                new AcctSessionId(new TextData("s1")),
                new MessageAuthenticator());

        byte[] packet = DaePackets.encodeRequest(40, 0, attributes, SECRET);

        assertThat(HEX.formatHex(packet)).isEqualTo(DISCONNECT_ALICE);
    }

    @Test
    void acceptsAnAnswerSignedTheFreeRadiusWayOrTheRfcWay() {
        byte[] request = HEX.parseHex(DISCONNECT_ALICE);

        byte[] zeroed = Answers.answer(41, request, SECRET, Answers.Signing.ZERO_AUTHENTICATOR);
        byte[] rfc = Answers.answer(41, request, SECRET, Answers.Signing.REQUEST_AUTHENTICATOR);
        byte[] unsigned = Answers.answer(41, request, SECRET, Answers.Signing.NONE);

        assertThat(DaePackets.decodeResponse(zeroed, request, SECRET, 41, 42))
                .contains(new DaePackets.Answer(41, OptionalInt.empty()));
        assertThat(DaePackets.decodeResponse(rfc, request, SECRET, 41, 42)).isPresent();
        assertThat(DaePackets.decodeResponse(unsigned, request, SECRET, 41, 42)).isPresent();
    }

    @Test
    void readsTheErrorCauseOfANak() {
        byte[] request = HEX.parseHex(DISCONNECT_ALICE);

        byte[] nak = Answers.answer(42, request, SECRET, Answers.Signing.ZERO_AUTHENTICATOR, Answers.errorCause(503));

        assertThat(DaePackets.decodeResponse(nak, request, SECRET, 41, 42))
                .contains(new DaePackets.Answer(42, OptionalInt.of(503)));
    }

    @Test
    void refusesAnswersThatDoNotVerify() {
        byte[] request = HEX.parseHex(DISCONNECT_ALICE);
        byte[] good = Answers.answer(41, request, SECRET, Answers.Signing.ZERO_AUTHENTICATOR);

        byte[] otherSecret = Answers.answer(41, request, "other".getBytes(StandardCharsets.US_ASCII),
                Answers.Signing.ZERO_AUTHENTICATOR);
        byte[] badResponseAuthenticator = good.clone();
        badResponseAuthenticator[7] ^= 1;
        byte[] badMessageAuthenticator = Answers.withResponseAuthenticator(flipLastOctet(good), request, SECRET);
        byte[] otherIdentifier = Answers.withResponseAuthenticator(withIdentifier(good, 9), request, SECRET);
        byte[] truncated = Arrays.copyOf(good, good.length - 1);

        assertThat(DaePackets.decodeResponse(good, request, SECRET, 41, 42)).isPresent();
        assertThat(DaePackets.decodeResponse(otherSecret, request, SECRET, 41, 42)).isEmpty();
        assertThat(DaePackets.decodeResponse(badResponseAuthenticator, request, SECRET, 41, 42)).isEmpty();
        assertThat(DaePackets.decodeResponse(badMessageAuthenticator, request, SECRET, 41, 42)).isEmpty();
        assertThat(DaePackets.decodeResponse(otherIdentifier, request, SECRET, 41, 42)).isEmpty();
        assertThat(DaePackets.decodeResponse(truncated, request, SECRET, 41, 42)).isEmpty();
        // A CoA-ACK is no answer to a Disconnect-Request.
        assertThat(DaePackets.decodeResponse(Answers.answer(44, request, SECRET, Answers.Signing.ZERO_AUTHENTICATOR),
                request, SECRET, 41, 42)).isEmpty();
    }

    // The Message-Authenticator is the last attribute of the answers Answers builds.
    private static byte[] flipLastOctet(byte[] packet) {
        byte[] copy = packet.clone();
        copy[copy.length - 1] ^= 1;
        return copy;
    }

    private static byte[] withIdentifier(byte[] packet, int identifier) {
        byte[] copy = packet.clone();
        copy[1] = (byte) identifier;
        return copy;
    }
}

package dev.ipv6lifecycle.sagas.radius;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.aaa4j.radius.core.attribute.Attribute;
import org.aaa4j.radius.core.dictionary.Dictionary;
import org.aaa4j.radius.core.dictionary.dictionaries.StandardDictionary;
import org.aaa4j.radius.core.packet.Packet;
import org.aaa4j.radius.core.packet.PacketCodec;
import org.aaa4j.radius.core.packet.PacketCodecException;
import org.aaa4j.radius.core.util.SecureRandomProvider;

/**
 * Framing of RFC 5176 Dynamic Authorization packets on top of aaa4j's codec.
 *
 * <p>aaa4j (0.4.0) encodes the attributes and computes a Message-Authenticator over the header as it is
 * given. Its UDP client and codec, however, compute the MD5 Request Authenticator only for Accounting-Request (code 4) and put a random
 * one into every other request, which a NAS rejects for CoA-Request (43) and Disconnect-Request (40). So the
 * request is encoded here with an all-zero Request Authenticator (which makes aaa4j's Message-Authenticator
 * exactly the RFC 5176 §3.3 one), and the Request Authenticator of RFC 5176 §2.3 is written in afterwards:
 * MD5(Code | Identifier | Length | 16 zero octets | Attributes | Secret), as for Accounting-Request (RFC 2866).
 */
final class DaePackets {

    static final int HEADER_LENGTH = 20;
    static final int AUTHENTICATOR_OFFSET = 4;
    static final int AUTHENTICATOR_LENGTH = 16;
    static final int MESSAGE_AUTHENTICATOR = 80;
    static final int ERROR_CAUSE = 101;

    private static final Dictionary DICTIONARY = new StandardDictionary();
    private static final SecureRandomProvider RANDOM = new SecureRandomProvider();

    private DaePackets() {
    }

    /**
     * A signed request ready to be sent (and re-sent unchanged).
     *
     * @param code       40 (Disconnect-Request) or 43 (CoA-Request)
     * @param identifier 0..255, distinct among the requests in flight
     * @param attributes the attributes in order; include a {@code MessageAuthenticator} to have it signed
     * @param secret     the shared secret
     * @return the datagram
     */
    static byte[] encodeRequest(int code, int identifier, List<Attribute<?>> attributes, byte[] secret) {
        PacketCodec codec = new PacketCodec(DICTIONARY, RANDOM, () -> identifier);
        byte[] datagram;
        try {
            datagram = codec.encodeRequest(new Packet(code, attributes), secret, new byte[AUTHENTICATOR_LENGTH]);
        } catch (PacketCodecException e) {
            throw new IllegalArgumentException("cannot encode RADIUS code " + code + ": " + e.getMessage(), e);
        }
        // aaa4j hashed Message-Authenticator with the authenticator still zero, as RFC 5176 §3.3 asks.
        MessageDigest md5 = md5();
        md5.update(datagram);
        md5.update(secret);
        System.arraycopy(md5.digest(), 0, datagram, AUTHENTICATOR_OFFSET, AUTHENTICATOR_LENGTH);
        return datagram;
    }

    /**
     * A verified answer: its code and, if it carries one, its Error-Cause (RFC 5176 §3.6).
     */
    record Answer(int code, OptionalInt errorCause) {
    }

    /**
     * The answer to {@code request}, if {@code response} is one: the identifier matches, the code is one of
     * {@code acceptedCodes}, the attributes are well-formed, the Response Authenticator verifies
     * (MD5(Code | Identifier | Length | Request Authenticator of the request | Attributes | Secret), RFC 5176
     * §2.3) and so does a Message-Authenticator if there is one. Anything else is not an answer, whoever sent it,
     * and must not end the wait.
     *
     * <p>The answer's Message-Authenticator is HMAC-MD5 over the answer with its Message-Authenticator zeroed
     * and, in the authenticator field, the request's authenticator by the letter of RFC 5176 §3.3, but sixteen
     * zero octets in FreeRADIUS 3 (its rad_sign treats CoA/Disconnect ACK and NAK like Accounting-Response).
     * Either is accepted: both need the shared secret, which is what the check is for. aaa4j's decoder knows only
     * the first, which is why the answer is verified and read here.
     */
    static Optional<Answer> decodeResponse(byte[] response, byte[] request, byte[] secret, int... acceptedCodes) {
        if (response.length < HEADER_LENGTH || response[1] != request[1]) {
            return Optional.empty();
        }
        int code = response[0] & 0xff;
        if (Arrays.stream(acceptedCodes).noneMatch(accepted -> accepted == code)) {
            return Optional.empty();
        }
        // RFC 2865 §3: octets beyond Length are padding; a datagram shorter than Length is discarded.
        int length = ((response[2] & 0xff) << 8) | (response[3] & 0xff);
        if (length < HEADER_LENGTH || length > response.length) {
            return Optional.empty();
        }
        byte[] answer = Arrays.copyOf(response, length);
        byte[] requestAuthenticator = authenticator(request);

        byte[] expected = withAuthenticator(answer, requestAuthenticator);
        MessageDigest md5 = md5();
        md5.update(expected);
        md5.update(secret);
        if (!MessageDigest.isEqual(md5.digest(), authenticator(answer))) {
            return Optional.empty();
        }

        OptionalInt errorCause = OptionalInt.empty();
        int messageAuthenticator = -1;
        for (int offset = HEADER_LENGTH; offset < length; ) {
            int type = answer[offset] & 0xff;
            int attributeLength = offset + 1 < length ? answer[offset + 1] & 0xff : 0;
            if (attributeLength < 2 || offset + attributeLength > length) {
                return Optional.empty();
            }
            if (type == ERROR_CAUSE && attributeLength == 6 && errorCause.isEmpty()) {
                errorCause = OptionalInt.of(ByteBuffer.wrap(answer, offset + 2, 4).getInt());
            }
            if (type == MESSAGE_AUTHENTICATOR) {
                if (attributeLength != 2 + AUTHENTICATOR_LENGTH || messageAuthenticator >= 0) {
                    return Optional.empty();
                }
                messageAuthenticator = offset + 2;
            }
            offset += attributeLength;
        }
        if (messageAuthenticator >= 0
                && !messageAuthenticatorMatches(answer, messageAuthenticator, requestAuthenticator, secret)
                && !messageAuthenticatorMatches(answer, messageAuthenticator, new byte[AUTHENTICATOR_LENGTH], secret)) {
            return Optional.empty();
        }
        return Optional.of(new Answer(code, errorCause));
    }

    /** HMAC-MD5 keyed with the secret over the packet, its authenticator field set, its Message-Authenticator zero. */
    static byte[] messageAuthenticator(byte[] packet, int valueOffset, byte[] authenticatorField, byte[] secret) {
        byte[] signed = withAuthenticator(packet, authenticatorField);
        Arrays.fill(signed, valueOffset, valueOffset + AUTHENTICATOR_LENGTH, (byte) 0);
        try {
            Mac hmac = Mac.getInstance("HmacMD5");
            hmac.init(new SecretKeySpec(secret, "HmacMD5"));
            return hmac.doFinal(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacMD5", e);
        }
    }

    private static boolean messageAuthenticatorMatches(byte[] packet, int valueOffset, byte[] authenticatorField,
            byte[] secret) {
        return MessageDigest.isEqual(messageAuthenticator(packet, valueOffset, authenticatorField, secret),
                Arrays.copyOfRange(packet, valueOffset, valueOffset + AUTHENTICATOR_LENGTH));
    }

    private static byte[] authenticator(byte[] packet) {
        return Arrays.copyOfRange(packet, AUTHENTICATOR_OFFSET, AUTHENTICATOR_OFFSET + AUTHENTICATOR_LENGTH);
    }

    private static byte[] withAuthenticator(byte[] packet, byte[] authenticator) {
        byte[] copy = packet.clone();
        System.arraycopy(authenticator, 0, copy, AUTHENTICATOR_OFFSET, AUTHENTICATOR_LENGTH);
        return copy;
    }

    /** The identifier of an encoded packet. */
    static int identifier(byte[] datagram) {
        return datagram[1] & 0xff;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }
}

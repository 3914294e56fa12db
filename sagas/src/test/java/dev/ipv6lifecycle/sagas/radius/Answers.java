package dev.ipv6lifecycle.sagas.radius;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Answers a NAS would send, built byte by byte with the JDK's MD5 and HMAC-MD5 only, so that tests do not check
 * the client's verification with the client's own code.
 */
final class Answers {

    /** How the answer's Message-Authenticator is computed, if it has one. */
    enum Signing {
        /** None at all (RFC 5176 makes it optional in answers). */
        NONE,
        /** Over the answer with a zero authenticator field, as FreeRADIUS 3 does. */
        ZERO_AUTHENTICATOR,
        /** Over the answer with the request's authenticator, by the letter of RFC 5176 §3.3. */
        REQUEST_AUTHENTICATOR
    }

    private Answers() {
    }

    /** Error-Cause (101), a four-octet integer. */
    static byte[] errorCause(int value) {
        return new byte[] {101, 6, (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** An answer to {@code request} with the given code and attributes, Message-Authenticator last if signed. */
    static byte[] answer(int code, byte[] request, byte[] secret, Signing signing, byte[]... attributes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] attribute : attributes) {
            body.writeBytes(attribute);
        }
        int messageAuthenticatorAt = -1;
        if (signing != Signing.NONE) {
            messageAuthenticatorAt = 20 + body.size() + 2;
            body.writeBytes(new byte[] {80, 18});
            body.writeBytes(new byte[16]);
        }
        int length = 20 + body.size();
        byte[] packet = new byte[length];
        packet[0] = (byte) code;
        packet[1] = request[1];
        packet[2] = (byte) (length >>> 8);
        packet[3] = (byte) length;
        System.arraycopy(body.toByteArray(), 0, packet, 20, body.size());
        if (signing != Signing.NONE) {
            if (signing == Signing.REQUEST_AUTHENTICATOR) {
                System.arraycopy(request, 4, packet, 4, 16);
            }
            System.arraycopy(hmacMd5(secret, packet), 0, packet, messageAuthenticatorAt, 16);
        }
        return withResponseAuthenticator(packet, request, secret);
    }

    /** Sets the Response Authenticator: MD5(Code | Identifier | Length | request's authenticator | Attributes | secret). */
    static byte[] withResponseAuthenticator(byte[] answer, byte[] request, byte[] secret) {
        byte[] packet = answer.clone();
        System.arraycopy(request, 4, packet, 4, 16);
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(packet);
            md5.update(secret);
            System.arraycopy(md5.digest(), 0, packet, 4, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return packet;
    }

    private static byte[] hmacMd5(byte[] secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(secret, "HmacMD5"));
            return Arrays.copyOf(mac.doFinal(data), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

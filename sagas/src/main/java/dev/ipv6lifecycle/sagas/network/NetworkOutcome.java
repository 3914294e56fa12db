package dev.ipv6lifecycle.sagas.network;

/**
 * What one call to the network or the IPAM came to. The sagas decide from {@link #result()} alone whether to
 * go on, retry later or give up, so adapters map every answer of their peer onto these four.
 *
 * @param result what happened
 * @param detail a short human-readable account for the delegation's history (a NAK's Error-Cause, an HTTP
 *               status and NetBox's error text, "timed out after 3 attempts"); never a secret
 */
public record NetworkOutcome(Result result, String detail) {

    public enum Result {
        /** The peer did what was asked (CoA-ACK, Disconnect-ACK, NetBox 2xx, or already in the wanted state). */
        SUCCEEDED,
        /** Nothing was sent: the peer is not configured, or the delegation has no session details. */
        SKIPPED,
        /** The peer answered no, and asking again will not change that (CoA-NAK, NetBox 4xx). */
        REJECTED,
        /** No usable answer (timeout, connection refused, NetBox 5xx): worth retrying later. */
        UNREACHABLE
    }

    public static NetworkOutcome succeeded(String detail) {
        return new NetworkOutcome(Result.SUCCEEDED, detail);
    }

    public static NetworkOutcome skipped(String detail) {
        return new NetworkOutcome(Result.SKIPPED, detail);
    }

    public static NetworkOutcome rejected(String detail) {
        return new NetworkOutcome(Result.REJECTED, detail);
    }

    public static NetworkOutcome unreachable(String detail) {
        return new NetworkOutcome(Result.UNREACHABLE, detail);
    }

    public boolean isDone() {
        return result == Result.SUCCEEDED || result == Result.SKIPPED;
    }
}

package dev.ipv6lifecycle.api.delegation;

/** What a {@link NetworkStep} came to. The names are part of the event contract: never rename one. */
public enum NetworkResult {
    /** The peer did what was asked. */
    SUCCEEDED,
    /** Nothing was sent: the peer is not configured, or the delegation has no session details. */
    SKIPPED,
    /** The peer refused, and asking again would not change that. */
    REJECTED,
    /** No usable answer; the saga tries again later. */
    UNREACHABLE
}

package dev.ipv6lifecycle.api.audit;

/**
 * Who caused a change: every command carries it in its metadata under {@link #METADATA_KEY}, and Axon copies
 * it onto the events the command causes, where the history and the audit export read it.
 */
public final class Actor {

    public static final String METADATA_KEY = "actor";

    private Actor() {
    }
}

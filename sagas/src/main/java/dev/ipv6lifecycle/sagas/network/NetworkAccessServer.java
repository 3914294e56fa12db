package dev.ipv6lifecycle.sagas.network;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.NasSession;

/**
 * The subscriber's NAS, reached by RADIUS Dynamic Authorization (RFC 5176). Calls block until the NAS
 * answered or the configured retransmissions ran out; they never throw for a network problem, they say so
 * in the outcome.
 */
public interface NetworkAccessServer {

    /** Whether a shared secret is configured; without one every call is {@link NetworkOutcome.Result#SKIPPED}. */
    boolean enabled();

    /** CoA-Request giving the session its delegated prefix (Delegated-IPv6-Prefix, RFC 4818). */
    NetworkOutcome pushPrefix(NasSession session, Ipv6Prefix prefix);

    /** CoA-Request restricting a suspended session (session identification plus the configured Filter-Id). */
    NetworkOutcome restrict(NasSession session);

    /** Disconnect-Request ending the session; it carries only session identification attributes. */
    NetworkOutcome disconnect(NasSession session);
}

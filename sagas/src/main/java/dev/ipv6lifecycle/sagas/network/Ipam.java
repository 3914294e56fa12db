package dev.ipv6lifecycle.sagas.network;

import dev.ipv6lifecycle.api.Ipv6Prefix;

import java.util.List;
import java.util.UUID;

/**
 * The IP address management system that mirrors what this service hands out (NetBox). Every call is
 * idempotent: recording a prefix that is already recorded for the same delegation, or releasing one that is
 * not there, succeeds. Calls never throw for a network problem; they say so in the outcome.
 */
public interface Ipam {

    /** Whether an IPAM is configured; without one every call is {@link NetworkOutcome.Result#SKIPPED}. */
    boolean enabled();

    /** Records {@code prefix} as held (status active) by the subscriber under the delegation. */
    NetworkOutcome record(String tenantId, Ipv6Prefix prefix, String subscriberId, UUID delegationId);

    /** Removes the record of {@code prefix} that this service made for the delegation, if any. */
    NetworkOutcome release(String tenantId, Ipv6Prefix prefix, UUID delegationId);

    /**
     * One page of the records this service made (recognisable by their description), for the sweep's
     * reconciliation. An empty list means there are no more.
     *
     * @throws IpamUnavailableException when the IPAM does not answer usably
     */
    List<IpamRecord> recorded(int offset, int limit);

    /** A prefix this service recorded in the IPAM, and the delegation it names. */
    record IpamRecord(String tenantId, Ipv6Prefix prefix, UUID delegationId) {
    }

    /** The IPAM did not answer a listing usably; the sweep counts it as an error and tries next time. */
    class IpamUnavailableException extends RuntimeException {
        public IpamUnavailableException(String message) {
            super(message);
        }
    }
}

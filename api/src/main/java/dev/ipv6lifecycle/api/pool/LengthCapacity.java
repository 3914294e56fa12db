package dev.ipv6lifecycle.api.pool;

import java.math.BigInteger;

/**
 * A pool's capacity for one delegated length.
 *
 * @param total       how many prefixes of that length the pool's space holds
 * @param allocated   live delegations of that length (ALLOCATED, ACTIVE, SUSPENDED, REVOKING)
 * @param quarantined prefixes of that length in quarantine
 * @param free        how many more prefixes of that length can still be given: exact, counting the space
 *                    that prefixes of every length hold
 * @param forecast    the net allocation rate and when the pool runs out of this length
 */
public record LengthCapacity(BigInteger total, long allocated, long quarantined, BigInteger free,
                             LengthForecast forecast) {

    /** Without a history to forecast from. */
    public LengthCapacity(BigInteger total, long allocated, long quarantined, BigInteger free) {
        this(total, allocated, quarantined, free, LengthForecast.NONE);
    }
}

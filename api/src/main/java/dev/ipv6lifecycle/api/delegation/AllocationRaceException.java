package dev.ipv6lifecycle.api.delegation;

/**
 * A chosen prefix was taken by a concurrent transaction between choice and commit; PostgreSQL's exclusion
 * constraint refused it and nothing was stored. Retrying the same command picks another candidate, and
 * the command gateway does so by itself: the gateway's retry decision stops at this exception, whatever lies
 * beneath it.
 */
public class AllocationRaceException extends RuntimeException {

    public AllocationRaceException(String message) {
        super(message);
    }
}

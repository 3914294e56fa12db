package dev.ipv6lifecycle.api.delegation;

/**
 * A chosen prefix was taken by a concurrent transaction between choice and commit; PostgreSQL's exclusion
 * constraint refused it and nothing was stored. Retrying the same command picks another candidate, and
 * the command gateway does so by itself. It carries no cause on purpose: Axon's retry judges every
 * exception in a cause chain, and the database error underneath would read as a permanent failure.
 */
public class AllocationRaceException extends RuntimeException {

    public AllocationRaceException(String message) {
        super(message);
    }
}

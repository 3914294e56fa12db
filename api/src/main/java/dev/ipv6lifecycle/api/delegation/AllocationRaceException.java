package dev.ipv6lifecycle.api.delegation;

/**
 * A chosen prefix was taken by a concurrent transaction between choice and commit; PostgreSQL's exclusion
 * constraint refused it and nothing was stored. Retrying the same command picks another candidate, and
 * the command gateway does so by itself.
 */
public class AllocationRaceException extends RuntimeException {

    public AllocationRaceException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.ipv6lifecycle.server.axon;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.delegation.AllocationRaceException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * The failures of a command that the gateway sends again: those that a second attempt can cure, because
 * nothing of the first was stored and what failed it was another transaction or the connection, never the
 * command itself. Everything else fails the same way every time (a rule the command broke, data PostgreSQL
 * refuses, a bug), so a retry would only delay the answer and load the database.
 *
 * <p>Retried: a lost allocation race ({@link AllocationRaceException}: the allocator's name for the exclusion
 * constraint's refusal); Axon's {@link ConcurrencyException} (an append that lost to a concurrent writer of
 * the same aggregate; the duplicate key underneath does not count); PostgreSQL's serialization failure
 * (40001) and deadlock (40P01); a lost connection (SQLSTATE class 08); and, where no SQLSTATE is known,
 * Spring's and JDBC's transient and recoverable exceptions. Never retried: a {@link DomainRejection}, any
 * other SQLSTATE (data errors 22xxx, integrity violations 23xxx, ...), anything else.
 *
 * <p>The cause chain is read from the outside in, and the first exception that says something decides: a
 * {@code ConcurrencyException} caused by a duplicate key (23505) is a race, a Spring exception caused by a
 * PostgreSQL error is what its SQLSTATE says.
 */
public final class RetryableCommandFailures {

    private RetryableCommandFailures() {
    }

    public static boolean isRetryable(Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (Throwable cause : chain) {
            if (cause instanceof DomainRejection) {
                return false;
            }
            if (cause instanceof AllocationRaceException || cause instanceof ConcurrencyException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return isRetryable(sql.getSQLState());
            }
        }
        return chain.stream().anyMatch(cause -> cause instanceof TransientDataAccessException
                || cause instanceof RecoverableDataAccessException
                || cause instanceof SQLTransientConnectionException || cause instanceof SQLRecoverableException);
    }

    private static boolean isRetryable(String sqlState) {
        return sqlState.equals("40001") || sqlState.equals("40P01") || sqlState.startsWith("08");
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }
}

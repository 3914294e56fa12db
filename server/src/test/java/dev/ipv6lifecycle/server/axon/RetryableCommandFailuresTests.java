package dev.ipv6lifecycle.server.axon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.delegation.AllocationRaceException;
import dev.ipv6lifecycle.api.delegation.LifecycleCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.LifecycleTransitionRejectedException;
import dev.ipv6lifecycle.api.quota.TenantQuotaExceededException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** What the command gateway retries, on real exceptions as the driver, Spring and Axon throw them. */
class RetryableCommandFailuresTests {

    @Test
    void retriesALostAllocationRace() {
        assertThat(RetryableCommandFailures.isRetryable(
                new AllocationRaceException("2001:db8:12:3400::/56 overlaps a prefix reserved concurrently"))).isTrue();
    }

    @Test
    void retriesAnAppendThatLostToAConcurrentWriterDespiteTheDuplicateKeyUnderneath() {
        ConcurrencyException lost = new ConcurrencyException("An event for aggregate [d] at sequence [3] was already "
                + "inserted", postgres("23505", "duplicate key value violates unique constraint"));

        assertThat(RetryableCommandFailures.isRetryable(lost)).isTrue();
    }

    @Test
    void retriesASerializationFailureAtCommit() {
        assertThat(RetryableCommandFailures.isRetryable(new TransactionSystemException("Could not commit",
                new PSQLException("could not serialize access", PSQLState.SERIALIZATION_FAILURE)))).isTrue();
    }

    @Test
    void retriesADeadlock() {
        assertThat(RetryableCommandFailures.isRetryable(new PessimisticLockingFailureException("deadlock",
                new PSQLException("deadlock detected", PSQLState.DEADLOCK_DETECTED)))).isTrue();
    }

    @Test
    void retriesALostConnectionWhateverSpringCallsIt() {
        // Spring translates class 08 to a DataAccessResourceFailureException, which it counts as non-transient.
        assertThat(RetryableCommandFailures.isRetryable(new CannotCreateTransactionException("no connection",
                new PSQLException("An I/O error occurred", PSQLState.CONNECTION_FAILURE)))).isTrue();
        assertThat(RetryableCommandFailures.isRetryable(new TransientDataAccessResourceException("pool exhausted",
                new SQLTransientConnectionException("Connection is not available, request timed out")))).isTrue();
    }

    @Test
    void findsTheRetryableCauseBeneathWrappers() {
        Throwable wrapped = new CompletionException(new EventStoreException("An event could not be persisted",
                new PSQLException("could not serialize access", PSQLState.SERIALIZATION_FAILURE)));

        assertThat(RetryableCommandFailures.isRetryable(wrapped)).isTrue();
    }

    @Test
    void neverRetriesADataError() {
        for (String state : List.of("22021", "22P05", "22001", "22012", "22000")) {
            assertThat(RetryableCommandFailures.isRetryable(new DataIntegrityViolationException("bad data",
                    postgres(state, "a data error")))).as(state).isFalse();
        }
    }

    @Test
    void neverRetriesAnIntegrityViolationThatTheAllocatorDidNotCallARace() {
        for (String state : List.of("23505", "23P01", "23503", "23502", "23514")) {
            assertThat(RetryableCommandFailures.isRetryable(new DataIntegrityViolationException("violation",
                    postgres(state, "an integrity violation")))).as(state).isFalse();
        }
    }

    @Test
    void neverRetriesASpringTransientExceptionWhoseSqlStateIsNoRace() {
        // A lock that NOWAIT could not take (55P03) or a statement timeout (57014): not what a retry fixes.
        assertThat(RetryableCommandFailures.isRetryable(new CannotAcquireLockException("lock not available",
                postgres("55P03", "could not obtain lock")))).isFalse();
        assertThat(RetryableCommandFailures.isRetryable(new QueryTimeoutException("timeout",
                postgres("57014", "canceling statement due to statement timeout")))).isFalse();
    }

    @Test
    void neverRetriesADomainRejection() {
        assertThat(RetryableCommandFailures.isRetryable(DomainRejection.conflict("pool has no free /56 left")))
                .isFalse();
        assertThat(RetryableCommandFailures.isRetryable(new CompletionException(
                new LifecycleTransitionRejectedException(UUID.randomUUID(), LifecycleCommand.SUSPEND,
                        LifecycleState.REVOKED, List.of(LifecycleCommand.REVOKE))))).isFalse();
    }

    @Test
    void neverRetriesAnAllocationOverATenantQuota() {
        assertThat(RetryableCommandFailures.isRetryable(new TenantQuotaExceededException("acme", null, 10, 10))).isFalse();
    }

    @Test
    void neverRetriesADuplicateAggregateId() {
        assertThat(RetryableCommandFailures.isRetryable(new AggregateStreamCreationException("id already exists",
                postgres("23505", "duplicate key value violates unique constraint")))).isFalse();
    }

    @Test
    void neverRetriesAnythingElse() {
        assertThat(RetryableCommandFailures.isRetryable(new IllegalStateException("a bug"))).isFalse();
        assertThat(RetryableCommandFailures.isRetryable(new NullPointerException())).isFalse();
        assertThat(RetryableCommandFailures.isRetryable(new RuntimeException("a wrapper",
                new IllegalArgumentException("of a bug")))).isFalse();
    }

    @Test
    void endsOnACauseChainThatLoops() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertThat(RetryableCommandFailures.isRetryable(first)).isFalse();
    }

    /** An error as PostgreSQL reports it, parsed by the driver from the fields of the protocol's message. */
    private static PSQLException postgres(String sqlState, String message) {
        PSQLException exception = new PSQLException(new ServerErrorMessage("SERROR\0C" + sqlState + "\0M" + message));
        assertThat(exception.getSQLState()).isEqualTo(sqlState);
        return exception;
    }
}

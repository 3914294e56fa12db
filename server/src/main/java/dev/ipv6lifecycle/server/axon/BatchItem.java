package dev.ipv6lifecycle.server.axon;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One command of a batch, inside the batch's wider transaction (a bulk request, or single allocations sent
 * together). Its unit of work joins that transaction; when it fails, Spring would mark the whole transaction
 * rollback-only, and {@link JoiningUnitsOfWork} leaves the decision to the batch instead, while an item is open.
 *
 * <p>An item runs either under a PostgreSQL savepoint of its own, so that its failure, even one that PostgreSQL
 * refused, undoes only its own work; or without one, which saves the two round trips and the subtransaction
 * (past 64 in one transaction PostgreSQL's snapshots of every session slow down). Without a savepoint, the
 * batch learns whether the item had begun to write: {@link #WRITES} marks the moment its unit of work starts to
 * commit, before the events are appended and the in-transaction handlers run. A failure before that moment left
 * nothing behind; a failure after it can only be undone with the whole transaction.
 */
public final class BatchItem {

    private static final Object OPEN = BatchItem.class;

    /** Marks the open item as writing once its command's unit of work starts to commit. */
    static final MessageHandlerInterceptor<CommandMessage<?>> WRITES = (unitOfWork, chain) -> {
        BatchItem item = (BatchItem) TransactionSynchronizationManager.getResource(OPEN);
        if (item != null) {
            unitOfWork.onPrepareCommit(committing -> item.writing = true);
        }
        return chain.proceed();
    };

    private boolean writing;

    private BatchItem() {
    }

    /** Thrown when an item without a savepoint failed after it began to write: only a rollback of all undoes it. */
    public static final class Unrecoverable extends RuntimeException {
        Unrecoverable(RuntimeException failure) {
            super("a command of the batch failed after it began to write", failure);
        }
    }

    /** Runs {@code work} under a savepoint: a failure rolls back to it, and the transaction goes on. */
    public static <T> T underSavepoint(DataSource dataSource, Supplier<T> work) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        Savepoint savepoint = jdbc(connection::setSavepoint);
        try {
            T result = open(work);
            jdbc(() -> {
                connection.releaseSavepoint(savepoint);
                return null;
            });
            return result;
        } catch (RuntimeException | Error failure) {
            jdbc(() -> {
                connection.rollback(savepoint);
                return null;
            });
            throw failure;
        }
    }

    /**
     * Runs {@code work} without a savepoint. A failure that came before the item wrote, and that PostgreSQL did not
     * raise (a refused statement aborts the whole transaction), is thrown as it is, and the transaction goes on;
     * any other failure becomes {@link Unrecoverable}.
     */
    public static <T> T withoutSavepoint(Supplier<T> work) {
        BatchItem item = new BatchItem();
        TransactionSynchronizationManager.bindResource(OPEN, item);
        try {
            return work.get();
        } catch (RuntimeException failure) {
            if (item.writing || raisedByPostgres(failure)) {
                throw new Unrecoverable(failure);
            }
            throw failure;
        } finally {
            TransactionSynchronizationManager.unbindResource(OPEN);
        }
    }

    private static <T> T open(Supplier<T> work) {
        TransactionSynchronizationManager.bindResource(OPEN, new BatchItem());
        try {
            return work.get();
        } finally {
            TransactionSynchronizationManager.unbindResource(OPEN);
        }
    }

    static boolean open() {
        return TransactionSynchronizationManager.hasResource(OPEN);
    }

    private static boolean raisedByPostgres(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException || cause instanceof DataAccessException) {
                return true;
            }
        }
        return false;
    }

    private interface Jdbc<T> {
        T call() throws SQLException;
    }

    private static <T> T jdbc(Jdbc<T> call) {
        try {
            return call.call();
        } catch (SQLException failure) {
            // The translator knows no SQLSTATE of class 25 or 3B (no transaction, no such savepoint).
            DataAccessException translated = new SQLStateSQLExceptionTranslator().translate("savepoint", null, failure);
            throw translated != null ? translated : new UncategorizedSQLException("savepoint", null, failure);
        }
    }
}

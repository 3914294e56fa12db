package dev.ipv6lifecycle.server.axon;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Work under a PostgreSQL savepoint of the transaction under way, so that its failure, even one that
 * PostgreSQL refused, undoes only that work and the transaction goes on (a bulk request's commands, one
 * savepoint each). Spring's own nested transactions would do this, but its JPA transaction manager offers
 * no savepoints.
 *
 * <p>A command's unit of work inside the savepoint joins the wider transaction. When it fails, Spring would
 * mark that whole transaction rollback-only; {@link JoiningUnitsOfWork} leaves the decision to the savepoint
 * instead, and only while one is open.
 */
public final class Savepoints {

    private static final Object OPEN = Savepoints.class;

    private Savepoints() {
    }

    public static <T> T run(DataSource dataSource, Supplier<T> work) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        Savepoint savepoint = jdbc(connection::setSavepoint);
        TransactionSynchronizationManager.bindResource(OPEN, savepoint);
        try {
            T result = work.get();
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
        } finally {
            TransactionSynchronizationManager.unbindResource(OPEN);
        }
    }

    static boolean open() {
        return TransactionSynchronizationManager.hasResource(OPEN);
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

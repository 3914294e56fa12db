package dev.ipv6lifecycle.server.axon;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Axon's JDBC components (event store, token store, dead letters) get their connections here: Spring's
 * connection of the transaction under way, as with Axon's own provider, with one difference. Axon's
 * unit-of-work wrapper commits and rolls back the connection with each unit of work; Axon's Spring provider
 * turns the commit into nothing inside a Spring transaction, but not the rollback. A command of a bulk
 * request that failed after its events were appended (an allocation that lost a race, or went over a
 * tenant quota) thus rolled back the whole batch's transaction, with the commands already answered as
 * stored, and left its savepoint nowhere. Here both belong to the transaction: Spring's transaction manager
 * ends it, and a failed command of a batch rolls back to its savepoint only ({@link BatchItem}).
 */
final class TransactionalConnections implements ConnectionProvider {

    private final DataSource dataSource;

    TransactionalConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = DataSourceUtils.doGetConnection(dataSource);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    boolean noArguments = args == null || args.length == 0;
                    if (method.getName().equals("close") && noArguments) {
                        DataSourceUtils.doReleaseConnection(connection, dataSource);
                        return null;
                    }
                    if ((method.getName().equals("commit") || method.getName().equals("rollback")) && noArguments
                            && DataSourceUtils.isConnectionTransactional(connection, dataSource)) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException failure) {
                        throw failure.getCause();
                    }
                });
    }
}

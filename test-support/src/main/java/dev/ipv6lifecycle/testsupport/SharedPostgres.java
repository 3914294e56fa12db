package dev.ipv6lifecycle.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * One real PostgreSQL (embedded binaries, no Docker) per test JVM, migrated with the project's own
 * Flyway scripts. Starting PostgreSQL costs seconds, so every test class of a module shares it.
 *
 * <p>{@link #database()} is the shared, migrated database. Tests that must not see each other's rows
 * take {@link #freshDatabase()}, a new database cloned from a migrated template in milliseconds.
 */
public final class SharedPostgres {

    public static final String USER = "postgres";
    private static final String SHARED = "ipv6_shared";
    private static final String TEMPLATE = "ipv6_template";
    private static final AtomicInteger FRESH = new AtomicInteger();

    private static volatile EmbeddedPostgres postgres;

    private SharedPostgres() {
    }

    /** The shared, migrated database. */
    public static String jdbcUrl() {
        return server().getJdbcUrl(USER, SHARED);
    }

    /** A new, empty, migrated database of its own; it lives until the JVM ends. */
    public static String freshDatabase() {
        String name = "ipv6_fresh_" + FRESH.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return server().getJdbcUrl(USER, name);
    }

    public static int port() {
        return server().getPort();
    }

    public static DataSource dataSource(String jdbcUrl) {
        var dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(USER);
        return dataSource;
    }

    private static EmbeddedPostgres server() {
        if (postgres == null) {
            synchronized (SharedPostgres.class) {
                if (postgres == null) {
                    postgres = start();
                }
            }
        }
        return postgres;
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres started = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temporary cluster directory goes with it
                }
            }, "shared-postgres-stop"));
            try (Connection connection = started.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + TEMPLATE);
                migrate(started.getJdbcUrl(USER, TEMPLATE));
                statement.execute("CREATE DATABASE " + SHARED + " TEMPLATE " + TEMPLATE);
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL for tests", e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the test databases", e);
        }
    }

    private static void migrate(String jdbcUrl) {
        Flyway.configure()
                .dataSource(jdbcUrl, USER, null)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    private static void execute(String sql) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}

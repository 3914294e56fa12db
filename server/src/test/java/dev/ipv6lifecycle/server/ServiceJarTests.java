package dev.ipv6lifecycle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run the way the README tells an operator to run it. These run after `package`
 * (failsafe), because Axon switches its update checker off by itself inside a JUnit JVM: only a
 * separate process shows what a real start does.
 */
class ServiceJarTests {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir
    Path work;

    @Test
    void startsOnItsEmbeddedPostgresqlAndKeepsTheDataAcrossARestart() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        int pgPort = ServiceProcess.freePort();
        String adminKey;

        try (ServiceProcess first = ServiceProcess.start(work, home, Map.of(),
                "--ipv6.embedded-postgres.port=" + pgPort)) {
            assertThat(first.awaitHealthy(STARTUP)).contains("\"status\":\"UP\"").contains("\"db\"");
            assertThat(first.get("/v3/api-docs").body()).contains("\"version\":\"0.1.0-SNAPSHOT\"");
            adminKey = assertTheFirstStartWroteAnAdminKeyOnlyItsUserMayRead(first);
            execute(pgPort, "CREATE TABLE restart_marker (note text)",
                    "INSERT INTO restart_marker VALUES ('written before the restart')");
            assertThat(first.stop()).isEqualTo(ServiceProcess.STOPPED_BY_SIGTERM);
        }
        try (java.net.Socket stillThere = new java.net.Socket()) {
            assertThatThrownBy(() -> stillThere.connect(new java.net.InetSocketAddress("127.0.0.1", pgPort), 1000))
                    .as("the embedded PostgreSQL stops with the service").isInstanceOf(IOException.class);
        }
        assertThat(work.resolve("data/postgres/PG_VERSION")).hasContent("17");

        try (ServiceProcess second = ServiceProcess.start(work, home, Map.of(),
                "--ipv6.embedded-postgres.port=" + pgPort)) {
            second.awaitHealthy(STARTUP);
            assertThat(Files.readString(work.resolve("data/admin-api-key")).strip())
                    .as("a restart keeps the key it created").isEqualTo(adminKey);
            assertThat(second.get("/api/v1/pools", adminKey).statusCode()).isEqualTo(200);
            assertThat(second.log()).doesNotContain(adminKey).doesNotContain("Created admin API key");
            assertThat(query(pgPort, "SELECT note FROM restart_marker")).isEqualTo("written before the restart");
            assertThat(query(pgPort, "SELECT count(*) FROM flyway_schema_history WHERE success")).isNotEqualTo("0");
            assertThat(second.stop()).isEqualTo(ServiceProcess.STOPPED_BY_SIGTERM);
        }
    }

    @Test
    void refusesASecondStartOnTheSameDataDirectoryWithAClearMessage() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        try (ServiceProcess running = ServiceProcess.start(work, home, Map.of())) {
            running.awaitHealthy(STARTUP);

            try (ServiceProcess intruder = ServiceProcess.start(work, home, Map.of())) {
                assertThat(intruder.awaitExit(STARTUP)).isNotZero();
                String log = intruder.log();
                assertThat(log).contains("APPLICATION FAILED TO START")
                        .contains("is in use by another running instance of the service")
                        .contains("--ipv6.data-dir");
                assertThat(log).doesNotContainPattern("(?m)^\\s+at [a-z]");
            }
            assertThat(running.get("/actuator/health").statusCode()).isEqualTo(200);
            assertThat(running.stop()).isEqualTo(ServiceProcess.STOPPED_BY_SIGTERM);
        }
    }

    @Test
    void neverWritesAxonUpdateCheckFilesNorOpensAnOutboundConnection() throws Exception {
        Path home = Files.createDirectories(work.resolve("empty-home"));
        // Any HTTP(S) call made through the JDK's URL stack (which Axon's update checker uses) goes to
        // this loopback trap instead of the internet; it must never see a connection.
        try (ServerSocket trap = new ServerSocket(0)) {
            trap.setSoTimeout(1);
            AtomicInteger attempts = new AtomicInteger();
            String proxy = "127.0.0.1";
            try (ServiceProcess service = ServiceProcess.start(work, home, Map.of(
                    "JAVA_TOOL_OPTIONS", "-Dhttp.proxyHost=" + proxy + " -Dhttp.proxyPort=" + trap.getLocalPort()
                            + " -Dhttps.proxyHost=" + proxy + " -Dhttps.proxyPort=" + trap.getLocalPort()))) {
                service.awaitHealthy(STARTUP);
                // Axon's checker would fire one second after start; give it ample time to try.
                for (int i = 0; i < 50; i++) {
                    try {
                        trap.accept().close();
                        attempts.incrementAndGet();
                    } catch (SocketTimeoutException none) {
                        Thread.sleep(100);
                    }
                }
                String log = service.log();
                assertThat(service.stop()).isEqualTo(ServiceProcess.STOPPED_BY_SIGTERM);

                assertThat(attempts).hasValue(0);
                assertThat(home).isEmptyDirectory();
                assertThat(log).doesNotContain("UpdateChecker").doesNotContain("AxonIQ Console");
            }
        }
    }

    @Test
    void runsAgainstAnExternalPostgresql15GivenByEnvironmentAndStartsNoDatabaseOfItsOwn() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        try (DebianPostgres external = DebianPostgres.start(work.resolve("pg15"))) {
            try (ServiceProcess service = ServiceProcess.start(work, home, Map.of(
                    "SPRING_DATASOURCE_URL", external.jdbcUrl(),
                    "SPRING_DATASOURCE_USERNAME", DebianPostgres.USER,
                    "SPRING_DATASOURCE_PASSWORD", DebianPostgres.PASSWORD))) {
                assertThat(service.awaitHealthy(STARTUP)).contains("\"status\":\"UP\"");
                assertThat(service.stop()).isEqualTo(ServiceProcess.STOPPED_BY_SIGTERM);
            }
            // Only the first admin key lives in the data directory: no database of its own.
            assertThat(work.resolve("data/postgres")).doesNotExist();
            assertThat(work.resolve("data/admin-api-key")).exists();
            try (Connection connection = external.connect(); Statement statement = connection.createStatement();
                 ResultSet version = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000, "
                         + "(SELECT count(*) FROM flyway_schema_history WHERE success)")) {
                version.next();
                assertThat(version.getInt(1)).isEqualTo(15);
                assertThat(version.getInt(2)).isPositive();
            }
        }
    }

    private String assertTheFirstStartWroteAnAdminKeyOnlyItsUserMayRead(ServiceProcess service) throws Exception {
        Path file = work.resolve("data/admin-api-key");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String key = Files.readString(file).strip();
        assertThat(key).startsWith("ipv6k_").hasSize("ipv6k_".length() + 43);
        assertThat(service.get("/api/v1/pools").statusCode()).isEqualTo(401);
        assertThat(service.get("/api/v1/pools", key).statusCode()).isEqualTo(200);
        String log = service.log();
        assertThat(log).contains("Created admin API key").contains(file.toString()).doesNotContain(key);
        return key;
    }

    private static void execute(int pgPort, String... statements) throws SQLException {
        try (Connection connection = embedded(pgPort); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String query(int pgPort, String sql) throws SQLException {
        try (Connection connection = embedded(pgPort); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static Connection embedded(int pgPort) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "");
    }

    /** Debian's PostgreSQL 15 server binaries, run as an ordinary cluster in a temporary directory. */
    static final class DebianPostgres implements AutoCloseable {

        static final String USER = "ipv6";
        static final String PASSWORD = "external-secret";
        private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
        private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

        private final Path dir;
        private final int port;

        private DebianPostgres(Path dir, int port) {
            this.dir = dir;
            this.port = port;
        }

        static DebianPostgres start(Path dir) throws Exception {
            Files.createDirectories(dir);
            Path pwfile = dir.resolve("pw");
            Files.writeString(pwfile, "bootstrap");
            if (ROOT) {
                // PostgreSQL refuses to run as root; CI runs as root, so the cluster belongs to "postgres".
                run("chmod", "a+rx", dir.getParent().toString());
                run("chown", "-R", "postgres", dir.toString());
            }
            int port = ServiceProcess.freePort();
            asPostgres(BIN.resolve("initdb") + " -D " + dir.resolve("data") + " -U postgres -A scram-sha-256 --pwfile="
                    + pwfile + " -E UTF8");
            asPostgres(BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -l " + dir.resolve("log")
                    + " -w -o \"-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1\" start");
            DebianPostgres postgres = new DebianPostgres(dir, port);
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "bootstrap");
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                statement.execute("CREATE DATABASE ipv6 OWNER " + USER);
            }
            return postgres;
        }

        String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/ipv6";
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
        }

        @Override
        public void close() throws Exception {
            asPostgres(BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m fast -w stop");
        }

        private static void asPostgres(String command) throws IOException, InterruptedException {
            if (ROOT) {
                run("runuser", "-u", "postgres", "--", "sh", "-c", command);
            } else {
                run("sh", "-c", command);
            }
        }

        private static void run(String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        }
    }
}

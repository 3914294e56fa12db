package dev.ipv6lifecycle.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, independent RADIUS implementation playing the NAS for Dynamic Authorization (RFC 5176) tests:
 * FreeRADIUS 3 from Debian ({@code apt-get install freeradius}), run in the foreground as a child process with a
 * configuration written from scratch into a temporary directory.
 *
 * <p>It accepts CoA-Request and Disconnect-Request from 127.0.0.1 and ::1 with the given shared secret on a free
 * loopback UDP port, records every packet it accepted as FreeRADIUS decoded it ({@link #received()}), and
 * answers ACK, or NAK with an Error-Cause after {@link #nakWith(int)}, each signed with a Message-Authenticator. {@link #pause()} and {@link #resume()}
 * make it stop and start answering (SIGSTOP/SIGCONT; datagrams sent meanwhile wait in its socket buffer).
 * Packets it drops (a wrong secret, an unknown client) leave no record, but its debug log ({@link #log()}) says
 * why. Close it to stop the process and remove the directory.
 */
public final class FreeRadiusNas implements AutoCloseable {

    public static final Path EXECUTABLE = Path.of("/usr/sbin/freeradius");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String READY = "Ready to process requests";

    private final Path directory;
    private final int port;
    private final Process process;
    private final Path logFile;
    private final Thread reaper;

    private FreeRadiusNas(Path directory, int port, Process process, Path logFile) {
        this.directory = directory;
        this.port = port;
        this.process = process;
        this.logFile = logFile;
        // A test JVM that ends without close() (a crash, a forgotten close) must not leave the daemon behind.
        this.reaper = new Thread(process::destroyForcibly, "freeradius-nas-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts FreeRADIUS as a NAS that shares {@code secret} with 127.0.0.1 and ::1, and waits until it listens.
     *
     * @throws IllegalStateException when FreeRADIUS is not installed (with the command that installs it) or does
     *                               not start (with its output)
     */
    public static FreeRadiusNas start(String secret) {
        return start(secret, EXECUTABLE);
    }

    static FreeRadiusNas start(String secret, Path executable) {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException(executable + " is missing: the RADIUS tests need FreeRADIUS 3 as the NAS."
                    + " Install it with: apt-get update && apt-get install -y --no-install-recommends freeradius"
                    + " (then stop the daemon the package may start: systemctl disable --now freeradius)");
        }
        if (secret == null || secret.isEmpty() || !secret.matches("[\\x21-\\x7e&&[^\"\\\\]]+")) {
            throw new IllegalArgumentException("the test secret must be printable ASCII without quotes or backslashes");
        }
        IllegalStateException failure = null;
        // A free port can be taken between choosing and binding it; choose again then.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(executable, secret, freeUdpPort());
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        throw failure;
    }

    private static FreeRadiusNas launch(Path executable, String secret, int port) {
        Path directory;
        try {
            directory = Files.createTempDirectory("freeradius-nas-");
            Files.writeString(directory.resolve("radiusd.conf"), configuration(directory, secret, port));
            Files.writeString(directory.resolve("nak"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path logFile = directory.resolve("radiusd.out");
        Process process;
        try {
            // -f foreground, -X debug output (single-threaded) to stdout, -d our configuration directory.
            process = new ProcessBuilder(executable.toString(), "-f", "-X", "-d", directory.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            deleteRecursively(directory);
            throw new IllegalStateException("cannot run " + executable, e);
        }
        FreeRadiusNas nas = new FreeRadiusNas(directory, port, process, logFile);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!nas.log().contains(READY)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = nas.log();
                nas.close();
                throw new IllegalStateException("FreeRADIUS did not start on port " + port
                        + (process.isAlive() ? " within " + START_TIMEOUT : " (exit " + process.exitValue() + ")")
                        + "; its output:\n" + output);
            }
            sleep(Duration.ofMillis(50));
        }
        return nas;
    }

    /** The UDP port it listens on, on 127.0.0.1 and on ::1. */
    public int port() {
        return port;
    }

    /**
     * Every CoA-Request and Disconnect-Request it accepted so far, oldest first, as FreeRADIUS decoded them:
     * attribute name to value, strings without their quotes (for instance {@code Packet-Type=CoA-Request},
     * {@code User-Name=alice}, {@code Delegated-IPv6-Prefix=2001:db8:1::/48}). An attribute that occurs more than
     * once keeps its first value.
     */
    public List<Map<String, String>> received() {
        Path detail = directory.resolve("received.detail");
        if (!Files.exists(detail)) {
            return List.of();
        }
        List<Map<String, String>> packets = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : read(detail).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith("\t")) {
                // The header line (a time stamp) opens the next packet.
                current = new LinkedHashMap<>();
                packets.add(current);
                continue;
            }
            int equals = line.indexOf(" = ");
            if (current != null && equals > 0) {
                current.putIfAbsent(line.substring(0, equals).trim(), unquote(line.substring(equals + 3).trim()));
            }
        }
        return packets;
    }

    /** From now on every request is answered with a NAK carrying this Error-Cause (RFC 5176 §3.6), e.g. 503. */
    public void nakWith(int errorCause) {
        write(directory.resolve("nak"), Integer.toString(errorCause));
    }

    /** From now on every request is answered with an ACK again (the initial behaviour). */
    public void acknowledge() {
        write(directory.resolve("nak"), "");
    }

    /** Stops answering (SIGSTOP): requests sent meanwhile are queued in its socket, unanswered. */
    public void pause() {
        signal("STOP");
    }

    /** Answers again (SIGCONT), beginning with whatever was queued while paused. */
    public void resume() {
        signal("CONT");
    }

    /** FreeRADIUS's debug output so far: why it dropped a packet, what it answered. */
    public String log() {
        return Files.exists(logFile) ? read(logFile) : "";
    }

    /** Stops FreeRADIUS and removes its directory. */
    @Override
    public void close() {
        if (process.isAlive()) {
            // A stopped process does not act on SIGTERM until continued.
            signal("CONT");
        }
        stop(process, directory, reaper);
    }

    /** Ends the daemon, removes its directory and its shutdown hook. */
    static void stop(Process process, Path directory, Thread reaper) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteRecursively(directory);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // Closed by another shutdown hook: the reaper runs anyway, harmlessly.
        }
    }

    // Written from scratch rather than derived from /etc/freeradius: nothing of the host's set-up leaks in, and
    // the daemon needs no privileges (it runs as the test's user and writes only into its own directory).
    private static String configuration(Path directory, String secret, int port) {
        String dir = directory.toString();
        return """
                prefix = /usr
                exec_prefix = /usr
                sysconfdir = /etc
                localstatedir = /var
                sbindir = /usr/sbin
                logdir = %1$s
                raddbdir = %1$s
                radacctdir = %1$s
                confdir = %1$s
                run_dir = %1$s
                libdir = /usr/lib/freeradius
                pidfile = %1$s/radiusd.pid
                max_request_time = 5
                cleanup_delay = 2
                max_requests = 1024
                hostname_lookups = no

                log {
                    destination = stdout
                    colourise = no
                }

                security {
                    allow_core_dumps = no
                    max_attributes = 200
                    reject_delay = 0
                    status_server = no
                }

                client loopback4 {
                    ipaddr = 127.0.0.1
                    secret = "%2$s"
                }

                client loopback6 {
                    ipv6addr = ::1
                    secret = "%2$s"
                }

                modules {
                    # The return codes recv-coa ends with: ok answers ACK, reject answers NAK.
                    always ok {
                        rcode = ok
                    }
                    always reject {
                        rcode = reject
                    }
                    # Every accepted request, decoded, one block per packet.
                    detail received {
                        filename = %1$s/received.detail
                        escape_filenames = no
                        permissions = 0600
                        header = "%%t"
                        locking = no
                    }
                    # Reads the file nak at every request: a number there makes the answer a NAK with it.
                    exec {
                        wait = yes
                        input_pairs = request
                        shell_escape = yes
                        timeout = 5
                    }
                }

                server nas {
                    listen {
                        type = coa
                        ipaddr = 127.0.0.1
                        port = %3$d
                    }
                    listen {
                        type = coa
                        ipv6addr = ::1
                        port = %3$d
                    }
                    # Both CoA-Request and Disconnect-Request come here.
                    recv-coa {
                        received
                        # Signs every answer with a Message-Authenticator (RFC 5176 §3.3), for clients to verify.
                        update reply {
                            Message-Authenticator := 0x00000000000000000000000000000000
                        }
                        if ("%%{exec:/bin/cat %1$s/nak}" =~ /^([0-9]+)/) {
                            update reply {
                                Error-Cause := "%%{1}"
                            }
                            reject
                        }
                        ok
                    }
                    send-coa {
                        ok
                    }
                }
                """.formatted(dir, secret, port);
    }

    private void signal(String name) {
        if (!process.isAlive()) {
            throw new IllegalStateException("FreeRADIUS is not running; its output:\n" + log());
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling FreeRADIUS", e);
        }
    }

    // Free on both loopbacks, since FreeRADIUS binds the port on 127.0.0.1 and on ::1.
    static int freeUdpPort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket v4 = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
                int candidate = v4.getLocalPort();
                try (DatagramSocket v6 = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), candidate))) {
                    return candidate;
                } catch (IOException taken) {
                    // Taken on ::1: try another.
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no UDP port free on both 127.0.0.1 and ::1");
    }

    static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    static String read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            // Replaced in one step, so FreeRADIUS never reads a half-written file.
            Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
            Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for FreeRADIUS", e);
        }
    }

    static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temporary directory left behind is no test failure.
        }
    }
}

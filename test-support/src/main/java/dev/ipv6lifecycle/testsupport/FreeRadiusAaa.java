package dev.ipv6lifecycle.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * FreeRADIUS 3 from Debian as the ISP's AAA server, with the repository's shipped configuration
 * ({@code radius/freeradius/mods-available/ipv6_lifecycle} and {@code policy.d/ipv6_lifecycle}) included as it
 * is, asking the service through {@code rlm_rest} (Debian's {@code freeradius-rest}). Its virtual server is the
 * smallest an operator's could be: the shipped policy, then every request accepted (authentication is not what
 * these tests are about). Requests are sent with {@code radclient} ({@code freeradius-utils}), which decodes the
 * answer from the wire with FreeRADIUS's dictionaries.
 *
 * <p>Accounting goes as an operator's would with the shipped files: the virtual server buffers each record with
 * the policy {@code ipv6_lifecycle_accounting} and answers at once; the shipped reader server
 * ({@code sites-available/ipv6_lifecycle_accounting}) delivers the buffer to the service.
 *
 * <p>Like {@link FreeRadiusNas}, its configuration is written from scratch into a temporary directory, so nothing
 * of the host's set-up leaks in and it runs without privileges. Close it to stop the process and remove the
 * directory.
 */
public final class FreeRadiusAaa implements AutoCloseable {

    public static final Path RADCLIENT = Path.of("/usr/bin/radclient");
    public static final Path RLM_REST = Path.of("/usr/lib/freeradius/rlm_rest.so");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;
    private final int port;
    private final int accountingPort;
    private final String secret;
    private final Process process;
    private final Path logFile;
    private final Thread reaper;

    /** What radclient received for one Access-Request, decoded. */
    public record Answer(String packetType, Map<String, List<String>> attributes, Duration elapsed) {

        public List<String> values(String attribute) {
            return attributes.getOrDefault(attribute, List.of());
        }
    }

    private FreeRadiusAaa(Path directory, int port, int accountingPort, String secret, Process process,
                          Path logFile) {
        this.directory = directory;
        this.port = port;
        this.accountingPort = accountingPort;
        this.secret = secret;
        this.process = process;
        this.logFile = logFile;
        this.reaper = new Thread(process::destroyForcibly, "freeradius-aaa-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts FreeRADIUS with the shipped files, {@code IPV6_LIFECYCLE_URL} and {@code IPV6_LIFECYCLE_API_KEY} set
     * to {@code serviceUrl} and {@code apiKey}, accepting Access-Requests from 127.0.0.1 with {@code secret}. It runs
     * with {@code -X} (one thread, the whole exchange in {@link #log()}); the benchmark runs the thread pool.
     */
    public static FreeRadiusAaa start(String secret, String serviceUrl, String apiKey) {
        for (Path needed : List.of(FreeRadiusNas.EXECUTABLE, RLM_REST, RADCLIENT)) {
            if (!Files.exists(needed)) {
                throw new IllegalStateException(needed + " is missing: the AAA tests need FreeRADIUS 3 with rlm_rest "
                        + "and radclient. Install them with: apt-get install -y --no-install-recommends freeradius "
                        + "freeradius-rest freeradius-utils");
            }
        }
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(secret, serviceUrl, apiKey, FreeRadiusNas.freeUdpPort(), FreeRadiusNas.freeUdpPort());
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        throw failure;
    }

    /** The repository's {@code radius/freeradius} directory, found upwards from the working directory. */
    public static Path shippedConfiguration() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("radius/freeradius");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no radius/freeradius above " + Path.of("").toAbsolutePath());
    }

    private static FreeRadiusAaa launch(String secret, String serviceUrl, String apiKey, int port,
                                        int accountingPort) {
        if (port == accountingPort) {
            throw new IllegalStateException("the same free port twice: " + port);
        }
        Path directory;
        try {
            directory = Files.createTempDirectory("freeradius-aaa-");
            Files.writeString(directory.resolve("radiusd.conf"), configuration(directory, secret, port,
                    accountingPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path logFile = directory.resolve("radiusd.out");
        ProcessBuilder builder = new ProcessBuilder(FreeRadiusNas.EXECUTABLE.toString(), "-f", "-X", "-d",
                directory.toString()).redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().put("IPV6_LIFECYCLE_URL", serviceUrl);
        builder.environment().put("IPV6_LIFECYCLE_API_KEY", apiKey);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            FreeRadiusNas.deleteRecursively(directory);
            throw new IllegalStateException("cannot run " + FreeRadiusNas.EXECUTABLE, e);
        }
        FreeRadiusAaa aaa = new FreeRadiusAaa(directory, port, accountingPort, secret, process, logFile);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!aaa.ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = aaa.log();
                aaa.close();
                throw new IllegalStateException("FreeRADIUS did not start on port " + port + "; its output:\n" + output);
            }
            FreeRadiusNas.sleep(Duration.ofMillis(100));
        }
        return aaa;
    }

    private boolean ready() {
        return log().contains("Ready to process requests");
    }

    public int port() {
        return port;
    }

    /** Sends one Access-Request with these attributes (name to value, as radclient reads them) and decodes the answer. */
    public Answer authorize(Map<String, String> attributes) {
        StringBuilder packet = new StringBuilder();
        attributes.forEach((name, value) -> packet.append(name).append(" = \"").append(value).append("\"\n"));
        long started = System.nanoTime();
        String output = radclient(packet.toString(), port, "auth", "-x", "-r", "1", "-t", "5");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return parse(output, elapsed);
    }

    /** {@link #authorize(Map)} with a User-Name only. */
    public Answer authorize(String userName) {
        return authorize(Map.of("User-Name", userName));
    }

    /**
     * Sends one Accounting-Request with these attributes (name to value, as radclient reads them), as a BNG would;
     * answers the packet type FreeRADIUS answered with ({@code Accounting-Response}), or {@code null} for none.
     */
    public String account(Map<String, String> attributes) {
        StringBuilder packet = new StringBuilder();
        attributes.forEach((name, value) -> packet.append(name).append(" = \"").append(value).append("\"\n"));
        return parse(radclient(packet.toString(), accountingPort, "acct", "-x", "-r", "1", "-t", "5"),
                Duration.ZERO).packetType();
    }

    /** Runs radclient against this server with {@code packets} on its standard input; answers its output. */
    private String radclient(String packets, int toPort, String type, String... options) {
        List<String> command = new ArrayList<>(List.of(RADCLIENT.toString(), "-D", "/usr/share/freeradius"));
        command.addAll(List.of(options));
        command.addAll(List.of("127.0.0.1:" + toPort, type, secret));
        try {
            Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
            client.getOutputStream().write(packets.getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().close();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!client.waitFor(60, TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running radclient", e);
        }
    }

    // radclient -x prints "Received Access-Accept Id 12 from 127.0.0.1:1812 to ... length 38", then one
    // tab-indented "Name = value" line per attribute it decoded.
    static Answer parse(String output, Duration elapsed) {
        String type = null;
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("Received ")) {
                type = line.split(" ")[1];
                attributes.clear();
            } else if (type != null && line.startsWith("\t")) {
                int equals = line.indexOf(" = ");
                if (equals > 0) {
                    attributes.computeIfAbsent(line.substring(0, equals).trim(), k -> new ArrayList<>())
                            .add(FreeRadiusNas.unquote(line.substring(equals + 3).trim()));
                }
            }
        }
        return new Answer(type, attributes, elapsed);
    }

    /** FreeRADIUS's output so far (the whole exchange with {@code debug}). */
    public String log() {
        return Files.exists(logFile) ? FreeRadiusNas.read(logFile) : "";
    }

    @Override
    public void close() {
        FreeRadiusNas.stop(process, directory, reaper);
    }

    /** The configuration template shared with the benchmark, filled in. */
    private static String configuration(Path directory, String secret, int port, int accountingPort) {
        try (InputStream template = FreeRadiusAaa.class.getResourceAsStream("freeradius-aaa.conf")) {
            return new String(template.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@DIR@", directory.toString()).replace("@SECRET@", secret)
                    .replace("@PORT@", Integer.toString(port))
                    .replace("@ACCT_PORT@", Integer.toString(accountingPort)).replace("@SHIPPED@", shippedConfiguration().toString())
                    .replace("@THREADS_START@", "8").replace("@THREADS_MAX@", "32");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

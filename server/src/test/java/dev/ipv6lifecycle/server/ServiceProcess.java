package dev.ipv6lifecycle.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service jar, started as an operator would start it: its own JVM, its own home directory. */
final class ServiceProcess implements AutoCloseable {

    /** The JVM's exit status after it ran its shutdown hooks (Spring's graceful shutdown) on SIGTERM. */
    static final int STOPPED_BY_SIGTERM = 128 + 15;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static ServiceProcess start(Path workDir, Path home, Map<String, String> environment, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("service.jar", "target/ipv6-lifecycle.jar")).toAbsolutePath();
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        command.add("-Duser.home=" + home);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        command.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path log = Files.createTempFile(workDir, "service-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("AXONIQ_"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(environment);
        return new ServiceProcess(builder.start(), log, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits until /actuator/health answers, and returns its body. */
    String awaitHealthy(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> response = get("/actuator/health");
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYetListening) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the service did not become healthy within " + timeout + ":\n" + log());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with {@code Authorization: Bearer <key>}. */
    HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + bearer)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the service did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** SIGTERM, as systemd or an operator's Ctrl-C would send, then waits for a clean exit. */
    int stop() throws InterruptedException {
        process.destroy();
        return awaitExit(Duration.ofSeconds(60));
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        // A forced kill would orphan the embedded PostgreSQL, so a failed test still stops it politely.
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}

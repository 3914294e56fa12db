import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Allocation and lifecycle load for the fault harness, spread over every node: each worker sends its
 * requests to the nodes in turn, and moves on to the next node when one does not answer (it may just have
 * been killed). Every allocation the service acknowledged (201) is written to the output file, one
 * delegation id a line, as soon as the answer arrives, so that the checker can look each up in the event
 * store. It stops when the stop file appears.
 * Run with: java FaultLoad.java <stop-file> <pool-id> <acknowledged-file> <api-key> <base-url>...
 * The JDK's HttpClient only; no dependencies.
 */
public class FaultLoad {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final int WORKERS = 3;

    private final List<String> nodes;
    private final String poolId;
    private final String apiKey;
    private final PrintWriter acknowledged;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong subscribers = new AtomicLong();

    FaultLoad(List<String> nodes, String poolId, String apiKey, PrintWriter acknowledged) {
        this.nodes = nodes;
        this.poolId = poolId;
        this.apiKey = apiKey;
        this.acknowledged = acknowledged;
    }

    public static void main(String[] args) throws Exception {
        Path stop = Path.of(args[0]);
        List<String> nodes = List.of(args).subList(4, args.length);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[2])))) {
            FaultLoad load = new FaultLoad(nodes, args[1], args[3], out);
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                int first = i;
                Thread worker = new Thread(() -> load.work(first, stop), "worker-" + i);
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            System.out.println("load: " + new TreeMap<>(load.outcomes));
        }
    }

    /** Allocates, and walks some of its own delegations through suspend, resume and revoke. */
    private void work(int first, Path stop) {
        List<String> mine = new ArrayList<>();
        int node = first;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!Files.exists(stop)) {
            node = (node + 1) % nodes.size();
            String base = nodes.get(node);
            if (mine.isEmpty() || random.nextInt(100) < 55) {
                String subscriber = "sub-" + subscribers.incrementAndGet() + "-" + random.nextInt(1_000_000);
                String body = "{\"subscriberId\": \"" + subscriber + "\", \"poolId\": \"" + poolId
                        + "\", \"activate\": true, \"nas\": {\"username\": \"" + subscriber
                        + "\", \"nasIp\": \"127.0.0.1\", \"sessionId\": \"s-" + subscriber + "\"}}";
                Answer answer = send(base, "/api/v1/delegations", body);
                count("allocate", answer.status);
                if (answer.status == 201) {
                    Matcher id = ID.matcher(answer.body);
                    if (id.find()) {
                        acknowledge(id.group(1));
                        mine.add(id.group(1));
                    }
                }
            } else {
                String id = mine.get(random.nextInt(mine.size()));
                int dice = random.nextInt(100);
                String operation = dice < 35 ? "revoke" : dice < 70 ? "suspend" : "resume";
                String body = operation.equals("resume") ? "{}" : "{\"reason\": \"fault harness\"}";
                Answer answer = send(base, "/api/v1/delegations/" + id + "/" + operation, body);
                count(operation, answer.status);
                if (operation.equals("revoke") && answer.status < 300) {
                    mine.remove(id);
                }
            }
            pause(random.nextInt(30, 100));
        }
    }

    private synchronized void acknowledge(String id) {
        acknowledged.println(id);
        acknowledged.flush();
    }

    private void count(String operation, int status) {
        String bucket = status == 0 ? "unreachable" : status < 300 ? "2xx" : status < 500 ? Integer.toString(status) : "5xx";
        outcomes.computeIfAbsent(operation + " " + bucket, key -> new AtomicInteger()).incrementAndGet();
    }

    record Answer(int status, String body) {
    }

    private Answer send(String base, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            // Killed node, refused connection, reset mid-request: not acknowledged, whatever it did.
            return new Answer(0, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "");
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

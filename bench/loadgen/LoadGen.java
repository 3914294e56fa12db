import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's load generator: a separate JVM, started from source ({@code java bench/loadgen/LoadGen.java}),
 * so that it needs no build step and its CPU is reported apart from the service's.
 *
 * <p>Closed loop at fixed concurrency: each client sends its next request when the previous answer arrived.
 * Latencies are per request, from send to complete answer; a closed loop under-reports latency when the
 * service stalls (coordinated omission), so the harness reports throughput and p99 together and never a
 * p99 without its throughput.
 *
 * <p>Modes (arguments are name=value): {@code allocate}, {@code bulk}. The reads' latencies are measured
 * by wrk ({@code bench/wrk/get.lua}).
 * Every request carries {@code Authorization: Bearer <key>}. Each mode prints one line of name=value results.
 */
public class LoadGen {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private final Map<String, String> args;
    private final HttpClient http;
    private final String base;
    private final String key;

    LoadGen(Map<String, String> args) {
        this.args = args;
        this.base = args.getOrDefault("base", "http://127.0.0.1:8080");
        this.key = args.getOrDefault("key", "none");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            String[] kv = argv[i].split("=", 2);
            args.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        LoadGen gen = new LoadGen(args);
        switch (argv[0]) {
            case "allocate" -> gen.allocate();
            case "bulk" -> gen.bulk();
            default -> throw new IllegalArgumentException("unknown mode " + argv[0]);
        }
    }

    // --- allocate: POST /api/v1/delegations at N clients for S seconds; optional read-lag probe -----------

    private void allocate() throws Exception {
        int clients = Integer.parseInt(args.getOrDefault("clients", "1"));
        double seconds = Double.parseDouble(args.getOrDefault("seconds", "10"));
        double warmup = Double.parseDouble(args.getOrDefault("warmup", "2"));
        String pool = args.get("pool");
        boolean probe = Boolean.parseBoolean(args.getOrDefault("lagProbe", "false"));
        Path idsOut = args.containsKey("ids") ? Path.of(args.get("ids")) : null;
        String run = Long.toString(System.nanoTime(), 36);

        Recorder rec = new Recorder();
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        AtomicReference<long[]> latest = new AtomicReference<>(); // {msb, lsb, nanos at answer} of a fresh id
        AtomicReference<String> latestId = new AtomicReference<>();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        AtomicLong seq = new AtomicLong();

        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(started(() -> {
                while (System.nanoTime() < end) {
                    String body = "{\"subscriberId\":\"bench-" + run + "-" + seq.incrementAndGet() + "\""
                            + (pool == null ? "" : ",\"poolId\":\"" + pool + "\"") + "}";
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = send(post("/api/v1/delegations", body));
                    long t1 = System.nanoTime();
                    boolean ok = r != null && r.statusCode() == 201;
                    if (t0 >= measureFrom && t1 <= end) {
                        rec.record(t1 - t0, ok, t1);
                    }
                    if (ok) {
                        Matcher m = ID.matcher(r.body());
                        if (m.find()) {
                            ids.add(m.group(1));
                            latestId.set(m.group(1));
                            latest.set(new long[] {t1});
                        }
                    }
                }
            }));
        }
        Recorder lag = new Recorder();
        Thread prober = null;
        if (probe) {
            // Takes the newest allocation answered, and polls the query API until the read side shows it.
            prober = started(() -> {
                String last = null;
                while (System.nanoTime() < end) {
                    String id = latestId.get();
                    long[] at = latest.get();
                    if (id == null || id.equals(last) || at == null) {
                        sleep(1);
                        continue;
                    }
                    last = id;
                    long answered = at[0];
                    while (true) {
                        HttpResponse<String> r = send(get("/api/v1/delegations/" + id));
                        if (r != null && r.statusCode() == 200) {
                            long seen = System.nanoTime();
                            if (answered >= measureFrom) {
                                lag.record(seen - answered, true, seen);
                            }
                            break;
                        }
                        if (System.nanoTime() - answered > 30_000_000_000L) {
                            lag.record(System.nanoTime() - answered, false, System.nanoTime());
                            break;
                        }
                        sleep(1);
                    }
                    sleep(20);
                }
            });
        }
        join(threads, prober);
        if (idsOut != null) {
            Files.write(idsOut, ids);
        }
        StringBuilder out = new StringBuilder("mode=allocate clients=" + clients + " " + rec.summary(seconds));
        if (probe) {
            out.append(" lag_ok=").append(lag.ok()).append(" lag_errors=").append(lag.errors())
                    .append(" lag_").append(lag.percentiles().replace(" p99", " lag_p99"))
                    .append(" lag_").append(lag.halves(measureFrom, end).replace(" p99", " lag_p99"));
        }
        out.append(" ids=").append(ids.size()).append(" ").append(cpu());
        System.out.println(out);
    }

    // --- bulk: POST /api/v1/delegations/bulk, batches of B allocations, N clients for S seconds ----------------

    private void bulk() throws Exception {
        int clients = Integer.parseInt(args.getOrDefault("clients", "1"));
        int batch = Integer.parseInt(args.getOrDefault("batch", "1000"));
        double seconds = Double.parseDouble(args.getOrDefault("seconds", "10"));
        double warmup = Double.parseDouble(args.getOrDefault("warmup", "2"));
        String pool = args.get("pool");
        String run = Long.toString(System.nanoTime(), 36);
        Recorder rec = new Recorder();
        AtomicLong items = new AtomicLong();
        AtomicLong itemErrors = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(started(() -> {
                while (System.nanoTime() < end) {
                    StringBuilder body = new StringBuilder("{\"items\":[");
                    for (int i = 0; i < batch; i++) {
                        body.append(i == 0 ? "" : ",").append("{\"subscriberId\":\"bulk-").append(run).append('-')
                                .append(seq.incrementAndGet()).append('"')
                                .append(pool == null ? "" : ",\"poolId\":\"" + pool + "\"").append('}');
                    }
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = send(post("/api/v1/delegations/bulk", body.append("]}").toString()));
                    long t1 = System.nanoTime();
                    boolean ok = r != null && r.statusCode() == 200;
                    if (t0 >= measureFrom && t1 <= end) {
                        rec.record(t1 - t0, ok, t1);
                        if (ok) {
                            int allocated = Integer.parseInt(r.body().replaceFirst("(?s)^\\{\"allocated\":(\\d+).*", "$1"));
                            items.addAndGet(allocated);
                            itemErrors.addAndGet(batch - allocated);
                        }
                    }
                }
            }));
        }
        join(threads, null);
        System.out.println("mode=bulk clients=" + clients + " batch=" + batch + " batches_" + rec.summary(seconds)
                .replace(" errors=", " batch_errors=").replace(" per_s=", " batches_per_s=")
                + " items=" + items.get() + " item_errors=" + itemErrors.get()
                + " per_s=" + fmt(items.get() / seconds) + " " + cpu());
    }

    // --- plumbing ---------------------------------------------------------------------------------------------

    private HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).GET().build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void join(List<Thread> threads, Thread extra) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        if (extra != null) {
            extra.join();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This process's CPU seconds, to show that the load generator is not what saturates the machine. */
    private static String cpu() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return "loadgen_cpu_s=" + fmt(os.getProcessCpuTime() / 1e9);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Latencies in nanoseconds with the time each answer arrived. */
    static final class Recorder {
        private long[] lat = new long[1 << 16];
        private long[] when = new long[1 << 16];
        private int n;
        private int errors;

        synchronized void record(long nanos, boolean ok, long at) {
            if (!ok) {
                errors++;
                return;
            }
            if (n == lat.length) {
                lat = Arrays.copyOf(lat, n * 2);
                when = Arrays.copyOf(when, n * 2);
            }
            lat[n] = nanos;
            when[n++] = at;
        }

        synchronized String summary(double seconds) {
            return "ok=" + n + " errors=" + errors + " per_s=" + fmt(n / seconds) + " " + percentiles();
        }

        synchronized String percentiles() {
            long[] s = Arrays.copyOf(lat, n);
            Arrays.sort(s);
            return "p50_ms=" + fmt(pct(s, 0.50) / 1e6) + " p99_ms=" + fmt(pct(s, 0.99) / 1e6);
        }

        /** p99 of the first and second half of the run: says whether latency grows. */
        synchronized String halves(long from, long to) {
            long mid = from + (to - from) / 2;
            List<Long> a = new ArrayList<>();
            List<Long> b = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (when[i] < mid ? a : b).add(lat[i]);
            }
            return "p99_first_half_ms=" + fmt(pct(sorted(a), 0.99) / 1e6) + " p99_second_half_ms="
                    + fmt(pct(sorted(b), 0.99) / 1e6);
        }

        synchronized int ok() {
            return n;
        }

        synchronized int errors() {
            return errors;
        }

        private static long[] sorted(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        private static double pct(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    private static Thread started(Runnable r) {
        Thread t = new Thread(r);
        t.start();
        return t;
    }
}

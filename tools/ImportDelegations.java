import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports allocations from a CSV or NDJSON file of any size through {@code POST /api/v1/delegations/bulk}, in
 * batches, with progress on standard error and one result line per row (NDJSON) on standard output.
 *
 * <pre>
 * IPV6_API_KEY=$(cat data/admin-api-key) java tools/ImportDelegations.java subscribers.csv > results.ndjson
 * </pre>
 *
 * <p>CSV: a header line naming the columns, any of {@code subscriberId} (required), {@code poolId},
 * {@code prefixLength}, {@code prefix}, {@code activate}, {@code nas.username}, {@code nas.nasIp},
 * {@code nas.sessionId}; fields may be quoted ("..." with "" for a quote). NDJSON: one allocation per line, the
 * body of {@code POST /api/v1/delegations}. Empty lines are skipped.
 *
 * <p>Each batch carries an {@code Idempotency-Key} derived from its content: a batch whose answer was lost (a
 * timeout, a crash of this program) is sent again and answered from the service's record, never allocated
 * twice; a whole import run again within the service's retention (a day by default) changes nothing.
 * Lost connections and 5xx answers are retried with backoff. Exit status: 0 when every row was allocated,
 * 2 when some were refused (their result lines say why), 1 when the import stopped.
 *
 * <p>Options: {@code --url} (default {@code http://localhost:8080}, or {@code IPV6_LIFECYCLE_URL}),
 * {@code --key-file} (instead of {@code IPV6_API_KEY}), {@code --batch} (rows per request, at most 1,000),
 * {@code --format csv|ndjson} (default: from the file name).
 */
public class ImportDelegations {

    private static final int MAX_ATTEMPTS = 8;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI bulk;
    private final String key;
    private final PrintStream results = System.out;
    private long rows;
    private long allocated;
    private long refused;
    private final long started = System.nanoTime();

    ImportDelegations(String url, String key) {
        this.bulk = URI.create(url.replaceAll("/+$", "") + "/api/v1/delegations/bulk");
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        String file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else if (file == null && !args[i].startsWith("--")) {
                file = args[i];
            } else {
                fail("unexpected argument " + args[i]);
            }
        }
        if (file == null) {
            fail("usage: java tools/ImportDelegations.java [--url URL] [--key-file FILE] [--batch N] "
                    + "[--format csv|ndjson] FILE");
        }
        String url = options.getOrDefault("url", System.getenv().getOrDefault("IPV6_LIFECYCLE_URL", "http://localhost:8080"));
        String key = options.containsKey("key-file") ? Files.readString(Path.of(options.get("key-file"))).strip()
                : System.getenv("IPV6_API_KEY");
        if (key == null || key.isBlank()) {
            fail("no API key: set IPV6_API_KEY or pass --key-file");
        }
        int batch = Integer.parseInt(options.getOrDefault("batch", "1000"));
        if (batch < 1 || batch > 1000) {
            fail("--batch must be 1 to 1000");
        }
        String format = options.getOrDefault("format", file.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "ndjson");
        ImportDelegations importer = new ImportDelegations(url, key);
        try (BufferedReader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            importer.run(reader, format, batch);
        }
        System.exit(importer.refused > 0 ? 2 : 0);
    }

    private void run(BufferedReader reader, String format, int batchSize) throws Exception {
        List<String> header = format.equals("csv") ? csv(reader.readLine()) : null;
        long line = header == null ? 0 : 1;
        List<String> items = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            items.add(header != null ? json(header, csv(text), line) : text.strip());
            lines.add(line);
            if (items.size() == batchSize) {
                send(items, lines);
                items.clear();
                lines.clear();
            }
        }
        if (!items.isEmpty()) {
            send(items, lines);
        }
        progress("done");
    }

    private void send(List<String> items, List<Long> lines) throws Exception {
        String body = "{\"items\":[" + String.join(",", items) + "]}";
        HttpRequest request = HttpRequest.newBuilder(bulk).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Idempotency-Key", "import-" + sha256(body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> answer = null;
        for (int attempt = 1; answer == null; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500 && response.statusCode() != 429) {
                    answer = response;
                } else if (attempt == MAX_ATTEMPTS) {
                    fail("the service answered " + response.statusCode() + " " + attempt + " times for rows from line "
                            + lines.get(0) + ": " + response.body());
                }
            } catch (IOException lost) {
                if (attempt == MAX_ATTEMPTS) {
                    fail("could not reach " + bulk + " (" + lost + "); rows before line " + lines.get(0) + " are imported");
                }
            }
            if (answer == null) {
                Thread.sleep(Math.min(30_000, 250L << attempt));
            }
        }
        if (answer.statusCode() != 200) {
            fail("the service refused the batch from line " + lines.get(0) + " (" + answer.statusCode() + "): " + answer.body());
        }
        List<?> outcomes = (List<?>) ((Map<?, ?>) new Json(answer.body()).value()).get("items");
        for (int i = 0; i < outcomes.size(); i++) {
            Map<?, ?> outcome = (Map<?, ?>) outcomes.get(i);
            Map<?, ?> delegation = (Map<?, ?>) outcome.get("delegation");
            Map<?, ?> problem = (Map<?, ?>) outcome.get("problem");
            StringBuilder result = new StringBuilder("{\"line\":").append(lines.get(i))
                    .append(",\"status\":").append(((Number) outcome.get("status")).intValue());
            if (delegation != null) {
                allocated++;
                result.append(",\"delegationId\":").append(quote(delegation.get("id")))
                        .append(",\"subscriberId\":").append(quote(delegation.get("subscriberId")))
                        .append(",\"prefix\":").append(quote(delegation.get("prefix")));
            } else {
                refused++;
                result.append(",\"problem\":").append(quote(problem == null ? null : problem.get("detail")));
            }
            results.println(result.append('}'));
        }
        rows += outcomes.size();
        progress("line " + lines.get(lines.size() - 1));
    }

    private void progress(String where) {
        double seconds = (System.nanoTime() - started) / 1e9;
        System.err.printf(Locale.ROOT, "%s: %d rows, %d allocated, %d refused, %.0f rows/s%n", where, rows, allocated,
                refused, rows / Math.max(seconds, 1e-3));
    }

    /** One CSV row as JSON, typed by column. */
    private static String json(List<String> header, List<String> fields, long line) {
        if (fields.size() > header.size()) {
            fail("line " + line + " has " + fields.size() + " fields, the header " + header.size());
        }
        StringBuilder top = new StringBuilder();
        StringBuilder nas = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            String column = header.get(i).strip();
            String value = fields.get(i);
            if (value.isEmpty()) {
                continue;
            }
            String encoded = switch (column) {
                case "prefixLength" -> number(value, column, line);
                case "activate" -> Boolean.toString(Boolean.parseBoolean(value.strip()));
                case "subscriberId", "poolId", "prefix", "nas.username", "nas.nasIp", "nas.sessionId" -> quote(value);
                default -> throw failure("line 1 names an unknown column: " + column);
            };
            StringBuilder target = column.startsWith("nas.") ? nas : top;
            target.append(target.isEmpty() ? "" : ",").append(quote(column.replaceFirst("^nas\\.", ""))).append(':')
                    .append(encoded);
        }
        if (!nas.isEmpty()) {
            top.append(top.isEmpty() ? "" : ",").append("\"nas\":{").append(nas).append('}');
        }
        return "{" + top + "}";
    }

    private static String number(String value, String column, long line) {
        try {
            return Integer.toString(Integer.parseInt(value.strip()));
        } catch (NumberFormatException notANumber) {
            throw failure("line " + line + ": " + column + " is not a number: " + value);
        }
    }

    /** The fields of one CSV line: comma-separated, optionally quoted with "" for a quote inside. */
    static List<String> csv(String line) {
        if (line == null) {
            throw failure("the file is empty: a CSV file starts with a header line");
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toString().toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String sha256(String text) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static RuntimeException failure(String message) {
        fail(message);
        return new IllegalStateException(message);
    }

    private static void fail(String message) {
        System.err.println("import: " + message);
        System.exit(1);
    }

    /** Just enough JSON to read the service's answers: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            char c = text.charAt(at);
            switch (c) {
                case '{' -> {
                    Map<String, Object> object = new LinkedHashMap<>();
                    at++;
                    skipSpace();
                    if (text.charAt(at) == '}') {
                        at++;
                        return object;
                    }
                    do {
                        skipSpace();
                        String name = string();
                        skipSpace();
                        expect(':');
                        object.put(name, value());
                        skipSpace();
                    } while (text.charAt(at++) == ',');
                    return object;
                }
                case '[' -> {
                    List<Object> array = new ArrayList<>();
                    at++;
                    skipSpace();
                    if (text.charAt(at) == ']') {
                        at++;
                        return array;
                    }
                    do {
                        array.add(value());
                        skipSpace();
                    } while (text.charAt(at++) == ',');
                    return array;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    int start = at;
                    while (at < text.length() && ",}] \n\r\t".indexOf(text.charAt(at)) < 0) {
                        at++;
                    }
                    String word = text.substring(start, at);
                    return switch (word) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> Double.valueOf(word);
                    };
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            for (char c = text.charAt(at++); c != '"'; c = text.charAt(at++)) {
                if (c == '\\') {
                    char escaped = text.charAt(at++);
                    switch (escaped) {
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        default -> out.append(escaped);
                    }
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private void expect(char c) {
            if (text.charAt(at++) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (at - 1));
            }
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}

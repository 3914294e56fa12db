package dev.ipv6lifecycle.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against the running service, and problem-details assertions on its answers. */
public final class Api {

    /** The admin key of tenant default every test application seeds (src/test/resources/config/application.yml). */
    public static final String ADMIN_KEY = "test-admin-key-of-tenant-default-not-a-secret";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;
    private final int port;
    private final String bearer;

    /** Acts as an admin of tenant default. */
    public Api(int port) {
        this(HttpClient.newHttpClient(), port);
    }

    public Api(HttpClient client, int port) {
        this(client, port, ADMIN_KEY);
    }

    private Api(HttpClient client, int port, String bearer) {
        this.client = client;
        this.port = port;
        this.bearer = bearer;
    }

    /** The same service, called with another API key or JWT. */
    public Api as(String bearerToken) {
        return new Api(client, port, bearerToken);
    }

    /** The same service, called without credentials. */
    public Api anonymous() {
        return new Api(client, port, null);
    }

    public int port() {
        return port;
    }

    public Answer get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Answer delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    public Answer post(String path, String json) {
        return send("POST", path, json, Map.of("Content-Type", "application/json"));
    }

    public Answer post(String path, String json, String idempotencyKey) {
        return send("POST", path, json, Map.of("Content-Type", "application/json", "Idempotency-Key", idempotencyKey));
    }

    public Answer send(String method, String path, String body, Map<String, String> headers) {
        List<String> namesAndValues = new ArrayList<>();
        headers.forEach((name, value) -> {
            namesAndValues.add(name);
            namesAndValues.add(value);
        });
        return send(method, path, body, namesAndValues);
    }

    /** A POST whose body is these bytes as they are, e.g. text in a charset other than UTF-8. */
    public Answer sendBytes(String path, byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return exchange(request);
    }

    private Answer exchange(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Headers as name, value, name, value...: a name may repeat. */
    public Answer send(String method, String path, String body, List<String> headerNamesAndValues) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        boolean authorizationGiven = false;
        for (int i = 0; i < headerNamesAndValues.size(); i += 2) {
            request.header(headerNamesAndValues.get(i), headerNamesAndValues.get(i + 1));
            authorizationGiven |= "Authorization".equalsIgnoreCase(headerNamesAndValues.get(i));
        }
        if (bearer != null && !authorizationGiven) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return exchange(request);
    }

    /**
     * The request written by hand, for what java.net.http will not send: a header with a control character
     * (it refuses C0 ones and sends C1 ones as '?') or another byte beyond ASCII. HTTP/1.0, so that the answer
     * is neither chunked nor kept alive; header values go out as ISO-8859-1, one byte per character.
     */
    public Answer sendByHand(String method, String path, String body, List<String> headerNamesAndValues) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: " + bytes.length + "\r\n");
        boolean authorizationGiven = false;
        for (int i = 0; i < headerNamesAndValues.size(); i += 2) {
            head.append(headerNamesAndValues.get(i)).append(": ").append(headerNamesAndValues.get(i + 1)).append("\r\n");
            authorizationGiven |= "Authorization".equalsIgnoreCase(headerNamesAndValues.get(i));
        }
        if (bearer != null && !authorizationGiven) {
            head.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(bytes);
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int endOfHead = answer.indexOf("\r\n\r\n");
        String[] lines = answer.substring(0, endOfHead).split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, answer.substring(endOfHead + 4));
    }

    public record Answer(int status, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** Asserts an RFC 9457 answer with the given status and type, and returns its JSON. */
        public JsonNode assertProblem(int expectedStatus, String type) {
            assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
            assertThat(header("Content-Type")).as("content type of %s", body).isEqualTo("application/problem+json");
            JsonNode problem = json();
            assertThat(problem.path("type").asString()).as("type of %s", body)
                    .isEqualTo("urn:ipv6-lifecycle:problem:" + type);
            assertThat(problem.path("status").asInt()).isEqualTo(expectedStatus);
            assertThat(problem.path("title").asString()).isNotBlank();
            assertThat(problem.path("detail").asString()).isNotBlank();
            return problem;
        }
    }
}

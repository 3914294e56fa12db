package dev.ipv6lifecycle.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful stand-in for the part of NetBox 4's REST API that the IPv6 lifecycle service uses, on
 * 127.0.0.1 and a free port, so tests exercise the real HTTP client against real request and response
 * shapes without a NetBox.
 *
 * <p>What it reproduces, from NetBox's documentation and source ({@code docs/integrations/rest-api.md},
 * {@code docs/reference/filtering.md}, {@code ipam/api/serializers_/ip.py}, {@code ipam/filtersets.py},
 * {@code Prefix.clean()}):
 * <ul>
 *   <li>{@code /api/ipam/prefixes/}: list (filters {@code id}, {@code prefix}, {@code description},
 *       {@code description__isw}, {@code description__ic}, {@code status}, {@code tenant} (slug),
 *       {@code tenant_id}, {@code vrf_id}; other parameters are ignored, as NetBox does), paginated with
 *       {@code limit}/{@code offset} and {@code {count, next, previous, results}} (default page 50, at most
 *       1000); create (201, the full object); {@code /api/ipam/prefixes/{id}/}: get, PATCH (200), DELETE
 *       (204), 404 {@code {"detail": "Not found."}} for an unknown id;</li>
 *   <li>validation errors as 400 with field errors, e.g. {@code {"prefix": ["Duplicate prefix found in global
 *       table: 2001:db8::/56"]}} (global uniqueness is enforced, NetBox's default {@code ENFORCE_GLOBAL_UNIQUE}),
 *       {@code {"description": ["Ensure this field has no more than 200 characters."]}};</li>
 *   <li>{@code /api/tenancy/tenants/} list with the {@code slug} filter;</li>
 *   <li>token authentication: {@code Authorization: Token <token>} or {@code Bearer <token>} (NetBox 4.5
 *       accepts either keyword; v2 tokens look like {@code nbt_<key>.<secret>}); a wrong token is 403
 *       {@code {"detail": "Invalid v1 token"}} (or {@code v2} for an {@code nbt_} token), a missing one 403
 *       {@code {"detail": "Authentication credentials were not provided."}};</li>
 *   <li>a path without its trailing slash is a 301 to the path with it (Django's {@code APPEND_SLASH}).</li>
 * </ul>
 *
 * <p>Controls for tests: {@link #failNext(int, int)} (500 as NetBox's JSON error, 502..504 as a reverse
 * proxy's HTML page, 429 throttled), {@link #delay(Duration)}, {@link #records()}, {@link #requests()},
 * {@link #seedTenant(String, String)}, {@link #seedVrf(String)}, {@link #seedPrefix(String, String, String)}.
 * It stops by itself on {@link #close()}.
 */
public final class NetBoxEmulator implements AutoCloseable {

    /** A v1 (40 hexadecimal characters) token that {@link #start()} accepts. */
    public static final String DEFAULT_TOKEN = "0123456789abcdef0123456789abcdef01234567";

    private static final String PREFIXES = "/api/ipam/prefixes/";
    private static final String TENANTS = "/api/tenancy/tenants/";
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 1000;
    private static final int DESCRIPTION_MAX = 200;

    private final JsonMapper json = JsonMapper.builder().build();
    private final String token;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;

    private final Object lock = new Object();
    private final Map<Integer, Prefix> prefixes = new TreeMap<>();
    private final Map<Integer, Tenant> tenants = new TreeMap<>();
    private final Map<Integer, Vrf> vrfs = new TreeMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private int nextPrefixId = 1;
    private int nextTenantId = 1;
    private int nextVrfId = 1;
    private int failuresLeft;
    private int failureStatus;
    private String failureMethod;
    private Duration delay = Duration.ZERO;

    private NetBoxEmulator(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Daemon threads, interrupted on close, so a delayed answer never outlives the test.
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "netbox-emulator");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts an emulator that accepts {@link #DEFAULT_TOKEN}. */
    public static NetBoxEmulator start() {
        return start(DEFAULT_TOKEN);
    }

    /** Starts an emulator that accepts exactly {@code token} (v1 hex, or v2 {@code nbt_<key>.<secret>}). */
    public static NetBoxEmulator start(String token) {
        try {
            return new NetBoxEmulator(token);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the NetBox emulator on 127.0.0.1", e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123}, without {@code /api}. */
    public String url() {
        return baseUrl;
    }

    /** The token this emulator accepts. */
    public String token() {
        return token;
    }

    /** The next {@code count} requests, whatever they are, answer {@code status} with a NetBox-like body. */
    public void failNext(int count, int status) {
        failNext(count, status, null);
    }

    /**
     * The next {@code count} requests with this HTTP method (all methods if null) answer {@code status}; e.g.
     * {@code failNext(1, 404, "DELETE")} for a record someone deleted between a lookup and the delete.
     */
    public void failNext(int count, int status, String method) {
        synchronized (lock) {
            failuresLeft = count;
            failureStatus = status;
            failureMethod = method == null ? null : method.toUpperCase(Locale.ROOT);
        }
    }

    /** Every following request waits this long before it is answered; {@link Duration#ZERO} to stop. */
    public void delay(Duration delay) {
        synchronized (lock) {
            this.delay = delay;
        }
    }

    /** Creates a tenant and returns its id. */
    public int seedTenant(String slug, String name) {
        synchronized (lock) {
            Tenant tenant = new Tenant(nextTenantId++, name, slug, now());
            tenants.put(tenant.id(), tenant);
            return tenant.id();
        }
    }

    /** Creates a VRF and returns its id. */
    public int seedVrf(String name) {
        synchronized (lock) {
            Vrf vrf = new Vrf(nextVrfId++, name);
            vrfs.put(vrf.id(), vrf);
            return vrf.id();
        }
    }

    /**
     * Creates a prefix as someone else (or an earlier run) would have, bypassing validation, and returns its
     * id; {@code tenantSlug} may be null, and must name a seeded tenant otherwise.
     */
    public int seedPrefix(String prefix, String description, String tenantSlug) {
        synchronized (lock) {
            Integer tenantId = null;
            if (tenantSlug != null) {
                tenantId = tenants.values().stream().filter(t -> t.slug().equals(tenantSlug)).findFirst()
                        .map(Tenant::id)
                        .orElseThrow(() -> new IllegalArgumentException("no seeded tenant " + tenantSlug));
            }
            String created = now();
            Prefix record = new Prefix(nextPrefixId++, normalise(prefix).orElseThrow(
                    () -> new IllegalArgumentException("not a prefix: " + prefix)), null, tenantId, "active",
                    description, created, created);
            prefixes.put(record.id(), record);
            return record.id();
        }
    }

    /** The prefixes NetBox holds now, by id. */
    public List<PrefixRecord> records() {
        synchronized (lock) {
            return prefixes.values().stream()
                    .map(p -> new PrefixRecord(p.id(), p.prefix(), p.status(),
                            p.tenantId() == null ? null : tenants.get(p.tenantId()).slug(), p.vrfId(),
                            p.description()))
                    .collect(Collectors.toList());
        }
    }

    /** Every request received so far, in order (including those answered with a failure). */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the request log. */
    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A prefix as NetBox holds it; {@code tenantSlug} and {@code vrfId} may be null. */
    public record PrefixRecord(int id, String prefix, String status, String tenantSlug, Integer vrfId,
                               String description) {
    }

    /**
     * One request as received; {@code authorization} is the raw header (tests check the scheme with it),
     * {@code body} the raw text, empty when there was none.
     */
    public record Request(String method, String path, String query, String authorization, String body) {
    }

    private record Prefix(int id, String prefix, Integer vrfId, Integer tenantId, String status,
                          String description, String created, String lastUpdated) {
    }

    private record Tenant(int id, String name, String slug, String created) {
    }

    private record Vrf(int id, String name) {
    }

    /** An answer: the status, a content type and the body (null for 204). */
    private record Answer(int status, String contentType, String body, String location) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body, null);
        }
    }

    // ---- request handling ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(method, uri.getRawPath(), uri.getRawQuery(), authorization, body));

            Duration wait;
            Integer failure = null;
            synchronized (lock) {
                wait = delay;
                if (failuresLeft > 0 && (failureMethod == null || failureMethod.equals(method))) {
                    failuresLeft--;
                    failure = failureStatus;
                }
            }
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // closing: drop the exchange
                }
            }
            Answer answer = failure != null ? failure(failure) : route(method, uri, authorization, body);
            send(exchange, answer);
        } catch (IOException e) {
            // The client went away (it timed out); nothing to answer.
        }
    }

    private void send(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("API-Version", "4.5");
        if (answer.location() != null) {
            exchange.getResponseHeaders().set("Location", answer.location());
        }
        if (answer.body() == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Answer failure(int status) {
        if (status == 500) {
            // NetBox's own handler for an unhandled exception in the API (netbox/api/views: rest_api_server_error).
            return Answer.json(500, "{\"error\": \"Server Error\", \"exception\": \"OperationalError\", "
                    + "\"netbox_version\": \"4.5.0\", \"python_version\": \"3.12.3\"}");
        }
        if (status == 404) {
            return notFound();
        }
        if (status == 429) {
            return Answer.json(429, "{\"detail\": \"Request was throttled.\"}");
        }
        if (status >= 500) {
            String reason = status == 502 ? "Bad Gateway" : status == 503 ? "Service Temporarily Unavailable"
                    : status == 504 ? "Gateway Time-out" : "Error";
            // What the reverse proxy in front of NetBox (nginx) answers when gunicorn is down or slow.
            return new Answer(status, "text/html", "<html>\r\n<head><title>" + status + " " + reason
                    + "</title></head>\r\n<body>\r\n<center><h1>" + status + " " + reason
                    + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", null);
        }
        return Answer.json(status, "{\"detail\": \"Emulated failure " + status + ".\"}");
    }

    private Answer route(String method, URI uri, String authorization, String body) {
        String path = uri.getRawPath();
        if (!path.endsWith("/")) {
            String location = path + "/" + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return new Answer(301, "text/html", "", location);
        }
        Answer denied = authenticate(authorization);
        if (denied != null) {
            return denied;
        }
        Map<String, List<String>> query = parseQuery(uri.getRawQuery());
        synchronized (lock) {
            if (path.equals(PREFIXES)) {
                if (method.equals("GET")) {
                    return listPrefixes(query, path);
                }
                if (method.equals("POST")) {
                    return createPrefix(body);
                }
                return methodNotAllowed(method);
            }
            if (path.startsWith(PREFIXES)) {
                Integer id = parseId(path.substring(PREFIXES.length(), path.length() - 1));
                Prefix existing = id == null ? null : prefixes.get(id);
                if (existing == null) {
                    return notFound();
                }
                if (method.equals("GET")) {
                    return Answer.json(200, write(prefixJson(existing)));
                }
                if (method.equals("PATCH")) {
                    return patchPrefix(existing, body);
                }
                if (method.equals("DELETE")) {
                    prefixes.remove(id);
                    return new Answer(204, null, null, null);
                }
                return methodNotAllowed(method);
            }
            if (path.equals(TENANTS)) {
                if (method.equals("GET")) {
                    return listTenants(query, path);
                }
                return methodNotAllowed(method);
            }
        }
        return notFound();
    }

    private Answer authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Answer.json(403, "{\"detail\": \"Authentication credentials were not provided.\"}");
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        String keyword = parts[0].toLowerCase(Locale.ROOT);
        if (parts.length < 2 || !(keyword.equals("token") || keyword.equals("bearer"))) {
            return Answer.json(403, "{\"detail\": \"Authentication credentials were not provided.\"}");
        }
        if (!parts[1].equals(token)) {
            String version = parts[1].startsWith("nbt_") ? "v2" : "v1";
            return Answer.json(403, "{\"detail\": \"Invalid " + version + " token\"}");
        }
        return null;
    }

    private Answer listPrefixes(Map<String, List<String>> query, String path) {
        Predicate<Prefix> filter = p -> true;
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            List<String> values = parameter.getValue();
            switch (parameter.getKey()) {
                case "id":
                    filter = filter.and(p -> values.contains(String.valueOf(p.id())));
                    break;
                case "prefix":
                    // NetBox parses each value as a network and silently drops the unparsable ones.
                    List<String> wanted = values.stream().map(NetBoxEmulator::normalise).flatMap(Optional::stream)
                            .collect(Collectors.toList());
                    filter = filter.and(p -> wanted.contains(p.prefix()));
                    break;
                case "description":
                    filter = filter.and(p -> values.contains(p.description()));
                    break;
                case "description__isw":
                    filter = filter.and(p -> values.stream().anyMatch(v -> p.description().toLowerCase(Locale.ROOT)
                            .startsWith(v.toLowerCase(Locale.ROOT))));
                    break;
                case "description__ic":
                    filter = filter.and(p -> values.stream().anyMatch(v -> p.description().toLowerCase(Locale.ROOT)
                            .contains(v.toLowerCase(Locale.ROOT))));
                    break;
                case "status":
                    filter = filter.and(p -> values.contains(p.status()));
                    break;
                case "tenant":
                    filter = filter.and(p -> p.tenantId() != null
                            && values.contains(tenants.get(p.tenantId()).slug()));
                    break;
                case "tenant_id":
                    filter = filter.and(p -> p.tenantId() != null && values.contains(String.valueOf(p.tenantId())));
                    break;
                case "vrf_id":
                    filter = filter.and(p -> values.contains(p.vrfId() == null ? "null" : String.valueOf(p.vrfId())));
                    break;
                default:
                    break; // limit, offset, brief, ordering and filters this emulator does not know
            }
        }
        // NetBox's default ordering of prefixes: VRF (global first), then prefix, then id.
        List<ObjectNode> matching = prefixes.values().stream().filter(filter)
                .sorted(Comparator.comparing((Prefix p) -> p.vrfId() == null ? 0 : p.vrfId())
                        .thenComparing(p -> parse(p.prefix()), NetBoxEmulator::compareNetworks)
                        .thenComparingInt(Prefix::id))
                .map(this::prefixJson)
                .collect(Collectors.toList());
        return Answer.json(200, write(page(matching, query, path)));
    }

    private Answer listTenants(Map<String, List<String>> query, String path) {
        List<String> slugs = query.get("slug");
        List<ObjectNode> matching = tenants.values().stream()
                .filter(t -> slugs == null || slugs.contains(t.slug()))
                .map(this::tenantJson)
                .collect(Collectors.toList());
        return Answer.json(200, write(page(matching, query, path)));
    }

    /** Django REST framework's LimitOffsetPagination, as NetBox configures it. */
    private ObjectNode page(List<ObjectNode> all, Map<String, List<String>> query, String path) {
        int limit = intParameter(query, "limit", DEFAULT_PAGE);
        if (limit <= 0 || limit > MAX_PAGE) {
            limit = MAX_PAGE;
        }
        int offset = Math.max(0, intParameter(query, "offset", 0));
        ObjectNode page = json.createObjectNode();
        page.put("count", all.size());
        if (offset + limit < all.size()) {
            page.put("next", pageUrl(path, query, limit, offset + limit));
        } else {
            page.putNull("next");
        }
        if (offset > 0) {
            page.put("previous", pageUrl(path, query, limit, offset - limit <= 0 ? null : offset - limit));
        } else {
            page.putNull("previous");
        }
        ArrayNode results = page.putArray("results");
        all.stream().skip(offset).limit(limit).forEach(results::add);
        return page;
    }

    private String pageUrl(String path, Map<String, List<String>> query, int limit, Integer offset) {
        // DRF's replace_query_param re-encodes the parameters sorted by name.
        Map<String, List<String>> parameters = new TreeMap<>(query);
        parameters.put("limit", List.of(String.valueOf(limit)));
        parameters.remove("offset");
        if (offset != null) {
            parameters.put("offset", List.of(String.valueOf(offset)));
        }
        String encoded = parameters.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        return baseUrl + path + "?" + encoded;
    }

    private Answer createPrefix(String body) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JacksonException e) {
            return Answer.json(400, "{\"detail\": \"JSON parse error - " + jsonEscape(e.getOriginalMessage()) + "\"}");
        }
        if (request == null || !request.isObject()) {
            return Answer.json(400, "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got "
                    + (request == null ? "NoneType" : request.getNodeType().toString().toLowerCase(Locale.ROOT))
                    + ".\"]}");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String prefix = null;
        JsonNode prefixField = request.get("prefix");
        if (prefixField == null || prefixField.isNull()) {
            errors.put("prefix", "This field is required.");
        } else {
            prefix = validPrefix(prefixField.asString(), errors);
        }
        Fields fields = validateFields(request, errors, "active", "", null, null);
        if (prefix != null && errors.isEmpty()) {
            duplicate(prefix, fields.vrfId(), null).ifPresent(message -> errors.put("prefix", message));
        }
        if (!errors.isEmpty()) {
            return fieldErrors(errors);
        }
        String created = now();
        Prefix record = new Prefix(nextPrefixId++, prefix, fields.vrfId(), fields.tenantId(), fields.status(),
                fields.description(), created, created);
        prefixes.put(record.id(), record);
        return Answer.json(201, write(prefixJson(record)));
    }

    private Answer patchPrefix(Prefix existing, String body) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JacksonException e) {
            return Answer.json(400, "{\"detail\": \"JSON parse error - " + jsonEscape(e.getOriginalMessage()) + "\"}");
        }
        if (request == null || !request.isObject()) {
            return Answer.json(400, "{\"non_field_errors\": [\"Invalid data. Expected a dictionary.\"]}");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String prefix = existing.prefix();
        if (request.has("prefix")) {
            prefix = validPrefix(request.get("prefix").asString(), errors);
        }
        Fields fields = validateFields(request, errors, existing.status(), existing.description(),
                existing.tenantId(), existing.vrfId());
        if (prefix != null && errors.isEmpty()) {
            duplicate(prefix, fields.vrfId(), existing.id()).ifPresent(message -> errors.put("prefix", message));
        }
        if (!errors.isEmpty()) {
            return fieldErrors(errors);
        }
        Prefix updated = new Prefix(existing.id(), prefix, fields.vrfId(), fields.tenantId(), fields.status(),
                fields.description(), existing.created(), now());
        prefixes.put(updated.id(), updated);
        return Answer.json(200, write(prefixJson(updated)));
    }

    private record Fields(String status, String description, Integer tenantId, Integer vrfId) {
    }

    private Fields validateFields(JsonNode request, Map<String, String> errors, String status, String description,
                                  Integer tenantId, Integer vrfId) {
        if (request.has("status")) {
            String value = request.get("status").asString();
            if (List.of("container", "active", "reserved", "deprecated").contains(value)) {
                status = value;
            } else {
                errors.put("status", "\"" + value + "\" is not a valid choice.");
            }
        }
        if (request.has("description")) {
            String value = request.get("description").asString();
            if (value.codePointCount(0, value.length()) > DESCRIPTION_MAX) {
                errors.put("description", "Ensure this field has no more than " + DESCRIPTION_MAX + " characters.");
            } else {
                description = value;
            }
        }
        if (request.has("tenant")) {
            JsonNode value = request.get("tenant");
            if (value.isNull()) {
                tenantId = null;
            } else if (value.isIntegralNumber() && tenants.containsKey(value.asInt())) {
                tenantId = value.asInt();
            } else if (value.isIntegralNumber()) {
                errors.put("tenant", "Related object not found using the provided numeric ID: " + value.asInt());
            } else {
                errors.put("tenant", "Related objects must be referenced by numeric ID or by dictionary of "
                        + "attributes. Received an unrecognized value: " + value.asString());
            }
        }
        if (request.has("vrf")) {
            JsonNode value = request.get("vrf");
            if (value.isNull()) {
                vrfId = null;
            } else if (value.isIntegralNumber() && vrfs.containsKey(value.asInt())) {
                vrfId = value.asInt();
            } else {
                errors.put("vrf", "Related object not found using the provided numeric ID: " + value.asString());
            }
        }
        return new Fields(status, description, tenantId, vrfId);
    }

    private String validPrefix(String text, Map<String, String> errors) {
        Optional<String> normalised = normalise(text);
        if (normalised.isEmpty()) {
            errors.put("prefix", "Invalid IP prefix format: " + text);
            return null;
        }
        IPAddress network = parse(normalised.get());
        if (!network.isPrefixBlock()) {
            errors.put("prefix", text + " is not a valid prefix. Did you mean "
                    + network.toPrefixBlock().toCanonicalString() + "?");
            return null;
        }
        if (network.getNetworkPrefixLength() == 0) {
            errors.put("prefix", "Cannot create prefix with /0 mask.");
            return null;
        }
        return normalised.get();
    }

    /** Prefix.clean(): global uniqueness (ENFORCE_GLOBAL_UNIQUE, True by default) for prefixes outside a VRF. */
    private Optional<String> duplicate(String prefix, Integer vrfId, Integer self) {
        if (vrfId != null) {
            return Optional.empty(); // VRFs enforce uniqueness only when configured to; these do not
        }
        return prefixes.values().stream()
                .filter(p -> p.vrfId() == null && p.prefix().equals(prefix) && !Integer.valueOf(p.id()).equals(self))
                .findFirst()
                .map(p -> "Duplicate prefix found in global table: " + p.prefix());
    }

    private Answer fieldErrors(Map<String, String> errors) {
        ObjectNode body = json.createObjectNode();
        errors.forEach((field, message) -> body.putArray(field).add(message));
        return Answer.json(400, write(body));
    }

    private static Answer notFound() {
        return Answer.json(404, "{\"detail\": \"Not found.\"}");
    }

    private static Answer methodNotAllowed(String method) {
        return Answer.json(405, "{\"detail\": \"Method \\\"" + method + "\\\" not allowed.\"}");
    }

    // ---- representations ----

    private ObjectNode prefixJson(Prefix p) {
        ObjectNode node = json.createObjectNode();
        node.put("id", p.id());
        node.put("url", baseUrl + PREFIXES + p.id() + "/");
        node.put("display_url", baseUrl + "/ipam/prefixes/" + p.id() + "/");
        node.put("display", p.prefix());
        node.putNull("aggregate");
        node.putNull("rir");
        boolean ipv4 = parse(p.prefix()).isIPv4();
        ObjectNode family = node.putObject("family");
        family.put("value", ipv4 ? 4 : 6);
        family.put("label", ipv4 ? "IPv4" : "IPv6");
        node.put("prefix", p.prefix());
        if (p.vrfId() == null) {
            node.putNull("vrf");
        } else {
            Vrf vrf = vrfs.get(p.vrfId());
            ObjectNode nested = node.putObject("vrf");
            nested.put("id", vrf.id());
            nested.put("url", baseUrl + "/api/ipam/vrfs/" + vrf.id() + "/");
            nested.put("display", vrf.name());
            nested.put("name", vrf.name());
            nested.putNull("rd");
            nested.put("description", "");
        }
        node.putNull("scope_type");
        node.putNull("scope_id");
        node.putNull("scope");
        if (p.tenantId() == null) {
            node.putNull("tenant");
        } else {
            Tenant tenant = tenants.get(p.tenantId());
            ObjectNode nested = node.putObject("tenant");
            nested.put("id", tenant.id());
            nested.put("url", baseUrl + TENANTS + tenant.id() + "/");
            nested.put("display", tenant.name());
            nested.put("name", tenant.name());
            nested.put("slug", tenant.slug());
            nested.put("description", "");
        }
        node.putNull("vlan");
        ObjectNode status = node.putObject("status");
        status.put("value", p.status());
        status.put("label", p.status().substring(0, 1).toUpperCase(Locale.ROOT) + p.status().substring(1));
        node.putNull("role");
        node.put("is_pool", false);
        node.put("mark_utilized", false);
        node.put("description", p.description());
        node.put("comments", "");
        node.putArray("tags");
        node.putObject("custom_fields");
        node.put("created", p.created());
        node.put("last_updated", p.lastUpdated());
        node.put("children", 0);
        node.put("_depth", 0);
        return node;
    }

    private ObjectNode tenantJson(Tenant t) {
        ObjectNode node = json.createObjectNode();
        node.put("id", t.id());
        node.put("url", baseUrl + TENANTS + t.id() + "/");
        node.put("display_url", baseUrl + "/tenancy/tenants/" + t.id() + "/");
        node.put("display", t.name());
        node.put("name", t.name());
        node.put("slug", t.slug());
        node.putNull("group");
        node.put("description", "");
        node.put("comments", "");
        node.putArray("tags");
        node.putObject("custom_fields");
        node.put("created", t.created());
        node.put("last_updated", t.created());
        node.put("prefix_count", prefixes.values().stream().filter(p -> Integer.valueOf(t.id()).equals(p.tenantId()))
                .count());
        return node;
    }

    // ---- helpers ----

    private String write(JsonNode node) {
        return json.writeValueAsString(node);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
    }

    /** NetBox stores networks with netaddr, whose text form of an IPv6 network is the RFC 5952 one. */
    private static Optional<String> normalise(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            IPAddressString string = new IPAddressString(text.trim());
            if (!string.isPrefixed()) {
                return Optional.empty();
            }
            IPAddress address = string.toAddress();
            return Optional.of(address.toCanonicalString());
        } catch (AddressStringException e) {
            return Optional.empty();
        }
    }

    private static IPAddress parse(String canonical) {
        return new IPAddressString(canonical).getAddress();
    }

    private static int compareNetworks(IPAddress a, IPAddress b) {
        int byAddress = a.getLower().getValue().compareTo(b.getLower().getValue());
        return byAddress != 0 ? byAddress
                : Integer.compare(a.getNetworkPrefixLength(), b.getNetworkPrefixLength());
    }

    private static Integer parseId(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int intParameter(Map<String, List<String>> query, String name, int fallback) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(values.get(0));
        } catch (NumberFormatException e) {
            return fallback; // DRF ignores an unparsable limit or offset
        }
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String jsonEscape(String text) {
        return text == null ? "" : text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
    }
}

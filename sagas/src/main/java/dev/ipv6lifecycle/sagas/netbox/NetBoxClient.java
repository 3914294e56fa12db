package dev.ipv6lifecycle.sagas.netbox;

import dev.ipv6lifecycle.api.InvalidPrefixException;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.sagas.network.Ipam;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link Ipam} on NetBox 4's REST API: one NetBox prefix (status active, the tenant whose slug is our tenant id,
 * a description that marks it as ours, see {@link RecordDescription}) per delegated prefix.
 *
 * <p>Every call looks before it writes, so repeating one (a saga retry after a lost answer) changes nothing.
 * NetBox's answers map onto outcomes as the sagas need them: 2xx succeeded; 429, 5xx, timeouts and connection
 * failures unreachable (worth retrying); any other answer rejected, with NetBox's own error text. The token
 * goes into the Authorization header and nowhere else: not into outcomes, exceptions or logs.
 */
final class NetBoxClient implements Ipam {

    private static final Logger log = LoggerFactory.getLogger(NetBoxClient.class);

    private static final String PREFIXES = "/api/ipam/prefixes/";
    private static final String TENANTS = "/api/tenancy/tenants/";
    /** Our records of one prefix: normally zero or one; enough for any leftovers too. */
    private static final int LOOKUP_LIMIT = 100;
    private static final int DETAIL_MAX = 300;
    private static final Pattern HTML_TITLE = Pattern.compile("<title>\\s*(.*?)\\s*</title>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final String base;
    private final String token;
    private final String authorization;
    private final Duration timeout;
    private final Integer vrfId;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    /** Tenant slug to NetBox id; only found tenants are cached, so a tenant created later is picked up. */
    private final Map<String, Integer> tenantIds = new ConcurrentHashMap<>();

    NetBoxClient(NetBoxProperties properties) {
        if (!properties.configured()) {
            throw new IllegalArgumentException("netbox.url and netbox.token must both be set");
        }
        String url = properties.url().toString().replaceAll("/+$", "");
        String scheme = properties.url().getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || properties.url().getHost() == null) {
            throw new IllegalArgumentException("netbox.url must be an http(s) URL such as https://netbox.example.net,"
                    + " not " + properties.url());
        }
        this.base = url.endsWith("/api") ? url.substring(0, url.length() - "/api".length()) : url;
        this.token = properties.token().trim();
        // NetBox 4.5 v2 tokens ("nbt_<key>.<secret>") are Bearer credentials; v1 tokens use the Token keyword.
        this.authorization = (token.startsWith("nbt_") ? "Bearer " : "Token ") + token;
        this.timeout = properties.timeout();
        this.vrfId = properties.vrfId();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                // A redirect means a wrong URL (http to https, a missing path); following it would turn a POST
                // into a GET, so it is reported instead.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public NetworkOutcome record(String tenantId, Ipv6Prefix prefix, String subscriberId, UUID delegationId) {
        try {
            return recordOrThrow(tenantId, prefix, subscriberId, delegationId);
        } catch (Unreachable e) {
            log.debug("Recording {} for delegation {} in NetBox: {}", prefix, delegationId, e.getMessage());
            return NetworkOutcome.unreachable(detail(e.getMessage()));
        } catch (Rejected e) {
            tenantIds.remove(String.valueOf(tenantId)); // a stale cached tenant id is one way to be rejected
            log.debug("Recording {} for delegation {} in NetBox: {}", prefix, delegationId, e.getMessage());
            return NetworkOutcome.rejected(detail(e.getMessage()));
        }
    }

    @Override
    public NetworkOutcome release(String tenantId, Ipv6Prefix prefix, UUID delegationId) {
        try {
            List<OurRecord> records = ourRecords(prefix).stream()
                    .filter(r -> r.description().delegationId().equals(delegationId))
                    .collect(Collectors.toList());
            if (records.isEmpty()) {
                return NetworkOutcome.succeeded("nothing to release: NetBox holds no record of " + prefix
                        + " for delegation " + delegationId);
            }
            List<Integer> deleted = new ArrayList<>();
            for (OurRecord record : records) {
                Reply reply = send("DELETE", PREFIXES + record.id() + "/", null);
                if (reply.status() != 404) { // already gone is as good as deleted
                    expect(reply);
                }
                deleted.add(record.id());
            }
            return NetworkOutcome.succeeded("deleted NetBox prefix " + ids(deleted) + " (" + prefix + ")");
        } catch (Unreachable e) {
            return NetworkOutcome.unreachable(detail(e.getMessage()));
        } catch (Rejected e) {
            return NetworkOutcome.rejected(detail(e.getMessage()));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code offset} counts NetBox records carrying our marker, in NetBox's order (VRF, prefix, id), so a
     * caller pages on with {@code offset + limit}. Records whose description no longer parses (edited by hand)
     * are left out with a warning; a page made only of those is skipped, so that an empty list still means the
     * end. NetBox caps a page at its {@code MAX_PAGE_SIZE} (1000 by default).
     */
    @Override
    public List<IpamRecord> recorded(int offset, int limit) {
        if (offset < 0 || limit < 1) {
            // limit=0 would ask NetBox for everything in one answer
            throw new IllegalArgumentException("offset must be >= 0 and limit >= 1, not " + offset + "/" + limit);
        }
        try {
            int at = offset;
            while (true) {
                JsonNode page = expect(send("GET", PREFIXES + "?description__isw=" + encode(RecordDescription.MARKER)
                        + "&limit=" + limit + "&offset=" + at, null));
                JsonNode results = page.path("results");
                if (!results.isArray()) {
                    throw new Unreachable("NetBox answered a prefix list without results");
                }
                List<IpamRecord> records = new ArrayList<>();
                for (JsonNode result : results) {
                    toIpamRecord(result).ifPresent(records::add);
                }
                if (!records.isEmpty() || results.isEmpty() || !page.path("next").isString()) {
                    return records;
                }
                at += results.size();
            }
        } catch (Unreachable | Rejected e) {
            throw new IpamUnavailableException(detail(e.getMessage()));
        }
    }

    // ---- record ----

    private NetworkOutcome recordOrThrow(String tenantId, Ipv6Prefix prefix, String subscriberId, UUID delegationId)
            throws Unreachable, Rejected {
        List<OurRecord> ours = ourRecords(prefix);
        Optional<OurRecord> same = ours.stream()
                .filter(r -> r.description().delegationId().equals(delegationId)).findFirst();
        if (same.isPresent()) {
            return NetworkOutcome.succeeded("already recorded: NetBox prefix #" + same.get().id() + " (" + prefix
                    + ") names delegation " + delegationId);
        }
        Integer netboxTenant = tenant(tenantId);
        String tenantNote = netboxTenant != null ? ""
                : "; recorded without tenant: NetBox has no tenant with slug '" + tenantId + "'";
        ObjectNode fields = json.createObjectNode();
        fields.put("status", "active");
        fields.put("description",
                new RecordDescription(delegationId, tenantId == null ? "" : tenantId, subscriberId).text());
        if (netboxTenant == null) {
            fields.putNull("tenant");
        } else {
            fields.put("tenant", netboxTenant);
        }

        if (!ours.isEmpty()) {
            // Ours, for an earlier delegation: the prefix came back out of quarantine to the same subscriber or
            // the earlier release was lost. Move the record rather than make a second one.
            OurRecord previous = ours.get(0);
            Reply patched = send("PATCH", PREFIXES + previous.id() + "/", fields);
            if (patched.status() != 404) { // deleted meanwhile: create it afresh below
                expect(patched);
                return NetworkOutcome.succeeded("NetBox prefix #" + previous.id() + " (" + prefix
                        + ") moved from delegation " + previous.description().delegationId() + " to " + delegationId
                        + tenantNote);
            }
        }

        fields.put("prefix", prefix.canonical());
        if (vrfId != null) {
            fields.put("vrf", vrfId);
        }
        Reply created = send("POST", PREFIXES, fields);
        if (created.status() == 400) {
            // Another attempt for this delegation may have won the race (NetBox then says "Duplicate prefix").
            Optional<OurRecord> raced = ourRecords(prefix).stream()
                    .filter(r -> r.description().delegationId().equals(delegationId)).findFirst();
            if (raced.isPresent()) {
                return NetworkOutcome.succeeded("already recorded: NetBox prefix #" + raced.get().id() + " ("
                        + prefix + ") names delegation " + delegationId);
            }
        }
        JsonNode body = expect(created);
        return NetworkOutcome.succeeded("recorded " + prefix + " in NetBox as prefix #" + body.path("id").asInt()
                + tenantNote);
    }

    /** The NetBox id of the tenant whose slug is {@code tenantId}, or null if NetBox has none. */
    private Integer tenant(String tenantId) throws Unreachable, Rejected {
        if (tenantId == null || tenantId.isBlank()) {
            return null;
        }
        Integer cached = tenantIds.get(tenantId);
        if (cached != null) {
            return cached;
        }
        JsonNode page = expect(send("GET", TENANTS + "?slug=" + encode(tenantId) + "&limit=1", null));
        JsonNode first = page.path("results").path(0);
        if (!first.path("id").isIntegralNumber()) {
            return null;
        }
        int id = first.path("id").asInt();
        tenantIds.put(tenantId, id);
        return id;
    }

    // ---- reading our records ----

    private record OurRecord(int id, RecordDescription description, String tenantSlug) {
    }

    /** The records of exactly this prefix that this service made, in any VRF, whichever delegation they name. */
    private List<OurRecord> ourRecords(Ipv6Prefix prefix) throws Unreachable, Rejected {
        JsonNode page = expect(send("GET", PREFIXES + "?prefix=" + encode(prefix.canonical())
                + "&description__isw=" + encode(RecordDescription.MARKER) + "&limit=" + LOOKUP_LIMIT, null));
        List<OurRecord> records = new ArrayList<>();
        for (JsonNode result : page.path("results")) {
            Optional<RecordDescription> description = RecordDescription.parse(result.path("description").asString());
            if (description.isPresent() && prefix.canonical().equals(canonical(result.path("prefix").asString()))) {
                records.add(new OurRecord(result.path("id").asInt(), description.get(), tenantSlug(result)));
            }
        }
        return records;
    }

    private Optional<IpamRecord> toIpamRecord(JsonNode result) {
        Optional<RecordDescription> description = RecordDescription.parse(result.path("description").asString());
        if (description.isEmpty()) {
            log.warn("NetBox prefix #{} starts with our marker but its description no longer parses: {}",
                    result.path("id").asInt(), result.path("description").asString());
            return Optional.empty();
        }
        Ipv6Prefix prefix;
        try {
            prefix = Ipv6Prefix.parse(result.path("prefix").asString());
        } catch (InvalidPrefixException e) {
            log.warn("NetBox prefix #{} carries our marker but is not a delegable IPv6 prefix: {}",
                    result.path("id").asInt(), e.getMessage());
            return Optional.empty();
        }
        String tenant = tenantSlug(result);
        if (tenant == null) {
            String written = description.get().tenantId();
            tenant = written == null || written.isEmpty() ? null : written;
        }
        return Optional.of(new IpamRecord(tenant, prefix, description.get().delegationId()));
    }

    private static String tenantSlug(JsonNode result) {
        JsonNode slug = result.path("tenant").path("slug");
        return slug.isString() ? slug.asString() : null;
    }

    private static String canonical(String text) {
        try {
            return Ipv6Prefix.parse(text).canonical();
        } catch (InvalidPrefixException e) {
            return text;
        }
    }

    // ---- HTTP ----

    private record Reply(int status, String body) {
    }

    private Reply send(String method, String pathAndQuery, JsonNode body) throws Unreachable {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            throw new Unreachable("NetBox did not answer " + method + " " + path(pathAndQuery) + " within "
                    + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new Unreachable("cannot connect to NetBox at " + base + " (" + describe(e) + ")");
        } catch (IOException e) {
            throw new Unreachable("NetBox connection failed during " + method + " " + path(pathAndQuery) + " ("
                    + describe(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for NetBox");
        }
    }

    /** The body of a 2xx answer; 429 and 5xx are unreachable, anything else is rejected. */
    private JsonNode expect(Reply reply) throws Unreachable, Rejected {
        int status = reply.status();
        if (status >= 200 && status < 300) {
            if (reply.body() == null || reply.body().isBlank()) {
                return json.missingNode();
            }
            try {
                return json.readTree(reply.body());
            } catch (JacksonException e) {
                throw new Unreachable("NetBox answered " + status + " with a body that is not JSON");
            }
        }
        String text = errorText(reply.body());
        String message = "NetBox answered " + status + (text.isEmpty() ? "" : ": " + text);
        if (status == 429 || status >= 500) {
            throw new Unreachable(message);
        }
        throw new Rejected(message);
    }

    /**
     * NetBox's own words from an error body: {@code {"detail": "..."}}, field errors such as
     * {@code {"prefix": ["Duplicate prefix found in global table: 2001:db8::/56"]}}, the {@code error} of its 500
     * handler, or the title of a proxy's HTML page.
     */
    private String errorText(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            Matcher title = HTML_TITLE.matcher(body);
            return title.find() ? title.group(1) : body.strip();
        }
        if (node.isArray() && !node.isEmpty()) {
            node = node.get(0); // bulk answers carry one error object per item
        }
        if (node.path("detail").isString()) {
            return node.path("detail").asString();
        }
        if (node.path("error").isString()) {
            String exception = node.path("exception").asString("");
            return node.path("error").asString() + (exception.isEmpty() ? "" : " (" + exception + ")");
        }
        if (node.isObject()) {
            List<String> errors = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                errors.add(field.getKey() + ": " + messages(field.getValue()));
            }
            return String.join("; ", errors);
        }
        return node.toString();
    }

    private static String messages(JsonNode value) {
        if (value.isArray()) {
            List<String> messages = new ArrayList<>();
            value.forEach(message -> messages.add(message.isString() ? message.asString() : message.toString()));
            return String.join(" ", messages);
        }
        return value.isString() ? value.asString() : value.toString();
    }

    /** Short, single-line, and never the token (should NetBox or a proxy ever echo it). */
    private String detail(String message) {
        String text = message.replace(token, "[token]").replaceAll("\\s+", " ").strip();
        return text.length() <= DETAIL_MAX ? text : text.substring(0, DETAIL_MAX - 3) + "...";
    }

    private static String describe(IOException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String path(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    private static String ids(List<Integer> ids) {
        return ids.stream().map(id -> "#" + id).collect(Collectors.joining(", "));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** No usable answer; worth retrying. Carries a detail for the outcome, without a stack trace. */
    private static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }

    /** NetBox said no; retrying will not change that. */
    private static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }
}

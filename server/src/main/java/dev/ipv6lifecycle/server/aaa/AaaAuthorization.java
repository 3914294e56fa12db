package dev.ipv6lifecycle.server.aaa;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.delegation.AllocateOnFirstSightCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.command.aaa.RadiusAuthorizations;
import dev.ipv6lifecycle.command.aaa.RadiusAuthorizations.Authorization;
import dev.ipv6lifecycle.command.pool.PoolRegistry;
import dev.ipv6lifecycle.sagas.radius.RadiusProperties;
import dev.ipv6lifecycle.server.web.Caller;
import dev.ipv6lifecycle.server.web.CommandSender;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer to an {@code rlm_rest} authorize call: which delegated prefix the subscriber named by
 * {@code User-Name} holds, in the caller's tenant. It reads the command side's {@code radius_authorization}
 * table, never the read models, so an answer is never behind a committed command. It never rejects:
 * authentication stays the ISP's decision, and the answer is either attributes to add (200) or nothing (204),
 * which {@code rlm_rest} turns into {@code updated} and {@code ok}.
 *
 * <p>Every value in the answer has {@code do_xlat} off: FreeRADIUS would otherwise expand {@code %{...}} in it.
 * No value is copied from the request in any case; the prefixes come from the table, the Filter-Id from the
 * configuration.
 *
 * <p>Shared by {@link AaaAuthorizeFilter}, which answers well-formed requests without Spring MVC, and
 * {@link AaaController}, which answers the rest with the API's refusals.
 */
@Component
class AaaAuthorization {

    /** The charsets Jackson reads from bytes itself, as Spring's JSON converter lists them. */
    private static final Set<String> UNICODE = Set.of("UTF-8", "UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE",
            "UTF-32LE", "UTF-32", "US-ASCII");

    private final RadiusAuthorizations authorizations;
    private final PoolRegistry pools;
    private final CommandSender commands;
    private final Caller caller;
    /** The suspend CoA's Filter-Id as a JSON string. */
    private final String suspendFilterId;
    private final AaaMetrics metrics;
    private final JsonMapper json;
    /** What the JSON converter reads a {@code @RequestBody JsonNode} with: the API's mapper, for a tree. */
    private final ObjectReader requests;

    AaaAuthorization(RadiusAuthorizations authorizations, PoolRegistry pools, CommandSender commands, Caller caller,
                     RadiusProperties radius, AaaMetrics metrics, JsonMapper json) {
        this.authorizations = authorizations;
        this.pools = pools;
        this.commands = commands;
        this.caller = caller;
        this.suspendFilterId = json.writeValueAsString(radius.suspendFilterId());
        this.metrics = metrics;
        this.json = json;
        this.requests = json.readerFor(JsonNode.class);
    }

    /**
     * The body as {@code @RequestBody JsonNode} would read it, with the same mapper, charset handling and
     * refusals (400 for a missing body or one that is not JSON), without Spring MVC's message conversion around
     * it, which cost more than the parsing itself on a path that runs for every Access-Request.
     */
    JsonNode read(HttpServletRequest request, byte[] body) {
        if (body.length == 0) {
            throw new HttpMessageNotReadableException("Required request body is missing",
                    new ServletServerHttpRequest(request));
        }
        Charset charset = charset(request);
        try {
            // As the JSON converter does: Jackson detects the Unicode encodings itself, others need a reader.
            return UNICODE.contains(charset.name()) ? requests.readValue(body)
                    : requests.readValue(new InputStreamReader(new ByteArrayInputStream(body), charset));
        } catch (JacksonException unreadable) {
            throw new HttpMessageNotReadableException("JSON parse error: " + unreadable.getOriginalMessage(),
                    unreadable, new ServletServerHttpRequest(request));
        }
    }

    /**
     * The User-Name of a body in one of the encodings Jackson detects itself ({@link #inUnicode}), read without
     * building a tree ({@link RlmRestRequest#userName(tools.jackson.databind.ObjectMapper, byte[])}).
     *
     * @throws JacksonException for a body that is not one JSON value
     */
    Optional<String> userName(byte[] body) {
        return RlmRestRequest.userName(json, body);
    }

    /** Answers for the subscriber named by the request's usable User-Name, if any: 200 with the attributes to add, or 204. */
    void answer(Optional<String> requestedUserName, HttpServletResponse response) throws IOException {
        Timer.Sample sample = metrics.start();
        AaaMetrics.Outcome outcome = AaaMetrics.Outcome.ERROR;
        try {
            if (requestedUserName.isEmpty()) {
                outcome = AaaMetrics.Outcome.INVALID;
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                return;
            }
            String userName = requestedUserName.get();
            String tenant = caller.tenantId();
            List<Authorization> live = authorizations.find(tenant, userName);
            boolean allocated = false;
            if (live.isEmpty() && pools.allocatesOnFirstSight(tenant)) {
                allocated = allocateOnFirstSight(tenant, userName);
                live = authorizations.find(tenant, userName);
            }
            if (live.isEmpty()) {
                outcome = AaaMetrics.Outcome.NONE;
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                return;
            }
            boolean suspended = live.stream().anyMatch(a -> a.state() == LifecycleState.SUSPENDED);
            outcome = allocated ? AaaMetrics.Outcome.FIRST_SIGHT
                    : suspended ? AaaMetrics.Outcome.SUSPENDED : AaaMetrics.Outcome.AUTHORIZED;
            byte[] answer = reply(live, suspended);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setContentLength(answer.length);
            response.getOutputStream().write(answer);
        } finally {
            metrics.record(outcome, sample);
        }
    }

    /**
     * The attributes, written as they are: every value literal ({@code :=}, several values added, no expansion).
     * The prefixes' canonical text needs no escaping, and the Filter-Id was escaped once; a tree and a JSON
     * writer for these few bytes were a tenth of the call's CPU.
     */
    private byte[] reply(List<Authorization> live, boolean suspended) {
        StringBuilder reply = new StringBuilder(128).append("{\"reply:Delegated-IPv6-Prefix\":{\"op\":\":=\",\"value\":[");
        for (int i = 0; i < live.size(); i++) {
            reply.append(i == 0 ? "\"" : ",\"").append(live.get(i).prefix().canonical()).append('"');
        }
        reply.append("],\"do_xlat\":false}");
        if (suspended) {
            reply.append(",\"reply:Filter-Id\":{\"op\":\":=\",\"value\":[").append(suspendFilterId)
                    .append("],\"do_xlat\":false}");
        }
        return reply.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the body's charset is one that Jackson detects itself, as the filter reads them. */
    static boolean inUnicode(HttpServletRequest request) {
        try {
            return UNICODE.contains(charset(request).name());
        } catch (IllegalArgumentException unknownCharset) {
            return false;
        }
    }

    /**
     * The charset the converter would read with: the Content-Type's, else the request's encoding (which
     * ServletServerHttpRequest adds to a Content-Type without one), else UTF-8. Without copying every header
     * into an HttpHeaders to find it.
     */
    private static Charset charset(HttpServletRequest request) {
        String contentType = request.getContentType();
        Charset declared = contentType == null ? null : MediaType.parseMediaType(contentType).getCharset();
        if (declared != null) {
            return declared;
        }
        String encoding = request.getCharacterEncoding();
        return encoding == null || encoding.isEmpty() ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    }

    /**
     * Whether this request allocated. A concurrent request for the same user name (a BNG's retransmission) that
     * allocated first makes the command refuse (409), and so does a pool without room; the table read after it
     * shows whatever is there, so both end the same way: the subscriber is answered from the table.
     */
    private boolean allocateOnFirstSight(String tenant, String userName) {
        try {
            commands.send(new AllocateOnFirstSightCommand(UUID.randomUUID(), tenant, userName));
            return true;
        } catch (DomainRejection refused) {
            return false;
        }
    }
}

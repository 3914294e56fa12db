package dev.ipv6lifecycle.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;
import org.springframework.web.util.WebUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} on every POST under {@code /api/} and {@code /console/}: a client that lost an answer
 * (a timeout, a dropped connection) sends the same request again with the same key and gets the first
 * answer, instead of a second allocation. Keys belong to the caller's tenant and are kept (with their
 * answers) in PostgreSQL.
 *
 * <ul>
 * <li>no key: the request runs as usual;</li>
 * <li>a new key: the key is claimed, the request runs, and its answer is stored if it is a 2xx or 4xx (both
 *     are the authoritative outcome of that request); after a 5xx or a failure the claim is released, so the
 *     client may retry;</li>
 * <li>the same key, method, path and body: the stored answer again, with {@code Idempotent-Replayed: true};</li>
 * <li>the same key with another request: 422; while the first request still runs: 409;</li>
 * <li>a request refused for {@link ForbiddenCharacters characters no text input may hold}: its claim is
 *     released, as after a failure, so that it leaves nothing behind, as if it had never been sent.</li>
 * </ul>
 */
// After Spring Security's filters (order -100): the tenant must be known before the key can be looked up.
@Component
@Order(0)
class IdempotencyFilter extends OncePerRequestFilter {

    static final String KEY_HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /** Bodies of API requests are small JSON; a keyed request's body is read whole to fingerprint it. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final int MAX_KEY_LENGTH = 255;

    /** Answers that hold a secret (a new API key) are never stored: their key is ignored. */
    private static final String NOT_KEPT = "/api/v1/admin/api-keys";
    /**
     * The console's actions send a key too (console.js), so that a double click acts once. Their form body
     * has been read by the CSRF check before this filter runs, so the fingerprint is their method and path;
     * the console makes a key per page and action.
     */
    private static final String CONSOLE = "/console/";
    private static final String CLAIM_ATTRIBUTE = IdempotencyFilter.class.getName() + ".claim";
    private static final String FORGET_ATTRIBUTE = IdempotencyFilter.class.getName() + ".forget";
    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotencyStore store;
    private final Caller caller;
    private final JsonMapper json;
    private final UrlPathHelper paths = new UrlPathHelper();

    IdempotencyFilter(IdempotencyStore store, Caller caller, JsonMapper json) {
        this.store = store;
        this.caller = caller;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = paths.getPathWithinApplication(request);
        return !"POST".equals(request.getMethod()) || request.getHeader(KEY_HEADER) == null
                || !(path.startsWith("/api/") || path.startsWith(CONSOLE)) || path.startsWith(NOT_KEPT);
    }

    /** A controller that answers with a future finishes on an async dispatch; that is where its answer is. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            Claim claim = (Claim) request.getAttribute(CLAIM_ATTRIBUTE);
            RecordingResponse recording = WebUtils.getNativeResponse(response, RecordingResponse.class);
            if (claim == null || recording == null) {
                chain.doFilter(request, response);
            } else {
                run(claim, request, recording, chain);
            }
            return;
        }

        List<String> keys = Collections.list(request.getHeaders(KEY_HEADER));
        String key = keys.get(0);
        if (keys.size() > 1 || !isValidKey(key)) {
            ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(
                    "The Idempotency-Key header must appear once, with 1 to 255 printable ASCII characters.");
            problem.setProperty("errors", List.of(new FieldProblem(KEY_HEADER, keys.size() > 1 ? "must appear once"
                    : ForbiddenCharacters.refusal(key).orElse("must have 1 to 255 printable ASCII characters"))));
            writeProblem(request, response, problem);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            writeProblem(request, response, ProblemType.CONTENT_TOO_LARGE.problem(
                    "A request with an Idempotency-Key may have at most " + MAX_BODY_BYTES + " bytes of body."));
            return;
        }

        String tenantId = caller.tenantId();
        IdempotencyStore.Outcome outcome = store.claim(tenantId, key, fingerprint(request, body));
        if (outcome instanceof IdempotencyStore.Replay replay) {
            replay(response, replay);
        } else if (outcome instanceof IdempotencyStore.Mismatch) {
            writeProblem(request, response, ProblemType.IDEMPOTENCY_KEY_REUSED.problem("The Idempotency-Key "
                    + "was already used for a different request (method, path or body); use a new key."));
        } else if (outcome instanceof IdempotencyStore.InProgress) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            writeProblem(request, response, ProblemType.REQUEST_IN_PROGRESS.problem("A request with this "
                    + "Idempotency-Key is still being processed; retry shortly to get its answer."));
        } else {
            Claim claim = new Claim(tenantId, key, ((IdempotencyStore.Claimed) outcome).token());
            run(claim, new CachedBodyRequest(request, body), new RecordingResponse(response), chain);
        }
    }

    // Runs the claimed request (or the async dispatch that finishes it) and settles the claim.
    private void run(Claim claim, HttpServletRequest request, RecordingResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException | Error failure) {
            release(claim);
            throw failure;
        }
        if (isAsyncStarted(request)) {
            request.setAttribute(CLAIM_ATTRIBUTE, claim);
            return;
        }
        request.removeAttribute(CLAIM_ATTRIBUTE);
        int status = response.getStatus();
        if (status >= 500 || response.errorSent() || request.getAttribute(FORGET_ATTRIBUTE) != null) {
            // A failure of the service is no answer to keep; a sendError's body is written later, by the
            // container's error page, where it cannot be recorded. Either way the client may try again.
            // And a request refused for its characters is forgotten (see forget).
            release(claim);
        } else {
            try {
                if (!store.complete(claim.tenantId(), claim.key(), claim.token(), status, response.getContentType(),
                        response.getHeader(HttpHeaders.LOCATION), response.getContentAsByteArray())) {
                    log.warn("Idempotency-Key {} was claimed by another request while this one ran; "
                            + "its answer is not stored", claim.key());
                }
            } catch (RuntimeException storeFailed) {
                // The request has had its effect: it must still be answered. Its claim stays until it times
                // out, so a retry meanwhile is told to wait rather than allowed to run a second time.
                log.error("Could not store the answer for Idempotency-Key {}", claim.key(), storeFailed);
            }
        }
        response.copyBodyToResponse();
    }

    /**
     * Marks a request refused for characters no text input may hold (found while the request runs, in its
     * body or parameters, after its key was claimed): its claim is released instead of kept with its answer.
     */
    static void forget(WebRequest request) {
        request.setAttribute(FORGET_ATTRIBUTE, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
    }

    private void release(Claim claim) {
        try {
            store.release(claim.tenantId(), claim.key(), claim.token());
        } catch (RuntimeException releaseFailed) {
            log.error("Could not release Idempotency-Key {}; it stays claimed until the claim times out",
                    claim.key(), releaseFailed);
        }
    }

    private static void replay(HttpServletResponse response, IdempotencyStore.Replay replay) throws IOException {
        response.setStatus(replay.status());
        if (replay.contentType() != null) {
            response.setContentType(replay.contentType());
        }
        if (replay.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, replay.location());
        }
        response.setHeader(REPLAYED_HEADER, "true");
        response.setContentLength(replay.body().length);
        response.getOutputStream().write(replay.body());
    }

    private void writeProblem(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        try {
            problem.setInstance(URI.create(request.getRequestURI()));
        } catch (IllegalArgumentException notAUri) {
            // instance is optional; the problem itself is what the client needs
        }
        byte[] body = json.writeValueAsBytes(problem);
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static boolean isValidKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        return key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }

    private static byte[] fingerprint(HttpServletRequest request, byte[] body) {
        return fingerprint(request.getMethod(), request.getRequestURI(), request.getQueryString(), body);
    }

    /** Same method, path (with query) and body bytes: the same request. */
    static byte[] fingerprint(String method, String path, String query, byte[] body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            String target = method + ' ' + path + (query != null ? "?" + query : "");
            sha256.update(target.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            return sha256.digest(body);
        } catch (NoSuchAlgorithmException notPossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", notPossible);
        }
    }

    private record Claim(String tenantId, String key, UUID token) {
    }
}

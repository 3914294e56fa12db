package dev.ipv6lifecycle.server.web;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The kinds of problem the API answers with. Types are URNs rather than URLs: they are stable names a
 * client can switch on, and the service makes no outbound links (nor invites a client to follow one).
 */
enum ProblemType {

    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Forbidden"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable"),
    CONFLICT(HttpStatus.CONFLICT, "conflict", "Conflict"),
    TRANSITION_NOT_ALLOWED(HttpStatus.CONFLICT, "transition-not-allowed", "Transition not allowed"),
    QUOTA_EXCEEDED(HttpStatus.CONFLICT, "quota-exceeded", "Quota exceeded"),
    REQUEST_IN_PROGRESS(HttpStatus.CONFLICT, "request-in-progress", "Request in progress"),
    CONTENT_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "content-too-large", "Content too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency key reused"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error"),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable");

    static final String URN_PREFIX = "urn:ipv6-lifecycle:problem:";

    private final HttpStatus status;
    private final URI type;
    private final String title;

    ProblemType(HttpStatus status, String name, String title) {
        this.status = status;
        this.type = URI.create(URN_PREFIX + name);
        this.title = title;
    }

    HttpStatus status() {
        return status;
    }

    URI type() {
        return type;
    }

    String title() {
        return title;
    }

    ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }

    /** The generic type of a status; a status without a type of its own gets {@code urn:...:http-<code>}. */
    static void describe(ProblemDetail problem) {
        for (ProblemType candidate : values()) {
            if (candidate.status.value() == problem.getStatus() && candidate.isGeneric()) {
                problem.setType(candidate.type);
                problem.setTitle(candidate.title);
                return;
            }
        }
        problem.setType(URI.create(URN_PREFIX + "http-" + problem.getStatus()));
        HttpStatus known = HttpStatus.resolve(problem.getStatus());
        problem.setTitle(known != null ? known.getReasonPhrase() : "HTTP " + problem.getStatus());
    }

    /** A problem answer: every error of the API goes out as application/problem+json, whatever was asked for. */
    static ResponseEntity<Object> answer(ProblemDetail problem, HttpHeaders headers) {
        return new ResponseEntity<>(problem, headers(headers), HttpStatusCode.valueOf(problem.getStatus()));
    }

    /**
     * The headers with the problem media type set. Set, not negotiated: a client that accepts only, say,
     * text/html still learns what went wrong, and a 406 is itself a problem document.
     */
    static HttpHeaders headers(HttpHeaders headers) {
        HttpHeaders withType = new HttpHeaders();
        withType.addAll(headers);
        withType.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return withType;
    }

    // The type a bare status gets; the specific conflicts are chosen by name, never by status alone.
    private boolean isGeneric() {
        return this != TRANSITION_NOT_ALLOWED && this != QUOTA_EXCEEDED && this != REQUEST_IN_PROGRESS && this != IDEMPOTENCY_KEY_REUSED;
    }
}

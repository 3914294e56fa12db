package dev.ipv6lifecycle.server.aaa;

import dev.ipv6lifecycle.server.web.CachedBodyRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;
import tools.jackson.core.JacksonException;

/**
 * {@code POST /api/v1/aaa/authorize} without Spring MVC: FreeRADIUS calls it for every Access-Request, and MVC's
 * handler lookup, content negotiation and argument resolution cost more than the answer itself (a fifth of the
 * request's CPU, JFR, 2026-12-02). It runs after the security chain (order -100: authenticated, role
 * {@code aaa}) and the body limit ({@code RequestLimitsFilter}, -50), and answers only calls that
 * {@link AaaController} would take as they are: a JSON body declared as JSON in an encoding Jackson detects itself,
 * an {@code Accept} that allows JSON, no query string, no {@code Idempotency-Key}. It reads only the User-Name
 * ({@link RlmRestRequest}). Every other call goes on to the controller, whose answers stay
 * the API's: 400, 406 and 415 problems, the query parameters' checks.
 */
@Component
@Order(-40)
class AaaAuthorizeFilter extends OncePerRequestFilter {

    static final String PATH = "/api/v1/aaa/authorize";

    private final AaaAuthorization authorization;
    private final UrlPathHelper paths = new UrlPathHelper();

    AaaAuthorizeFilter(AaaAuthorization authorization) {
        this.authorization = authorization;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !PATH.equals(paths.getPathWithinApplication(request))
                || request.getQueryString() != null || request.getHeader("Idempotency-Key") != null
                || !declaresJson(request) || !acceptsJson(request) || !AaaAuthorization.inUnicode(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body = request.getInputStream().readAllBytes();
        Optional<String> userName;
        try {
            userName = authorization.userName(body);
        } catch (JacksonException notJson) {
            chain.doFilter(new CachedBodyRequest(request, body), response);
            return;
        }
        authorization.answer(userName, response);
    }

    /** As {@code consumes = application/json}: that type, whatever its parameters. */
    private static boolean declaresJson(HttpServletRequest request) {
        String contentType = request.getContentType();
        try {
            return contentType != null && MediaType.APPLICATION_JSON.includes(MediaType.parseMediaType(contentType));
        } catch (InvalidMediaTypeException unparsable) {
            return false;
        }
    }

    /** As {@code produces = application/json}: no Accept, or one that takes JSON (at a quality above 0). */
    private static boolean acceptsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        if (accept == null || accept.isBlank()) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream()
                    .anyMatch(type -> type.getQualityValue() > 0 && MediaType.APPLICATION_JSON.isCompatibleWith(type));
        } catch (InvalidMediaTypeException unparsable) {
            return false;
        }
    }
}

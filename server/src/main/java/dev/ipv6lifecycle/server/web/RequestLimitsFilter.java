package dev.ipv6lifecycle.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * The size of an API request's body ({@code ipv6.web.max-request-body}, 64 KB): the largest real request is
 * a few hundred bytes, and nothing larger is read into memory. A bulk request ({@code /bulk}, up to 1,000
 * items of a few hundred bytes) may have up to {@code ipv6.web.max-bulk-request-body} (2 MB). A declared length over the limit is refused
 * before a byte is read; a chunked body is read up to the limit and refused if it goes on. 413 either way.
 * After authentication (order -100), so a stranger learns only that it is unauthenticated.
 */
@Component
@Order(-50)
class RequestLimitsFilter extends OncePerRequestFilter {

    private final ProblemResponses problems;
    private final long maxBody;
    private final long maxBulkBody;
    private final UrlPathHelper paths = new UrlPathHelper();

    RequestLimitsFilter(ProblemResponses problems, WebSettings settings) {
        this.problems = problems;
        this.maxBody = settings.web().maxRequestBody().toBytes();
        this.maxBulkBody = settings.web().maxBulkRequestBody().toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !paths.getPathWithinApplication(request).startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long maxBody = paths.getPathWithinApplication(request).endsWith("/bulk") ? maxBulkBody : this.maxBody;
        long declared = request.getContentLengthLong();
        if (declared > maxBody) {
            refuse(request, response, maxBody);
            return;
        }
        if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
            byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (body.length > maxBody) {
                refuse(request, response, maxBody);
                return;
            }
            chain.doFilter(new CachedBodyRequest(request, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, long maxBody) throws IOException {
        // The rest of the body is not read; the connection closes rather than draining it.
        response.setHeader("Connection", "close");
        problems.tooLarge(request, response, "A request body may have at most " + maxBody + " bytes.");
    }
}

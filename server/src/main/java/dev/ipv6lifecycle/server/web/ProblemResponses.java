package dev.ipv6lifecycle.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem details written by servlet filters, which answer before Spring MVC (and its advice) is reached:
 * authentication (401), authorisation (403) and request limits (413), in the same shape and with the same
 * types as every other error of the API.
 */
@Component
public class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    public void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        write(request, response, ProblemType.UNAUTHORIZED.problem(detail));
    }

    public void forbidden(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        write(request, response, ProblemType.FORBIDDEN.problem(detail));
    }

    public void tooLarge(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        write(request, response, ProblemType.CONTENT_TOO_LARGE.problem(detail));
    }

    private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
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

}

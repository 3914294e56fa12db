package dev.ipv6lifecycle.server.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page, in place of Spring Boot's JSON or HTML one, so that errors raised
 * outside Spring MVC's handlers (a filter that fails, a {@code sendError}) are problem details too.
 * {@link ProblemDetailsAdvice} answers everything that reaches a controller; this answers the rest.
 */
@Hidden // the container's error page, not an endpoint of the API: keep it out of the OpenAPI document
@RestController
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (request.getDispatcherType() != DispatcherType.ERROR || !(code instanceof Integer status)) {
            // Someone asked for the error page itself: there is nothing there for a client.
            return ProblemType.answer(ProblemType.NOT_FOUND.problem("Nothing is at " + request.getMethod() + " "
                    + request.getRequestURI() + "."), HttpHeaders.EMPTY);
        }
        ProblemDetail problem = ProblemDetail.forStatus(status);
        ProblemType.describe(problem);
        if (status >= 500) {
            log.error("Failure answering {} {}", request.getMethod(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
            problem.setDetail(ProblemDetailsAdvice.UNEXPECTED);
        } else {
            // The container's own message may describe internals; the status says what the client needs.
            HttpStatus known = HttpStatus.resolve(status);
            problem.setDetail((known != null ? known.getReasonPhrase() : "HTTP " + status) + ".");
        }
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            try {
                problem.setInstance(URI.create(uri));
            } catch (IllegalArgumentException notAUri) {
                // leave it out: instance is optional, and the status matters more than the echo of a path
            }
        }
        return ProblemType.answer(problem, HttpHeaders.EMPTY);
    }
}

package dev.ipv6lifecycle.server.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error page, for the requests it refuses before any servlet sees them (a URI with an encoded
 * NUL or slash, an invalid escape): a problem document instead of Tomcat's HTML, so that every answer of the
 * service has the same shape. Errors inside the application never get here; {@link ProblemErrorController}
 * answers them.
 */
final class ProblemReportValve extends ErrorReportValve {

    private final JsonMapper json;

    ProblemReportValve(JsonMapper json) {
        this.json = json;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ProblemDetail problem = ProblemDetail.forStatus(status);
        ProblemType.describe(problem);
        HttpStatus known = HttpStatus.resolve(status);
        problem.setDetail(status >= 500 ? ProblemDetailsAdvice.UNEXPECTED
                : "The request was refused before it reached the API: "
                + (known != null ? known.getReasonPhrase() : "HTTP " + status) + ".");
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException cannotAnswer) {
            // the connection is gone or the answer started already: nothing more can be said
        }
    }
}

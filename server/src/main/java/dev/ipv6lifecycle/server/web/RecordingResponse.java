package dev.ipv6lifecycle.server.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.util.ContentCachingResponseWrapper;

/** Keeps the answer to store it, and notices a {@code sendError}, whose body it never sees. */
final class RecordingResponse extends ContentCachingResponseWrapper {

    private volatile boolean errorSent;

    RecordingResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void sendError(int status) throws IOException {
        errorSent = true;
        super.sendError(status);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        errorSent = true;
        super.sendError(status, message);
    }

    boolean errorSent() {
        return errorSent;
    }
}

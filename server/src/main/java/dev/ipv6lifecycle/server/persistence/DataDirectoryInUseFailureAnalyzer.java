package dev.ipv6lifecycle.server.persistence;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a second start on a locked data directory into a short, actionable message, not a stack trace. */
class DataDirectoryInUseFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUseException cause) {
        return new FailureAnalysis(
                cause.getMessage() + ", which holds its embedded PostgreSQL.",
                "Stop the other instance, or give this one its own directory with --ipv6.data-dir=<path> "
                        + "(environment IPV6_DATA_DIR), or point it at an external PostgreSQL with "
                        + "SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.",
                null);
    }
}

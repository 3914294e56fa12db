package dev.ipv6lifecycle.server.persistence;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the service keeps its own files.
 *
 * @param dataDir          the embedded PostgreSQL's cluster ({@code <dataDir>/postgres}) and the first
 *                         start's admin key file
 * @param embeddedPostgres the embedded PostgreSQL, used when no {@code spring.datasource.url} is set
 */
@ConfigurationProperties("ipv6")
public record StorageSettings(@DefaultValue("./data") Path dataDir, @DefaultValue EmbeddedPostgres embeddedPostgres) {

    /** @param port 0 picks a free port at each start */
    public record EmbeddedPostgres(@DefaultValue("0") int port) {
    }
}

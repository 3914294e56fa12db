package dev.ipv6lifecycle.server.persistence;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The zero-setup default: with no {@code spring.datasource.url} (or {@code SPRING_DATASOURCE_URL}) the
 * service runs a real PostgreSQL from the embedded binaries, with its data in {@code ipv6.data-dir}
 * ({@link StorageSettings}).
 * With an external database configured, none of this exists and Spring Boot's own datasource is used.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoExternalDatabase.class)
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);
    private static final String USER = "postgres";

    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(StorageSettings settings) {
        return DataDirectoryLock.acquire(settings.dataDir());
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DataDirectoryLock lock, StorageSettings settings)
            throws IOException {
        Path cluster = lock.dataDir().resolve("postgres");
        OrphanedPostmaster.stopIfRunning(cluster);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(cluster)
                .setCleanDataDirectory(false)
                // Spring closes it in order, after the connection pool; a JVM hook could stop it first.
                .setRegisterShutdownHook(false)
                .setPort(settings.embeddedPostgres().port())
                // The embedded binaries default to synchronous_commit=off, which can lose acknowledged
                // allocations on a crash. The service's own database is durable.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        log.info("Embedded PostgreSQL listening on 127.0.0.1:{}, data in {}", postgres.getPort(), cluster.toAbsolutePath());
        return postgres;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        dataSource.setUsername(USER);
        return dataSource;
    }

    static class NoExternalDatabase implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !context.getEnvironment().containsProperty("spring.datasource.url");
        }
    }
}

package dev.ipv6lifecycle.testsupport;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a Spring test context at the shared embedded PostgreSQL, so the application uses it as an
 * external database (exactly the path production takes with {@code SPRING_DATASOURCE_URL}).
 */
public class SharedPostgresInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                "spring.datasource.url=" + SharedPostgres.jdbcUrl(),
                "spring.datasource.username=" + SharedPostgres.USER,
                "spring.datasource.password=")
                .applyTo(context.getEnvironment());
    }
}

package dev.ipv6lifecycle.server;

import dev.ipv6lifecycle.testsupport.SharedPostgresInitializer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on the shared embedded PostgreSQL (as an external database), with the real
 * migrations and Hibernate validating every mapping against them, and a NAS that never answers
 * ({@link SilentNasInitializer}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {SharedPostgresInitializer.class, SilentNasInitializer.class})
public @interface IntegrationTest {
}

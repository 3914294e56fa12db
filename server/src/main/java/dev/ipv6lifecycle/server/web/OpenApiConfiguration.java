package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.time.Duration;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI 3.1 document at /v3/api-docs and Swagger UI at /swagger-ui.html. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String BEARER = "bearer";

    static {
        // Both travel as plain strings: "2001:db8::/32" and ISO-8601 durations such as "P1D".
        SpringDocUtils.getConfig().replaceWithClass(Ipv6Prefix.class, String.class);
        SpringDocUtils.getConfig().replaceWithClass(Duration.class, String.class);
    }

    @Bean
    OpenAPI ipv6LifecycleOpenApi(BuildProperties build) {
        // Every operation needs a bearer credential; Swagger UI's "Authorize" takes an API key or a JWT.
        return new OpenAPI()
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An API key of this service (ipv6k_...) or a JWT of the configured issuer")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .info(new Info()
                .title("IPv6 prefix lifecycle service")
                .version(build.getVersion())
                .description("""
                        Delegated IPv6 prefixes for ISPs: pools, overlap-free allocation, the prefix lifecycle, \
                        quarantine, audit history and attribution. Errors are RFC 9457 problem details. Every POST \
                        accepts an Idempotency-Key header: the same key with the same body replays the first answer, \
                        with another body it is 422. Command endpoints answer with the committed result; GET \
                        endpoints read the read side, which follows the event store by milliseconds."""));
    }
}

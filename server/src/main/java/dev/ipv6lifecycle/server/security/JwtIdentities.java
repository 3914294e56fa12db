package dev.ipv6lifecycle.server.security;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * A verified JWT as a caller: claim {@code tenant} names the tenant, the scopes ({@code scope}, space
 * separated, or {@code scp}) carry the role ({@code viewer}, {@code operator} or {@code admin}; the highest
 * one counts), and the subject becomes the actor {@code jwt:<sub>}. A token without a valid tenant or
 * subject is refused (401); one without a role scope is authenticated but may do nothing (403).
 */
final class JwtIdentities {

    static final String TENANT_CLAIM = "tenant";

    private JwtIdentities() {
    }

    static CallerIdentity identity(Jwt jwt) {
        Object tenant = jwt.getClaims().get(TENANT_CLAIM);
        if (!(tenant instanceof String tenantId) || !CallerIdentity.TENANT.matcher(tenantId).matches()) {
            throw new InvalidBearerTokenException("The JWT has no valid '" + TENANT_CLAIM + "' claim.");
        }
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 255) {
            throw new InvalidBearerTokenException("The JWT has no valid subject.");
        }
        return new CallerIdentity(tenantId, "jwt:" + subject, role(jwt).orElse(null));
    }

    private static Optional<Role> role(Jwt jwt) {
        return scopes(jwt).stream().map(Role::fromWireName).flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    private static List<String> scopes(Jwt jwt) {
        for (String claim : List.of("scope", "scp")) {
            Object value = jwt.getClaims().get(claim);
            if (value instanceof String text) {
                return List.of(text.trim().split("\\s+"));
            }
            if (value instanceof Collection<?> values) {
                return values.stream().map(String::valueOf).toList();
            }
        }
        return List.of();
    }
}

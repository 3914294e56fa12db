package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.server.security.CallerIdentity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Who is calling: the tenant every command and query is scoped to, and the actor recorded on events. The one
 * place that answers both, from the principal Spring Security authenticated for this request (an API key or
 * a JWT). Every {@code /api/**} request is authenticated before a controller runs, so there is always one.
 */
@Component
public class Caller {

    public static final String DEFAULT_TENANT = CallerIdentity.OPERATOR_TENANT;

    public String tenantId() {
        return identity().tenantId();
    }

    /** {@code api-key:<key id>} or {@code jwt:<subject>}: never a credential. */
    public String actor() {
        return identity().actor();
    }

    public CallerIdentity identity() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof CallerIdentity identity) {
            return identity;
        }
        // A programming error (an endpoint outside the secured paths asking for the caller), never a client's.
        throw new IllegalStateException("no authenticated caller for this request");
    }
}

package dev.ipv6lifecycle.server.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A caller proven by an API key or a JWT; the credentials themselves are not kept. */
final class TenantAuthentication extends AbstractAuthenticationToken {

    private final CallerIdentity identity;

    TenantAuthentication(CallerIdentity identity) {
        super(identity.role() == null ? List.of() : List.of(new SimpleGrantedAuthority(identity.role().authority())));
        this.identity = identity;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public CallerIdentity getPrincipal() {
        return identity;
    }

    @Override
    public String getName() {
        return identity.actor();
    }
}

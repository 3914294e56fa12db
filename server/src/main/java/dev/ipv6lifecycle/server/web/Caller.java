package dev.ipv6lifecycle.server.web;

import org.springframework.stereotype.Component;

/**
 * Who is calling: the tenant every command and query is scoped to, and the actor recorded on events.
 * Until authentication exists every caller is the installation's operator, tenant {@code default}; the
 * security issue replaces this with the authenticated principal.
 */
@Component
public class Caller {

    public static final String DEFAULT_TENANT = "default";

    public String tenantId() {
        return DEFAULT_TENANT;
    }

    public String actor() {
        return "anonymous";
    }
}

package dev.ipv6lifecycle.server.security;

import java.util.regex.Pattern;

/**
 * An authenticated caller: the tenant it acts for, the actor recorded on the events it causes ({@code
 * api-key:<id>} or {@code jwt:<subject>}) and its role.
 */
public record CallerIdentity(String tenantId, String actor, Role role) {

    /** The tenant of the installation's operator; its admins manage every tenant's API keys. */
    public static final String OPERATOR_TENANT = "default";

    /** Tenant names: short, lower case, safe in URLs, logs and metric labels. */
    static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    boolean isInstallationAdmin() {
        return OPERATOR_TENANT.equals(tenantId) && role == Role.ADMIN;
    }
}

package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;

/**
 * A command that moves one delegation on in its lifecycle, on behalf of a tenant: what {@link TransitionsCommand}
 * carries many of.
 */
public interface TransitionCommand {

    UUID delegationId();

    String tenantId();
}

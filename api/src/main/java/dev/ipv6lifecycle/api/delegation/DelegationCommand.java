package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;

/**
 * A command to one delegation on behalf of a tenant, which may go with others in a {@link DelegationCommandGroup}:
 * the lifecycle transitions, and the record of a saga's network calls.
 */
public interface DelegationCommand {

    UUID delegationId();

    String tenantId();
}

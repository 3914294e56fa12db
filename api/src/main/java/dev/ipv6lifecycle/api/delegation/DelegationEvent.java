package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;

/**
 * An event of one delegation's stream. A marker for the handlers that fold the whole stream
 * ({@link DelegationState#when}); it adds nothing to an event's stored form.
 */
public interface DelegationEvent {

    UUID delegationId();

    String tenantId();
}

package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;

/** One delegation of the tenant; answers an {@code Optional<DelegationView>}, empty for another tenant's. */
public record FindDelegationQuery(String tenantId, UUID delegationId) {
}

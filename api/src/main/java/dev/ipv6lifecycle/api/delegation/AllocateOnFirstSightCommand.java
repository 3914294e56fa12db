package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Allocates a prefix for a subscriber that an Access-Request names and that holds no live delegation, from
 * the tenant's oldest active pool marked for allocation on first sight. The subscriber id and the RADIUS user
 * name are both the User-Name, so that a returning subscriber gets its quarantined or previous prefix back.
 * Refused (409) when the user name already has a live delegation, which is how retransmissions of one
 * Access-Request that race each other end up with one delegation; refused (404) when no pool is marked.
 */
public record AllocateOnFirstSightCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId,
                                          String radiusUserName) {
}

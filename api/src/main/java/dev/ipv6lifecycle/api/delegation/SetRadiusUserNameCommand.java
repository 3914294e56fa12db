package dev.ipv6lifecycle.api.delegation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Names the User-Name under which the subscriber's Access-Requests find this delegation, for a delegation
 * allocated before the subscriber's RADIUS identity was known. Setting the name it already has changes nothing.
 *
 * @param radiusUserName the User-Name, 1..253 octets (RFC 2865 §5.1)
 */
public record SetRadiusUserNameCommand(@TargetAggregateIdentifier UUID delegationId, String tenantId,
                                       String radiusUserName) {
}

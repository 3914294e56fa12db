package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A delegation was created in {@link LifecycleState#ALLOCATED}, holding {@code prefix}. The command side's
 * reservation table records it in the same transaction, under a PostgreSQL exclusion constraint: no
 * two held prefixes of a tenant ever overlap.
 *
 * @param placement           how the prefix was chosen
 * @param reclaimedFrom       with {@link Placement#QUARANTINE_RECLAIM}: the earlier delegation whose
 *                            quarantined prefix this one took over; {@code null} otherwise
 * @param quarantine          the pool's quarantine period, which applies when this delegation ends
 * @param activationRequested whether the caller asked for activation to follow at once
 * @param nas                 the subscriber's NAS session when known; {@code null} otherwise
 * @param radiusUserName      the RADIUS user name the allocation gave; {@code null} when it gave none (and in
 *                            events stored before it existed), which {@link DelegationState} reads as the NAS
 *                            session's user name or else the subscriber id
 */
@Revision("1")
public record PrefixAllocatedEvent(UUID delegationId, String tenantId, String subscriberId, UUID poolId,
                                   Ipv6Prefix prefix, Placement placement, UUID reclaimedFrom, Duration quarantine,
                                   boolean activationRequested, NasSession nas, Instant allocatedAt,
                                   String radiusUserName) implements DelegationEvent {

    /** An allocation that gave no RADIUS user name of its own. */
    public PrefixAllocatedEvent(UUID delegationId, String tenantId, String subscriberId, UUID poolId,
                                Ipv6Prefix prefix, Placement placement, UUID reclaimedFrom, Duration quarantine,
                                boolean activationRequested, NasSession nas, Instant allocatedAt) {
        this(delegationId, tenantId, subscriberId, poolId, prefix, placement, reclaimedFrom, quarantine,
                activationRequested, nas, allocatedAt, null);
    }

    /** The User-Name the subscriber's Access-Requests carry: as given, else the NAS session's, else the subscriber id. */
    public String effectiveRadiusUserName() {
        if (radiusUserName != null) {
            return radiusUserName;
        }
        return nas != null && nas.username() != null ? nas.username() : subscriberId;
    }
}

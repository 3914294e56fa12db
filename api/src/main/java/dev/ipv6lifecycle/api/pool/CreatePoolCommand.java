package dev.ipv6lifecycle.api.pool;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Opens a pool of IPv6 space for a tenant.
 *
 * @param poolId           the new pool's id, chosen by the caller
 * @param tenantId         the owning tenant; its pools never overlap one another
 * @param name             a label for operators
 * @param prefix           the space the pool covers, for example {@code 2001:db8::/32}
 * @param delegatedLengths the prefix lengths it hands out, a subset of 48..64, each longer than the pool's own
 * @param defaultLength    the length given when a request names none; one of {@code delegatedLengths}
 * @param quarantine       how long a released prefix stays reserved for its previous subscriber; {@code null} means P1D
 * @param staleAfter       how long a delegation may stay ALLOCATED before the sweep reports it; {@code null} means PT24H
 * @param allocateOnFirstSight whether an Access-Request for a subscriber without a live delegation allocates
 *                         from this pool; {@code null} means no
 */
public record CreatePoolCommand(@TargetAggregateIdentifier UUID poolId, String tenantId, String name, Ipv6Prefix prefix,
                                Set<Integer> delegatedLengths, int defaultLength, Duration quarantine,
                                Duration staleAfter, Boolean allocateOnFirstSight) {

    /** A pool that does not allocate on first sight. */
    public CreatePoolCommand(UUID poolId, String tenantId, String name, Ipv6Prefix prefix, Set<Integer> delegatedLengths,
                             int defaultLength, Duration quarantine, Duration staleAfter) {
        this(poolId, tenantId, name, prefix, delegatedLengths, defaultLength, quarantine, staleAfter, null);
    }
}

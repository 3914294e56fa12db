package dev.ipv6lifecycle.sagas;

import static dev.ipv6lifecycle.api.delegation.NetworkStep.IPAM_RECORD;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.PUSH_PREFIX;
import static dev.ipv6lifecycle.api.delegation.NetworkStep.RESTRICT;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.audit.Actor;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixResumedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent;
import dev.ipv6lifecycle.sagas.network.Ipam;
import dev.ipv6lifecycle.sagas.network.NetworkAccessServer;
import java.util.List;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the NAS about transitions made outside the sagas: a CoA restricting a suspended session, a CoA
 * pushing the prefix again on resume, and for an activation by hand (not by the activation saga) the CoA
 * and the IPAM record. One attempt each, with the RADIUS client's own retransmissions; the outcome is
 * recorded as an event. Nothing is sent when the peer is not configured or the session is unknown: neither in the
 * event's {@code nas} details nor among the sessions RADIUS accounting reports for the prefix ({@link LiveSessions},
 * which {@link NetworkCalls} addresses when the details are missing). An activation that RADIUS accounting caused
 * (actor {@code radius:<nas>}) pushes nothing: the network reported the prefix itself.
 */
@Component
@ProcessingGroup(SagaGroups.SESSION_NOTIFICATIONS)
class SessionNotifier {

    static final String ACTOR = "notifier:session";
    /** The actor of what RADIUS accounting caused: {@code radius:<nas>}. */
    static final String RADIUS_ACTOR_PREFIX = "radius:";

    private final SagaOutbox outbox;
    private final NetworkAccessServer nas;
    private final Ipam ipam;
    private final JdbcTemplate jdbc;
    private final LiveSessions sessions;

    SessionNotifier(SagaOutbox outbox, NetworkAccessServer nas, Ipam ipam, JdbcTemplate jdbc, LiveSessions sessions) {
        this.outbox = outbox;
        this.nas = nas;
        this.ipam = ipam;
        this.jdbc = jdbc;
        this.sessions = sessions;
    }

    @EventHandler
    void on(PrefixSuspendedEvent event) {
        if (!nas.enabled()) {
            return;
        }
        for (DelegationTarget target : target(event.delegationId(), event.tenantId(), event.nas())) {
            if (reachable(target)) {
                outbox.call(RESTRICT, target, 1, ACTOR);
            }
        }
    }

    @EventHandler
    void on(PrefixResumedEvent event) {
        if (!nas.enabled()) {
            return;
        }
        for (DelegationTarget target : target(event.delegationId(), event.tenantId(), event.nas())) {
            if (reachable(target)) {
                outbox.call(PUSH_PREFIX, target, 1, ACTOR);
            }
        }
    }

    @EventHandler
    void on(PrefixActivatedEvent event, @MetaDataValue(Actor.METADATA_KEY) String actor) {
        if (ActivationSaga.ACTOR.equals(actor)) {
            return; // the saga has done both already
        }
        boolean reportedByNetwork = actor != null && actor.startsWith(RADIUS_ACTOR_PREFIX);
        if ((reportedByNetwork || !nas.enabled()) && !ipam.enabled()) {
            return;
        }
        for (DelegationTarget target : target(event.delegationId(), event.tenantId(), event.nas())) {
            if (!reportedByNetwork && reachable(target)) {
                outbox.call(PUSH_PREFIX, target, 1, ACTOR);
            }
            if (ipam.enabled()) {
                outbox.call(IPAM_RECORD, target, 1, ACTOR);
            }
        }
    }

    /** Whether a RADIUS call has somewhere to go: the command's session details, or a live session. */
    private boolean reachable(DelegationTarget target) {
        return nas.enabled() && (target.nas() != null
                || !sessions.carrying(target.tenantId(), target.prefix()).isEmpty());
    }

    /**
     * The prefix and subscriber, from the command side's reservation (always current, unlike the views). Read
     * only when a peer is configured: every suspension, resumption and activation passes here.
     */
    private List<DelegationTarget> target(UUID delegationId, String tenantId, NasSession session) {
        return jdbc.query("SELECT subscriber_id, host(prefix) || '/' || masklen(prefix) AS prefix"
                        + " FROM prefix_reservation WHERE delegation_id = ?",
                (row, i) -> new DelegationTarget(delegationId, tenantId, row.getString("subscriber_id"),
                        Ipv6Prefix.parse(row.getString("prefix")), session), delegationId);
    }
}

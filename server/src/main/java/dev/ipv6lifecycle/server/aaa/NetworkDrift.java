package dev.ipv6lifecycle.server.aaa;

import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.command.aaa.RadiusSessions;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Session;
import dev.ipv6lifecycle.command.aaa.SessionHolders;
import dev.ipv6lifecycle.command.aaa.SessionHolders.Holder;
import dev.ipv6lifecycle.sagas.network.NetworkAccessServer;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where what the network reports differs from what the service decided, found as each accounting record arrives
 * (and by the sweep, {@code AccountingSweep}), counted in {@code ipv6_network_drift_total{tenant,kind}}:
 * <ul>
 *   <li>{@code duplicate}: a live session carries a prefix that another subscriber holds, or that a second
 *       session of another user carries too. Logged at once; a Disconnect of the offending session when
 *       {@code radius.accounting.disconnect-duplicates} is on (off by default: which of two sessions is the
 *       wrong one is not always clear).</li>
 *   <li>{@code revoked-live}: a live session carries a prefix of the tenant's pools that no live delegation
 *       holds (revoked, in quarantine, or never handed out). The Disconnect is sent again, on every record
 *       that still reports it.</li>
 *   <li>{@code stale-active}: an ACTIVE delegation with no accounting at all for a configured time.</li>
 *   <li>{@code stale-session}: a session whose Interim updates stopped, closed by the sweep.</li>
 * </ul>
 */
@Component
class NetworkDrift {

    /** The label values of {@code kind}. */
    enum Kind {
        DUPLICATE, REVOKED_LIVE, STALE_ACTIVE, STALE_SESSION;

        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private static final Logger log = LoggerFactory.getLogger(NetworkDrift.class);

    private final RadiusSessions sessions;
    private final SessionHolders holders;
    private final NetworkAccessServer nas;
    private final AccountingSettings settings;
    private final MeterRegistry registry;
    private final Set<String> tenants = ConcurrentHashMap.newKeySet();

    NetworkDrift(RadiusSessions sessions, SessionHolders holders, NetworkAccessServer nas,
                 AccountingSettings settings, MeterRegistry registry) {
        this.sessions = sessions;
        this.holders = holders;
        this.nas = nas;
        this.settings = settings;
        this.registry = registry;
    }

    /** Checks one open session that carries a prefix, against its holder (if any). */
    void check(Session live, Optional<Holder> holder) {
        if (holder.isPresent() && holder.get().state() != null) {
            boolean otherHolder = !holder.get().holds(live.userName());
            List<Session> others = sessions.openWithPrefix(live.tenantId(), live.prefix()).stream()
                    .filter(other -> !other.sessionId().equals(live.sessionId()))
                    .filter(other -> other.userName() == null || !other.userName().equals(live.userName()))
                    .toList();
            if (otherHolder || !others.isEmpty()) {
                count(live.tenantId(), Kind.DUPLICATE);
                log.warn("Drift: prefix {} of delegation {} (RADIUS user {}) is on session {} of NAS {} (user {}){}",
                        live.prefix(), holder.get().delegationId(), holder.get().radiusUserName(),
                        live.acctSessionId(), live.nas(), live.userName(),
                        others.isEmpty() ? "" : " and on " + others.size() + " other session(s)");
                if (otherHolder && settings.disconnectDuplicates()) {
                    disconnect(live);
                }
            }
            return;
        }
        boolean ours = holder.isPresent() || holders.inPools(live.tenantId(), live.prefix());
        boolean revoking = holder.isPresent() && !holder.get().quarantined();
        if (ours && !revoking) {
            // REVOKING is left to the revocation saga, which is disconnecting the session right now.
            count(live.tenantId(), Kind.REVOKED_LIVE);
            log.warn("Drift: prefix {}, held by no live delegation, is on session {} of NAS {} (user {}); "
                    + "sending a Disconnect", live.prefix(), live.acctSessionId(), live.nas(), live.userName());
            disconnect(live);
        }
    }

    /**
     * Registers the tenant's series at 0 on its first accounting record since the start, so that its first drift
     * is an increase that rates and alerts see, not a new series.
     */
    void seen(String tenant) {
        if (tenants.add(tenant)) {
            for (Kind kind : Kind.values()) {
                counter(tenant, kind);
            }
        }
    }

    /** Counts {@code kind} once for {@code tenant}. */
    void count(String tenant, Kind kind) {
        counter(tenant, kind).increment();
    }

    private Counter counter(String tenant, Kind kind) {
        return Counter.builder("ipv6.network.drift").description("Differences between the network and the service")
                .tag("tenant", tenant).tag("kind", kind.label()).register(registry);
    }

    private void disconnect(Session session) {
        if (!nas.enabled() || session.nasIp() == null || session.acctSessionId() == null) {
            return;
        }
        NetworkOutcome outcome = nas.disconnect(new NasSession(session.userName(), session.nasIp(),
                session.acctSessionId()));
        log.info("Disconnect of session {} at NAS {}: {}", session.acctSessionId(), session.nasIp(), outcome);
    }
}

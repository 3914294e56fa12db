package dev.ipv6lifecycle.server.aaa;

import dev.ipv6lifecycle.command.aaa.RadiusSessions;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Session;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The drift that shows as silence rather than in a record, looked for on a schedule
 * ({@link AccountingScheduleConfiguration}) and by the daily sweep: sessions whose Interim updates stopped are
 * closed as stale ({@code stale-session}), and ACTIVE delegations of which accounting said nothing for
 * {@code ipv6.accounting.stale-active-after} are reported ({@code stale-active}). Tenant by tenant.
 */
@Component
public class AccountingChecks {

    private static final Logger log = LoggerFactory.getLogger(AccountingChecks.class);
    /** Stale ACTIVE delegations named in the log per tenant and run; the count has them all. */
    private static final int LOGGED = 20;
    private static final int STALE_ACTIVE_LIMIT = 100_000;

    /** What one run found: sessions closed as stale, ACTIVE delegations without accounting. */
    public record Findings(int staleSessions, int staleActive) {
    }

    private final RadiusSessions sessions;
    private final NetworkDrift drift;
    private final AccountingSettings settings;

    AccountingChecks(RadiusSessions sessions, NetworkDrift drift, AccountingSettings settings) {
        this.sessions = sessions;
        this.drift = drift;
        this.settings = settings;
    }

    /** Closes the stale sessions of every tenant as of {@code now}. */
    int closeStaleSessions(Instant now) {
        int closed = 0;
        for (String tenant : sessions.tenantsWithOpenSessions()) {
            List<Session> stale = sessions.closeStale(tenant, now, settings.staleSessionFactor(),
                    settings.defaultInterimInterval().toSeconds());
            for (Session session : stale) {
                drift.count(tenant, NetworkDrift.Kind.STALE_SESSION);
                log.info("Drift: session {} of NAS {} (user {}, prefix {}) sent nothing since {}; closed as stale",
                        session.acctSessionId(), session.nas(), session.userName(), session.prefix(),
                        session.lastSeenAt());
            }
            closed += stale.size();
        }
        return closed;
    }

    /** Counts and logs the ACTIVE delegations accounting has been silent about, as of {@code now}. */
    int reportStaleActive(Instant now) {
        int found = 0;
        for (String tenant : sessions.tenantsWithActiveDelegations()) {
            List<UUID> silent = sessions.silentActive(tenant, now.minus(settings.staleActiveAfter()),
                    STALE_ACTIVE_LIMIT);
            silent.forEach(id -> drift.count(tenant, NetworkDrift.Kind.STALE_ACTIVE));
            if (!silent.isEmpty()) {
                log.warn("Drift: {} ACTIVE delegation(s) of tenant {} without accounting for {}: {}{}", silent.size(),
                        tenant, settings.staleActiveAfter(), silent.subList(0, Math.min(LOGGED, silent.size())),
                        silent.size() > LOGGED ? " ..." : "");
            }
            found += silent.size();
        }
        return found;
    }

    /** Both checks, as the daily sweep runs them. */
    public Findings run(Instant now) {
        return new Findings(closeStaleSessions(now), reportStaleActive(now));
    }
}

package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.sagas.network.Ipam;
import dev.ipv6lifecycle.sagas.network.NetworkAccessServer;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes one network step through the configured NAS and IPAM, and counts its outcome. */
class NetworkCalls {

    private static final Logger log = LoggerFactory.getLogger(NetworkCalls.class);

    private final NetworkAccessServer nas;
    private final Ipam ipam;
    private final MeterRegistry registry;
    private final LiveSessions sessions;

    NetworkCalls(NetworkAccessServer nas, Ipam ipam, MeterRegistry registry, LiveSessions sessions) {
        this.nas = nas;
        this.ipam = ipam;
        this.registry = registry;
        this.sessions = sessions;
        // Registered at zero from the start, so that dashboards and alerts have their series before any call.
        for (NetworkStep step : NetworkStep.values()) {
            for (NetworkOutcome.Result result : NetworkOutcome.Result.values()) {
                counter(step, result);
            }
        }
    }

    NetworkOutcome perform(NetworkStep step, DelegationTarget target) {
        NetworkOutcome outcome;
        try {
            outcome = dispatch(step, target);
        } catch (RuntimeException e) {
            // The adapters promise not to throw; if one does, the saga retries rather than stalls.
            log.warn("{} for delegation {} failed unexpectedly", step, target.delegationId(), e);
            outcome = NetworkOutcome.unreachable("unexpected error: " + e.getClass().getSimpleName());
        }
        count(step, outcome.result());
        return outcome;
    }

    private NetworkOutcome dispatch(NetworkStep step, DelegationTarget target) {
        boolean radius = step.target().equals("radius");
        if (radius && !nas.enabled()) {
            return NetworkOutcome.skipped("no RADIUS dynamic authorization configured");
        }
        if (radius && target.nas() == null) {
            // No details from the command: the sessions accounting reports for the prefix, if any.
            List<NasSession> live = sessions.carrying(target.tenantId(), target.prefix());
            if (live.isEmpty()) {
                return NetworkOutcome.skipped("no NAS session known for the delegation");
            }
            return toEach(step, target, live);
        }
        if (!radius && !ipam.enabled()) {
            return NetworkOutcome.skipped("no IPAM configured");
        }
        switch (step) {
            case PUSH_PREFIX:
                return nas.pushPrefix(target.nas(), target.prefix());
            case RESTRICT:
                return nas.restrict(target.nas());
            case DISCONNECT:
                return nas.disconnect(target.nas());
            case IPAM_RECORD:
                return ipam.record(target.tenantId(), target.prefix(), target.subscriberId(), target.delegationId());
            case IPAM_RELEASE:
                return ipam.release(target.tenantId(), target.prefix(), target.delegationId());
            default:
                throw new IllegalArgumentException("unknown network step " + step);
        }
    }

    /**
     * The step for each live session: it succeeded when it did for all. One unreachable NAS makes it worth
     * retrying; every step is idempotent, so the sessions that did answer are asked again harmlessly.
     */
    private NetworkOutcome toEach(NetworkStep step, DelegationTarget target, List<NasSession> live) {
        NetworkOutcome.Result worst = NetworkOutcome.Result.SUCCEEDED;
        StringBuilder detail = new StringBuilder();
        for (NasSession session : live) {
            NetworkOutcome outcome = dispatch(step, new DelegationTarget(target.delegationId(), target.tenantId(),
                    target.subscriberId(), target.prefix(), session));
            if (outcome.result() == NetworkOutcome.Result.UNREACHABLE
                    || outcome.result() == NetworkOutcome.Result.REJECTED
                    && worst != NetworkOutcome.Result.UNREACHABLE) {
                worst = outcome.result();
            }
            detail.append(detail.length() == 0 ? "" : "; ").append("session ").append(session.sessionId())
                    .append(" (from accounting) at ").append(session.nasIp()).append(": ").append(outcome.detail());
        }
        return new NetworkOutcome(worst, detail.toString());
    }

    private void count(NetworkStep step, NetworkOutcome.Result result) {
        counter(step, result).increment();
    }

    private Counter counter(NetworkStep step, NetworkOutcome.Result result) {
        return Counter.builder("ipv6.network.notifications").description("CoA, Disconnect and NetBox calls")
                .tags("target", step.target(), "kind", step.kind(), "outcome", result.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    static NetworkResult asEventResult(NetworkOutcome.Result result) {
        return NetworkResult.valueOf(result.name());
    }
}

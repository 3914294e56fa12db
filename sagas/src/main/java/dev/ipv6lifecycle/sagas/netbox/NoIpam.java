package dev.ipv6lifecycle.sagas.netbox;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.sagas.network.Ipam;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import java.util.List;
import java.util.UUID;

/** The IPAM when none is configured (the default): every step is skipped, and there is nothing to reconcile. */
final class NoIpam implements Ipam {

    private static final String NOT_CONFIGURED = "no IPAM configured (netbox.url and netbox.token are not both set)";

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public NetworkOutcome record(String tenantId, Ipv6Prefix prefix, String subscriberId, UUID delegationId) {
        return NetworkOutcome.skipped(NOT_CONFIGURED);
    }

    @Override
    public NetworkOutcome release(String tenantId, Ipv6Prefix prefix, UUID delegationId) {
        return NetworkOutcome.skipped(NOT_CONFIGURED);
    }

    @Override
    public List<IpamRecord> recorded(int offset, int limit) {
        return List.of();
    }
}

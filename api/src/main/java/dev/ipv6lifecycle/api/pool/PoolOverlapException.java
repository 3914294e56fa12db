package dev.ipv6lifecycle.api.pool;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;

/** The requested pool would overlap a pool the tenant already has. */
public class PoolOverlapException extends DomainRejection {

    public PoolOverlapException(Ipv6Prefix requested, String existing) {
        super(Kind.CONFLICT, requested + " overlaps the tenant's existing pool " + existing);
    }
}

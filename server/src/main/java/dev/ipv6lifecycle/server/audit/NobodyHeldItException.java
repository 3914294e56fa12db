package dev.ipv6lifecycle.server.audit;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;

/** No delegation of the tenant covered the address or prefix at that time. */
class NobodyHeldItException extends DomainRejection {

    NobodyHeldItException(Ipv6Prefix subject, Instant at) {
        super(Kind.NOT_FOUND, "no delegation held " + subject + " at " + at);
    }
}

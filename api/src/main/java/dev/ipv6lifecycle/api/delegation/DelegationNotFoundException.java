package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.DomainRejection;
import java.util.UUID;

/** No such delegation for the caller's tenant. Another tenant's delegation is answered the same way. */
public class DelegationNotFoundException extends DomainRejection {

    public DelegationNotFoundException(UUID delegationId) {
        super(Kind.NOT_FOUND, "no delegation " + delegationId);
    }
}

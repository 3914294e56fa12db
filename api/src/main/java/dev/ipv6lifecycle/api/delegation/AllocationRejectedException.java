package dev.ipv6lifecycle.api.delegation;

import dev.ipv6lifecycle.api.DomainRejection;
import java.util.UUID;

/** An allocation that cannot be made: a wrong request, an unknown pool, or no room. */
public class AllocationRejectedException extends DomainRejection {

    private final Kind kind;

    private AllocationRejectedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static AllocationRejectedException invalid(String message) {
        return new AllocationRejectedException(Kind.INVALID, message);
    }

    public static AllocationRejectedException unknownPool(UUID poolId) {
        return new AllocationRejectedException(Kind.NOT_FOUND, "no pool " + poolId);
    }

    public static AllocationRejectedException conflict(String message) {
        return new AllocationRejectedException(Kind.CONFLICT, message);
    }

    @Override
    public Kind kind() {
        return kind;
    }
}

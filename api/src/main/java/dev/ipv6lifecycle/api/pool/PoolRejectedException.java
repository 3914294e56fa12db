package dev.ipv6lifecycle.api.pool;

import dev.ipv6lifecycle.api.DomainRejection;

/** A pool command that the pool's parameters or state forbid: invalid parameters, or retiring a pool in use. */
public class PoolRejectedException extends DomainRejection {

    private final Kind kind;

    private PoolRejectedException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static PoolRejectedException invalid(String message) {
        return new PoolRejectedException(Kind.INVALID, message);
    }

    public static PoolRejectedException conflict(String message) {
        return new PoolRejectedException(Kind.CONFLICT, message);
    }

    public static PoolRejectedException unknown(Object poolId) {
        return new PoolRejectedException(Kind.NOT_FOUND, "no pool " + poolId);
    }

    @Override
    public Kind kind() {
        return kind;
    }
}

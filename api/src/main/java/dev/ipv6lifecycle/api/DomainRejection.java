package dev.ipv6lifecycle.api;

/**
 * A command or query refused by a business rule; nothing was stored. {@link #kind()} tells a caller how to
 * answer, so the REST layer maps every refusal to a status code without knowing each cause.
 */
public class DomainRejection extends RuntimeException {

    /** How the refusal should be reported. */
    public enum Kind {
        /** The request itself is wrong (400). */
        INVALID,
        /** The target does not exist for this tenant (404). */
        NOT_FOUND,
        /** The request is valid but the current state forbids it (409). */
        CONFLICT
    }

    private final Kind kind;

    protected DomainRejection(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static DomainRejection invalid(String message) {
        return new DomainRejection(Kind.INVALID, message);
    }

    public static DomainRejection notFound(String message) {
        return new DomainRejection(Kind.NOT_FOUND, message);
    }

    /** Nothing exists under {@code id}: the answer the REST API gives for an aggregate it cannot find. */
    public static DomainRejection unknown(Object id) {
        return notFound("Nothing with id " + id + " exists.");
    }

    public static DomainRejection conflict(String message) {
        return new DomainRejection(Kind.CONFLICT, message);
    }

    public Kind kind() {
        return kind;
    }
}

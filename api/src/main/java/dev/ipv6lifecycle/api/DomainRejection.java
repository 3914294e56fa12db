package dev.ipv6lifecycle.api;

/**
 * A command refused by a business rule. Nothing was stored. {@link #kind()} tells a caller how to answer:
 * the REST layer maps it to a status code without knowing every subclass.
 */
public abstract class DomainRejection extends RuntimeException {

    /** How the refusal should be reported. */
    public enum Kind {
        /** The request itself is wrong (400). */
        INVALID,
        /** The target does not exist for this tenant (404). */
        NOT_FOUND,
        /** The request is valid but the current state forbids it (409). */
        CONFLICT
    }

    protected DomainRejection(String message) {
        super(message);
    }

    public abstract Kind kind();
}

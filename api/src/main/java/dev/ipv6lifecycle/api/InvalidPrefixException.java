package dev.ipv6lifecycle.api;

/**
 * Thrown when text or a derived value is not an acceptable {@link Ipv6Prefix}. The message names
 * the offending input and the rule it breaks, so it can be shown to an operator unchanged.
 */
public class InvalidPrefixException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidPrefixException(String message) {
        super(message);
    }

    InvalidPrefixException(String message, Throwable cause) {
        super(message, cause);
    }
}

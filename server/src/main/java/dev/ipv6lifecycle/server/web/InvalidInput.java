package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.InvalidPrefixException;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Explains a value the client sent and the service could not take, in the client's terms: the field's JSON
 * path and what was expected. Never Jackson's or Java's own messages, which name internal classes.
 */
final class InvalidInput {

    private InvalidInput() {
    }

    /**
     * The message meant for the client somewhere in a cause chain: a prefix that {@link Ipv6Prefix#parse}
     * refused, or a domain rule. Both messages are written to be shown to an operator unchanged.
     */
    static Optional<String> clientMessage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InvalidPrefixException || cause instanceof DomainRejection) {
                return Optional.ofNullable(cause.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Whether a string of the request body was refused for its characters, somewhere in a cause chain. */
    static boolean hasForbiddenCharacters(Throwable failure) {
        return !chainOfType(failure, ForbiddenCharactersDeserializer.Refused.class).isEmpty();
    }

    /** What a value of the given type must look like, as the end of "field ..." or "parameter ...". */
    static String expectation(Class<?> type) {
        if (type == null) {
            return "has an invalid value";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name())
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (type == UUID.class) {
            return "must be a UUID";
        }
        if (type == Ipv6Prefix.class) {
            return "must be an IPv6 prefix in the form address/length";
        }
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class) {
            return "must be an ISO-8601 timestamp such as 2026-03-14T10:00:00Z";
        }
        if (type == LocalDate.class) {
            return "must be an ISO-8601 date such as 2026-03-14";
        }
        if (type == Duration.class) {
            return "must be an ISO-8601 duration such as P30D";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class || type == byte.class
                || type == java.math.BigInteger.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "must be a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.isPrimitive()) {
            return "must be an object";
        }
        return "has an invalid value";
    }

    /** Why a request body could not be read: the fields at fault, or a detail alone when none is known. */
    static Unreadable unreadable(Throwable failure) {
        // Jackson adds the path to the exception as it unwinds, but may wrap a specific exception in a
        // generic one on the way: the path comes from the outermost that has one, the kind from the innermost.
        List<JacksonException> chain = chainOfType(failure, JacksonException.class);
        Optional<String> clientMessage = clientMessage(failure);
        if (chain.isEmpty()) {
            return new Unreadable(clientMessage.orElse("The request body is missing or cannot be read."), List.of());
        }
        JacksonException jackson = chain.get(chain.size() - 1);
        String field = chain.stream().map(InvalidInput::path).filter(path -> !path.isEmpty()).findFirst().orElse("");
        if (field.isEmpty()) {
            if (jackson instanceof StreamReadException && !(jackson instanceof InputCoercionException)) {
                return new Unreadable("The request body is not well-formed JSON" + location(jackson) + ".", List.of());
            }
            String message = clientMessage.orElse(jackson instanceof MismatchedInputException mismatch
                    ? "The request body " + expectation(mismatch.getTargetType()) + "."
                    : "The request body cannot be read.");
            return new Unreadable(message, List.of());
        }
        FieldProblem problem = new FieldProblem(field, clientMessage.orElseGet(() -> fieldMessage(jackson)));
        return new Unreadable("The request body is invalid: " + sentence(problem, clientMessage.isPresent()) + ".",
                List.of(problem));
    }

    /**
     * "prefix must be a UUID" for the service's own words; "prefix: 2001:db8::1/48 has host bits set" for a
     * message that names the value itself and so does not continue the field's name.
     */
    static String sentence(FieldProblem problem, boolean standalone) {
        return problem.field() + (standalone ? ": " : " ") + problem.message();
    }

    private static String fieldMessage(JacksonException jackson) {
        if (jackson instanceof ForbiddenCharactersDeserializer.Refused refused) {
            return refused.getOriginalMessage();
        }
        if (jackson instanceof UnrecognizedPropertyException) {
            return "is not a known field";
        }
        if (jackson instanceof InvalidNullException) {
            return "must not be null";
        }
        if (jackson instanceof InputCoercionException) {
            return "is out of range";
        }
        if (jackson instanceof InvalidFormatException || jackson instanceof MismatchedInputException) {
            return expectation(((MismatchedInputException) jackson).getTargetType());
        }
        return "has an invalid value";
    }

    /** The JSON path of the value at fault, such as {@code nas.nasIp} or {@code delegatedLengths[1]}. */
    static String path(JacksonException jackson) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : jackson.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        // An unknown property is reported by the object that met it; make sure the path names it.
        if (jackson instanceof UnrecognizedPropertyException unknown && unknown.getPropertyName() != null
                && !path.toString().endsWith(unknown.getPropertyName())) {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(unknown.getPropertyName());
        }
        return path.toString();
    }

    private static String location(JacksonException jackson) {
        if (jackson.getLocation() == null || jackson.getLocation().getLineNr() < 1) {
            return "";
        }
        return " at line " + jackson.getLocation().getLineNr() + ", column " + jackson.getLocation().getColumnNr();
    }

    private static <T extends Throwable> List<T> chainOfType(Throwable failure, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                found.add(type.cast(cause));
            }
        }
        return found;
    }

    /** A request body that could not be read: the detail of the problem and the fields at fault. */
    record Unreadable(String detail, List<FieldProblem> errors) {
    }
}

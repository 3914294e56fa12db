package dev.ipv6lifecycle.server.aaa;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The one attribute the service reads from what {@code rlm_rest} sends with {@code body = 'json'}
 * ({@code {"User-Name": {"type": "string", "value": ["..."]}, ...}}): the first value of {@code User-Name}, if it
 * is one a delegation could carry (RFC 2865 §5.1: 1 to 253 octets, no control characters).
 */
final class RlmRestRequest {

    private RlmRestRequest() {
    }

    /** From the request read as a tree, as the controller reads it. */
    static Optional<String> userName(JsonNode request) {
        JsonNode value = request.path("User-Name").path("value").path(0);
        return value.isString() ? usable(value.asString()) : Optional.empty();
    }

    /**
     * The same User-Name as {@link #userName(JsonNode)} of the tree, read with a streaming parser that skips every
     * other attribute instead of building the tree: the whole body is still parsed, so that what is not one JSON
     * value fails as it would. Of duplicate members the last one counts, as in the tree. For a body in one of
     * the encodings Jackson detects itself.
     *
     * @throws JacksonException for a body that is not one JSON value
     */
    static Optional<String> userName(ObjectMapper json, byte[] body) {
        try (JsonParser parser = json.createParser(body)) {
            JsonToken root = parser.nextToken();
            if (root == null) {
                throw new StreamReadException(parser, "No content");
            }
            String userName = null;
            if (root == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    boolean isUserName = "User-Name".equals(parser.currentName());
                    parser.nextToken();
                    if (isUserName) {
                        userName = firstValue(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw new StreamReadException(parser, "More content after the JSON value");
            }
            return userName == null ? Optional.empty() : usable(userName);
        }
    }

    /** The first element of the attribute's {@code value} array when it is a string; null otherwise. */
    private static String firstValue(JsonParser parser) {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String first = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            boolean isValue = "value".equals(parser.currentName());
            JsonToken token = parser.nextToken();
            if (!isValue) {
                parser.skipChildren();
                continue;
            }
            first = null;
            if (token != JsonToken.START_ARRAY) {
                parser.skipChildren();
                continue;
            }
            JsonToken element = parser.nextToken();
            if (element == JsonToken.VALUE_STRING) {
                first = parser.getString();
            }
            while (element != JsonToken.END_ARRAY) {
                parser.skipChildren();
                element = parser.nextToken();
            }
        }
        return first;
    }

    private static Optional<String> usable(String name) {
        int octets = name.getBytes(StandardCharsets.UTF_8).length;
        return octets == 0 || octets > 253 || name.chars().anyMatch(Character::isISOControl)
                ? Optional.empty() : Optional.of(name);
    }
}

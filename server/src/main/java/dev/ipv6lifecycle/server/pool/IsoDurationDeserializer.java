package dev.ipv6lifecycle.server.pool;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * A duration only as ISO-8601 text ({@code "P1D"}). Jackson would also take a number of seconds, and turns a
 * huge one (5.5e300) into an arbitrary duration by overflow instead of refusing it.
 */
final class IsoDurationDeserializer extends ValueDeserializer<Duration> {

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (Duration) context.handleUnexpectedToken(Duration.class, parser);
        }
        String text = parser.getString();
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException invalid) {
            return (Duration) context.handleWeirdStringValue(Duration.class, text,
                    "must be an ISO-8601 duration such as P1D");
        }
    }
}

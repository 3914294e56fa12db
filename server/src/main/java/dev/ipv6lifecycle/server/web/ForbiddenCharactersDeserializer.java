package dev.ipv6lifecycle.server.web;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every {@code String} of a request body, at any depth and in any field, present or future: read as Jackson
 * reads it, then refused if it holds a {@link ForbiddenCharacters forbidden character}. Registered for the
 * type String on the API's JSON mapper ({@link WebConfiguration}), so no field can be left out; fields of
 * other types (UUIDs, prefixes, enums, times) refuse such text already because it does not parse.
 * Jackson adds the field's path to the exception as it unwinds, and the problem names it.
 */
final class ForbiddenCharactersDeserializer extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
        String text = super.deserialize(parser, context);
        if (text != null) {
            var refusal = ForbiddenCharacters.refusal(text);
            if (refusal.isPresent()) {
                throw new Refused(parser, refusal.get());
            }
        }
        return text;
    }

    /** A string refused for its characters; the message is the end of "field ...", meant for the client. */
    static final class Refused extends MismatchedInputException {

        Refused(JsonParser parser, String refusal) {
            super(parser, refusal, String.class);
        }
    }
}

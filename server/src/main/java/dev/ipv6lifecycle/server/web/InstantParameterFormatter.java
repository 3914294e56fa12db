package dev.ipv6lifecycle.server.web;

import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.format.Formatter;

/**
 * Reads an {@link Instant} query parameter exactly as Spring's {@code InstantFormatter} does (epoch milliseconds,
 * else RFC 1123 when it starts with a letter, else ISO-8601), without trying {@code Long.parseLong} on text that
 * cannot be a number: Spring's formatter catches a {@link NumberFormatException} for every ISO-8601 time, a
 * stack trace filled in for each attribution query.
 */
class InstantParameterFormatter implements Formatter<Instant> {

    @Override
    public Instant parse(String text, Locale locale) throws ParseException {
        if (couldBeLong(text)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text));
            } catch (NumberFormatException tooLong) {
                // As Spring's: on to the other forms, which refuse it.
            }
        }
        if (!text.isEmpty() && Character.isAlphabetic(text.charAt(0))) {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(text));
        }
        return Instant.parse(text);
    }

    @Override
    public String print(Instant instant, Locale locale) {
        return instant.toString();
    }

    /** What {@code Long.parseLong} could accept: a sign or none, then one digit or more (in any script). */
    private static boolean couldBeLong(String text) {
        int start = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 10) < 0) {
                return false;
            }
        }
        return true;
    }
}

package dev.ipv6lifecycle.server.web;

import java.util.Optional;

/**
 * The characters no text input of the API may hold, wherever it arrives: a JSON string at any depth
 * ({@link ForbiddenCharactersDeserializer}), a path variable or query parameter
 * ({@link ForbiddenCharactersInterceptor}), or the {@code Idempotency-Key} header ({@link IdempotencyFilter}).
 *
 * <ul>
 * <li>U+0000: PostgreSQL cannot store it in text, nor its JSON escape in jsonb. Taken, it fails the command
 *     late, or worse, is stored in an event that a projection can never write.</li>
 * <li>Every other control character, C0 (U+0001 to U+001F), DEL (U+007F) and C1 (U+0080 to U+009F):
 *     no identifier, name or address of this API has one. Tab and newline are refused too, in free-text
 *     reasons as well: a reason is a one-line note (at most 500 characters) in a delegation's history and
 *     audit trail, and wherever it is printed as it is (a log line, a terminal, a table an operator makes of
 *     the export) a newline or tab would let a client forge what looks like another line or column. And one
 *     rule for every string keeps the check in one place, with no list of exempt fields to keep current.</li>
 * <li>An unpaired surrogate (a JSON escape of U+D800 with no low half after it): no character at all, and
 *     the UTF-8 encoder would silently store it as {@code ?}.</li>
 * </ul>
 */
public final class ForbiddenCharacters {

    private ForbiddenCharacters() {
    }

    /** Why the text is refused, as the end of "field ...", or empty when it may be taken. */
    public static Optional<String> refusal(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return Optional.of("must not contain control characters; found U+%04X".formatted((int) c));
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("must not contain unpaired surrogates; found U+%04X".formatted((int) c));
            }
        }
        return Optional.empty();
    }
}

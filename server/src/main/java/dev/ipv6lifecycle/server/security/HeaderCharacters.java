package dev.ipv6lifecycle.server.security;

import java.util.function.Predicate;

/**
 * The characters Spring Security's {@code StrictHttpFirewall} allows in header names and values and in
 * parameter names, decided without a regular expression. The firewall's own predicates match every header a
 * request's code reads against {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} (values also allow a tab), through
 * {@code Character.getType} for every character: 8 % of an AAA request's CPU in the profile. These accept
 * exactly the same strings (every code point is checked; {@code HeaderCharactersTests} compares them with
 * the patterns over all code points), with a shortcut for printable ASCII, which is nearly every header.
 */
final class HeaderCharacters {

    /** Header and parameter names: assigned code points that are not control characters. */
    static final Predicate<String> NAME = value -> allowed(value, false);

    /** Header values: as names, and a tab besides. */
    static final Predicate<String> VALUE = value -> allowed(value, true);

    private HeaderCharacters() {
    }

    private static boolean allowed(String value, boolean tab) {
        int length = value.length();
        for (int i = 0; i < length; ) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++;
                continue;
            }
            int codePoint = value.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL && !(tab && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}

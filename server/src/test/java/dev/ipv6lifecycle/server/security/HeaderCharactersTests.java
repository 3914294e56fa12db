package dev.ipv6lifecycle.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The firewall's character rules without regular expressions accept exactly what its patterns accept. */
class HeaderCharactersTests {

    /** StrictHttpFirewall's own patterns (Spring Security 7.1) for header names, parameter names and values. */
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointAloneAndBetweenPrintableTextIsJudgedAsThePatternsJudgeIt() {
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String alone = Character.toString(codePoint);
            assertSame(alone);
            if (codePoint % 97 == 0 || codePoint < 0x3000) {
                assertSame("Bearer x" + alone + "y");
            }
        }
    }

    @Test
    void unpairedSurrogatesAndPairsInEitherOrderAreJudgedAsThePatternsJudgeThem() {
        for (String value : new String[] {"\uD83D", "\uDE00", "a\uD83Db", "a\uDE00\uD83D", "\uD83D\uDE00", "", "\t",
                "x\ty", "\u0000", "abc\u007f", "caf\u00e9", "\u0085", "\u2028", "\uFFFF", "\uFEFF"}) {
            assertSame(value);
        }
    }

    private static void assertSame(String value) {
        assertAgrees(HeaderCharacters.NAME, NAME, value);
        assertAgrees(HeaderCharacters.VALUE, VALUE, value);
    }

    private static void assertAgrees(Predicate<String> predicate, Pattern pattern, String value) {
        boolean expected = pattern.matcher(value).matches();
        if (predicate.test(value) != expected) {
            assertThat(predicate.test(value)).as("%s for %s", pattern, value.codePoints()
                    .mapToObj(Integer::toHexString).toList()).isEqualTo(expected);
        }
    }
}

package dev.ipv6lifecycle.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.format.datetime.standard.InstantFormatter;

/** The Instant parameters read exactly as with Spring's own formatter: the same instant, or the same refusal. */
class InstantParameterFormatterTests {

    private static final List<String> INPUTS = List.of("2026-03-14T10:00:00Z", "2026-03-14T10:00:00.123456Z",
            "2026-03-14T10:00:00+02:00", "1773482400000", "-1", "+42", "0", "-", "+", "", " 1", "1 ",
            "99999999999999999999", "١٢٣", "12a", "Sat, 14 Mar 2026 10:00:00 GMT", "Sat, 14 Mar 2026", "tomorrow",
            "2026-03-14", "2026-13-14T10:00:00Z", "-2026-03-14T10:00:00Z", "+2026-03-14T10:00:00Z");

    @Test
    void everyInputReadsAsSpringsFormatterReadsIt() {
        InstantParameterFormatter ours = new InstantParameterFormatter();
        InstantFormatter spring = new InstantFormatter();
        for (String input : INPUTS) {
            assertThat(outcome(() -> ours.parse(input, Locale.ROOT))).as(input)
                    .isEqualTo(outcome(() -> spring.parse(input, Locale.ROOT)));
        }
    }

    @Test
    void anInstantPrintsAsItsIsoForm() {
        Instant at = Instant.parse("2026-03-14T10:00:00.5Z");
        assertThat(new InstantParameterFormatter().print(at, Locale.ROOT)).isEqualTo(new InstantFormatter().print(at, Locale.ROOT));
    }

    /** The instant, or the refusal's class and message. */
    private static String outcome(Callable<Instant> parse) {
        try {
            return "read " + parse.call();
        } catch (Exception e) {
            return "refused " + e.getClass().getName() + ": " + e.getMessage();
        }
    }
}

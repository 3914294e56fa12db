package dev.ipv6lifecycle.sagas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The backoff between attempts, as worked examples: each expected wait is written out, not computed. */
class SagaSettingsTests {

    private static SagaSettings settings(Duration firstRetry, Duration maxRetry) {
        return new SagaSettings(Duration.ofMinutes(1), firstRetry, maxRetry, 5, Duration.ofHours(1), 1, 1);
    }

    @ParameterizedTest(name = "after attempt {0}: {1}")
    @CsvSource({
            "1, PT5S",    // the first retry
            "2, PT10S",   // 5 s x 2
            "3, PT20S",   // 5 s x 4
            "4, PT40S",   // 5 s x 8
            "5, PT1M20S", // 5 s x 16 = 80 s
            "6, PT2M40S", // 5 s x 32 = 160 s
            "7, PT5M",    // 5 s x 64 = 320 s, above the 300 s cap
            "8, PT5M",
            "1000, PT5M"  // far past the cap: no overflow of the doubling
    })
    void doublesFromTheFirstRetryUpToTheCap(int attempt, Duration wait) {
        assertThat(settings(Duration.ofSeconds(5), Duration.ofMinutes(5)).backoff(attempt)).isEqualTo(wait);
    }

    @ParameterizedTest(name = "after attempt {0}: {1}")
    @CsvSource({
            "1, PT3S", // 3 s is below the cap of 4 s
            "2, PT4S", // 3 s x 2 = 6 s, capped at 4 s
            "3, PT4S"
    })
    void stopsAtACapThatIsNotAPowerOfTwoOfTheFirstRetry(int attempt, Duration wait) {
        assertThat(settings(Duration.ofSeconds(3), Duration.ofSeconds(4)).backoff(attempt)).isEqualTo(wait);
    }

    @ParameterizedTest(name = "after attempt {0}: {1}")
    @CsvSource({"1, PT1M", "2, PT1M"})
    void neverWaitsLongerThanTheCapEvenWhenTheFirstRetryIsLonger(int attempt, Duration wait) {
        assertThat(settings(Duration.ofMinutes(10), Duration.ofMinutes(1)).backoff(attempt)).isEqualTo(wait);
    }
}

package dev.ipv6lifecycle.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LengthForecastTests {

    @Test
    void aPoolTakingSeventyPrefixesAWeekWithSevenHundredFreeRunsOutInSeventyDays() {
        LengthForecast forecast = LengthForecast.of(56, BigInteger.valueOf(700), Map.of(56, 70L), Map.of(56, 300L));

        assertThat(forecast.netPerDayLast7Days()).isEqualTo(10.0);
        assertThat(forecast.netPerDayLast30Days()).isEqualTo(10.0);
        assertThat(forecast.daysLeft()).isCloseTo(70.0, within(1e-9));
    }

    @Test
    void everyLengthTakesSpaceInProportionToItsSize() {
        // A week of 7 /48s (256 /56 each) and 1,792 /64s (1/256 of a /56 each): 257 /56s a day.
        LengthForecast forecast = LengthForecast.of(56, BigInteger.valueOf(2_570), Map.of(48, 7L, 64, 1_792L), Map.of());

        assertThat(forecast.netPerDayLast7Days()).as("no /56 itself was allocated").isZero();
        assertThat(forecast.daysLeft()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void aShrinkingOrEmptyTrendGivesNoDateNeverANegativeOrInfiniteOne() {
        assertThat(LengthForecast.of(64, BigInteger.TEN, Map.of(64, -14L), Map.of(64, 5L)).daysLeft()).isNull();
        assertThat(LengthForecast.of(64, BigInteger.TEN, Map.of(64, 0L), Map.of()).daysLeft()).isNull();
        assertThat(LengthForecast.of(64, BigInteger.TEN, Map.of(), Map.of())).isEqualTo(LengthForecast.NONE);
    }

    @Test
    void aPoolWithNothingLeftOfALengthThatIsStillTakenHasZeroDaysLeft() {
        assertThat(LengthForecast.of(48, BigInteger.ZERO, Map.of(56, 7L), Map.of()).daysLeft()).isZero();
    }

    @Test
    void aPoolTooLargeForADoubleStillGetsAFiniteForecast() {
        BigInteger free = BigInteger.ONE.shiftLeft(32);
        LengthForecast forecast = LengthForecast.of(64, free, Map.of(64, 7L), Map.of());

        assertThat(forecast.daysLeft()).isCloseTo(Math.pow(2, 32), within(1.0));
    }
}

package dev.ipv6lifecycle.api.pool;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Map;

/**
 * When a pool runs out of prefixes of one length, from the net rate at which its space was taken over the
 * last 7 complete UTC days.
 *
 * <p>Space taken by any length counts: a /56 allocated takes 1/256 of a /48, a /48 takes 256 /56s. So the
 * prefixes of length L consumed per day are the sum, over every length l, of the net rate of /l times
 * 2^(L - l). The number of /L left is exact (the free blocks); this assumes the space freed and taken keeps
 * no worse a shape than now, which best fit, lowest address first, keeps close.
 *
 * @param netPerDayLast7Days  prefixes of this length allocated less those returned to free space, per day,
 *                            over the last 7 complete days
 * @param netPerDayLast30Days the same over the last 30 complete days
 * @param daysLeft            days until no prefix of this length is left at the last 7 days' rate; null when
 *                            that rate does not consume space (no allocations, or more returned than taken)
 */
public record LengthForecast(double netPerDayLast7Days, double netPerDayLast30Days, Double daysLeft) {

    /** No history: nothing to forecast. */
    public static final LengthForecast NONE = new LengthForecast(0, 0, null);

    public static final int SHORT_WINDOW_DAYS = 7;
    public static final int LONG_WINDOW_DAYS = 30;

    /**
     * @param free       how many more prefixes of {@code length} fit now
     * @param netLast7   per length: taken less returned over the last 7 complete days
     * @param netLast30  per length: the same over the last 30 complete days
     */
    public static LengthForecast of(int length, BigInteger free, Map<Integer, Long> netLast7, Map<Integer, Long> netLast30) {
        double consumed = 0;
        for (Map.Entry<Integer, Long> net : netLast7.entrySet()) {
            consumed += net.getValue() * Math.pow(2, length - net.getKey());
        }
        double perDay = consumed / SHORT_WINDOW_DAYS;
        Double daysLeft = perDay > 0 ? new BigDecimal(free).divide(BigDecimal.valueOf(perDay), MathContext.DECIMAL64)
                .doubleValue() : null;
        return new LengthForecast(netLast7.getOrDefault(length, 0L) / (double) SHORT_WINDOW_DAYS,
                netLast30.getOrDefault(length, 0L) / (double) LONG_WINDOW_DAYS, daysLeft);
    }
}

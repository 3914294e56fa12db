package dev.ipv6lifecycle.server.aaa;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * RADIUS accounting, under {@code ipv6.accounting}.
 *
 * @param staleSessionFactor     how many Acct-Interim-Intervals without a record close a session as stale
 * @param defaultInterimInterval the interval of a session that announced none
 * @param checkInterval          how often stale sessions and stale ACTIVE delegations are looked for
 * @param staleActiveAfter       how long an ACTIVE delegation may go without accounting before it is drift
 * @param disconnectDuplicates   whether a session carrying another subscriber's prefix is sent a Disconnect
 */
@ConfigurationProperties("ipv6.accounting")
record AccountingSettings(
        @DefaultValue("2.5") double staleSessionFactor,
        @DefaultValue("PT10M") Duration defaultInterimInterval,
        @DefaultValue("PT1M") Duration checkInterval,
        @DefaultValue("PT24H") Duration staleActiveAfter,
        @DefaultValue("false") boolean disconnectDuplicates) {

    AccountingSettings {
        if (!(staleSessionFactor >= 1)) {
            throw new IllegalArgumentException("ipv6.accounting.stale-session-factor must be at least 1");
        }
        for (Duration positive : new Duration[] {defaultInterimInterval, checkInterval, staleActiveAfter}) {
            if (positive.isNegative() || positive.isZero()) {
                throw new IllegalArgumentException("ipv6.accounting durations must be positive, not " + positive);
            }
        }
    }
}

package dev.ipv6lifecycle.api.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Worked examples of the one fold of a delegation's events; every expected value is written out. */
class DelegationStateTests {

    private static final UUID ID = UUID.fromString("7f0c1d2e-0000-4000-8000-000000000001");
    private static final UUID POOL = UUID.fromString("7f0c1d2e-0000-4000-8000-0000000000aa");
    private static final Ipv6Prefix PREFIX = Ipv6Prefix.parse("2001:db8:12:3400::/56");
    private static final NasSession FIRST = new NasSession("alice@isp", "192.0.2.1", "sess-1");
    private static final NasSession SECOND = new NasSession("alice@isp", "192.0.2.2", "sess-2");

    private static final Instant ALLOCATED = Instant.parse("2026-03-14T10:00:00Z");
    private static final Instant ACTIVATED = Instant.parse("2026-03-14T10:00:01Z");
    private static final Instant SUSPENDED = Instant.parse("2026-03-15T08:00:00Z");
    private static final Instant RESUMED = Instant.parse("2026-03-16T09:30:00Z");
    private static final Instant REVOKING = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant REVOKED = Instant.parse("2026-04-01T00:00:02Z");
    private static final Instant QUARANTINE_UNTIL = Instant.parse("2026-04-02T00:00:02Z");
    private static final Instant QUARANTINE_ENDED = Instant.parse("2026-04-02T00:00:05Z");

    @Test
    void aWholeLifeLeavesEveryTimeAndTheLatestReason() {
        DelegationState state = fold(
                new PrefixAllocatedEvent(ID, "isp-a", "sub-1", POOL, PREFIX, Placement.BEST_FIT, null,
                        Duration.ofDays(1), true, FIRST, ALLOCATED),
                new PrefixActivatedEvent(ID, "isp-a", FIRST, null, ACTIVATED),
                new PrefixSuspendedEvent(ID, "isp-a", SECOND, "unpaid invoice", SUSPENDED),
                new PrefixResumedEvent(ID, "isp-a", SECOND, null, RESUMED),
                new NetworkCallRecordedEvent(ID, "isp-a", NetworkStep.PUSH_PREFIX, NetworkResult.SUCCEEDED, 1, "ok",
                        RESUMED.plusSeconds(1)),
                new PrefixRevocationStartedEvent(ID, "isp-a", "sub-1", PREFIX, SECOND, "contract ended", REVOKING,
                        LifecycleState.ACTIVE),
                new PrefixRevocationRetriedEvent(ID, "isp-a", "sub-1", PREFIX, SECOND, "stuck", REVOKING.plusSeconds(1)),
                new PrefixRevokedEvent(ID, "isp-a", PREFIX, QUARANTINE_UNTIL, null, REVOKED));

        assertThat(state).isEqualTo(new DelegationState(ID, "isp-a", "sub-1", POOL, PREFIX, Duration.ofDays(1), SECOND,
                null, LifecycleState.REVOKED, ALLOCATED, REVOKED, ACTIVATED, SUSPENDED, REVOKED, null, null,
                QUARANTINE_UNTIL, null, "alice@isp"));
        assertThat(state.view()).isEqualTo(new DelegationView(ID, "sub-1", POOL, PREFIX, 56, LifecycleState.REVOKED,
                ALLOCATED, ACTIVATED, SUSPENDED, REVOKED, null, null, QUARANTINE_UNTIL));
        assertThat(state.quarantineOver()).isFalse();
    }

    @Test
    void theEndOfTheQuarantineKeepsTheStateTheReasonAndWhenItChanged() {
        DelegationState state = fold(
                new PrefixAllocatedEvent(ID, "isp-a", "sub-1", POOL, PREFIX, Placement.QUARANTINE_RECLAIM, POOL,
                        Duration.ofDays(1), false, null, ALLOCATED),
                new PrefixActivationFailedEvent(ID, "isp-a", PREFIX, QUARANTINE_UNTIL, "CoA-NAK", ACTIVATED),
                new PrefixQuarantineEndedEvent(ID, "isp-a", PREFIX, QUARANTINE_ENDED));

        assertThat(state).isEqualTo(new DelegationState(ID, "isp-a", "sub-1", POOL, PREFIX, Duration.ofDays(1), null,
                POOL, LifecycleState.FAILED, ALLOCATED, ACTIVATED, null, null, null, ACTIVATED, "CoA-NAK",
                QUARANTINE_UNTIL, QUARANTINE_ENDED, "sub-1"));
        assertThat(state.quarantineOver()).isTrue();
    }

    @Test
    void aRevocationNamesTheStateItStartedFromWhenItsEventCarriesIt() {
        var fromSuspended = new PrefixRevocationStartedEvent(ID, "isp-a", "sub-1", PREFIX, null, null, REVOKING,
                LifecycleState.SUSPENDED);
        var storedBeforeItDid = new PrefixRevocationStartedEvent(ID, "isp-a", "sub-1", PREFIX, null, null, REVOKING,
                null);

        assertThat(DelegationChange.of(fromSuspended)).get().satisfies(change -> {
            assertThat(change.previousState()).isEqualTo(LifecycleState.SUSPENDED);
            assertThat(change.state()).isEqualTo(LifecycleState.REVOKING);
        });
        assertThat(DelegationChange.of(storedBeforeItDid)).get()
                .satisfies(change -> assertThat(change.previousState()).isNull());
    }

    @Test
    void networkRecordsAndRetriesChangeNothing() {
        assertThat(DelegationChange.of(new NetworkCallRecordedEvent(ID, "isp-a", NetworkStep.DISCONNECT,
                NetworkResult.UNREACHABLE, 3, null, REVOKING))).isEmpty();
        assertThat(DelegationChange.of(new PrefixRevocationRetriedEvent(ID, "isp-a", "sub-1", PREFIX, null, null,
                REVOKING))).isEmpty();
    }

    @Test
    void theRadiusUserNameIsTheOneGivenThenTheNasSessionsThenTheSubscriberId() {
        var given = new PrefixAllocatedEvent(ID, "isp-a", "sub-1", POOL, PREFIX, Placement.BEST_FIT, null,
                Duration.ofDays(1), false, FIRST, ALLOCATED, "line-0042");
        var fromTheSession = new PrefixAllocatedEvent(ID, "isp-a", "sub-1", POOL, PREFIX, Placement.BEST_FIT, null,
                Duration.ofDays(1), false, FIRST, ALLOCATED);
        var none = new PrefixAllocatedEvent(ID, "isp-a", "sub-1", POOL, PREFIX, Placement.BEST_FIT, null,
                Duration.ofDays(1), false, null, ALLOCATED);

        assertThat(fold(given).radiusUserName()).isEqualTo("line-0042");
        assertThat(fold(fromTheSession).radiusUserName()).isEqualTo("alice@isp");
        assertThat(fold(none).radiusUserName()).isEqualTo("sub-1");
    }

    @Test
    void settingTheRadiusUserNameLaterChangesOnlyThatName() {
        DelegationState before = fold(
                new PrefixAllocatedEvent(ID, "isp-a", "sub-1", POOL, PREFIX, Placement.BEST_FIT, null,
                        Duration.ofDays(1), false, null, ALLOCATED),
                new PrefixActivatedEvent(ID, "isp-a", null, "up", ACTIVATED));
        DelegationState after = DelegationState.when(before,
                new RadiusUserNameSetEvent(ID, "isp-a", "bob@isp", SUSPENDED));

        assertThat(after).isEqualTo(new DelegationState(ID, "isp-a", "sub-1", POOL, PREFIX, Duration.ofDays(1), null,
                null, LifecycleState.ACTIVE, ALLOCATED, ACTIVATED, ACTIVATED, null, null, null, "up", null, null,
                "bob@isp"));
        assertThat(DelegationChange.of(new RadiusUserNameSetEvent(ID, "isp-a", "bob@isp", SUSPENDED))).get()
                .satisfies(change -> assertThat(change.isTransition()).isFalse());
    }

    private static DelegationState fold(DelegationEvent... events) {
        DelegationState state = null;
        for (DelegationEvent event : events) {
            state = DelegationState.when(state, event);
        }
        return state;
    }
}

package dev.ipv6lifecycle.query.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.DelegationEvent;
import dev.ipv6lifecycle.api.delegation.DelegationState;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.FindDelegationQuery;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.NetworkCallRecordedEvent;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.api.delegation.Placement;
import dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixQuarantineEndedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixResumedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationRetriedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent;
import dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent;
import dev.ipv6lifecycle.query.QuerySideFixture;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;

/**
 * Random lifecycles of one delegation, each a walk over the state table with network records, revocation
 * retries and redelivered events mixed in: the {@code delegation_view} row the projection writes in SQL
 * must equal {@link DelegationState}, the fold the aggregate and the command answers use, field by field.
 */
class DelegationRowPropertyTests {

    private static final String TENANT = "isp-a";
    private static final UUID POOL = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-03-14T10:00:00Z");
    private static final Duration QUARANTINE = Duration.ofDays(1);
    private static final NasSession NAS = new NasSession("alice@isp", "192.0.2.1", "sess-1");

    private static QuerySideFixture fixture;

    @BeforeContainer
    static void connect() {
        fixture = QuerySideFixture.onFreshDatabase();
    }

    @AfterContainer
    static void close() {
        fixture.close();
    }

    @Property(tries = 300)
    void theReadModelRowEqualsTheFoldOfTheSameEvents(
            @ForAll @Size(max = 14) List<@IntRange(min = 0, max = 9999) Integer> steps,
            @ForAll boolean reclaimed, @ForAll Random random) {
        List<DelegationEvent> history = history(steps, reclaimed, random);

        List<DomainEventMessage<?>> delivered = fixture.apply(history.toArray());
        // A processor may deliver an event again (a rolled-back batch, a retried dead letter).
        for (int i = 0; i < 3; i++) {
            fixture.deliver(delivered.get(random.nextInt(delivered.size())));
        }

        DelegationState fold = null;
        for (DelegationEvent event : history) {
            fold = DelegationState.when(fold, event);
        }
        assertThat(row(fold.delegationId())).isEqualTo(expectedRow(fold));
        assertThat(fixture.query(new FindDelegationQuery(TENANT, fold.delegationId()),
                ResponseTypes.optionalInstanceOf(DelegationView.class))).contains(fold.view());
    }

    /** A walk over the state table: each step picks one of the moves the current state allows. */
    private static List<DelegationEvent> history(List<Integer> steps, boolean reclaimed, Random random) {
        UUID id = UUID.randomUUID();
        Ipv6Prefix prefix = Ipv6Prefix.parse(String.format("2001:db8:%x:%x00::/56", random.nextInt(0x10000),
                random.nextInt(0x100)));
        Instant[] clock = {T0.plusSeconds(random.nextInt(100_000))};
        List<DelegationEvent> events = new ArrayList<>();
        events.add(new PrefixAllocatedEvent(id, TENANT, "sub-" + random.nextInt(1000), POOL, prefix,
                reclaimed ? Placement.QUARANTINE_RECLAIM : Placement.BEST_FIT, reclaimed ? UUID.randomUUID() : null,
                QUARANTINE, random.nextBoolean(), random.nextBoolean() ? NAS : null, clock[0]));
        LifecycleState state = LifecycleState.ALLOCATED;
        boolean quarantineEnded = false;
        for (int step : steps) {
            // Microseconds, as the aggregate stamps its events and PostgreSQL keeps them.
            Instant at = clock[0] = clock[0].plusNanos(1_000L * (1 + random.nextInt(5_000_000)));
            String reason = random.nextBoolean() ? null : "reason " + step;
            NasSession nas = random.nextBoolean() ? NAS : null;
            List<String> moves = new ArrayList<>(MOVES.get(state));
            if (quarantineEnded) {
                moves.remove("end quarantine");
            }
            String move = moves.get(step % moves.size());
            switch (move) {
                case "activate" -> events.add(new PrefixActivatedEvent(id, TENANT, nas, reason, at));
                case "suspend" -> events.add(new PrefixSuspendedEvent(id, TENANT, nas, reason, at));
                case "resume" -> events.add(new PrefixResumedEvent(id, TENANT, nas, reason, at));
                case "revoke" -> events.add(new PrefixRevocationStartedEvent(id, TENANT, "sub", prefix, nas, reason,
                        at, random.nextBoolean() ? state : null));
                case "retry" -> events.add(new PrefixRevocationRetriedEvent(id, TENANT, "sub", prefix, nas, reason, at));
                case "complete" -> events.add(new PrefixRevokedEvent(id, TENANT, prefix, at.plus(QUARANTINE), reason, at));
                case "fail" -> events.add(new PrefixActivationFailedEvent(id, TENANT, prefix, at.plus(QUARANTINE),
                        reason, at));
                case "end quarantine" -> {
                    events.add(new PrefixQuarantineEndedEvent(id, TENANT, prefix, at));
                    quarantineEnded = true;
                }
                case "network call" -> events.add(new NetworkCallRecordedEvent(id, TENANT, NetworkStep.DISCONNECT,
                        NetworkResult.SUCCEEDED, 1, reason, at));
                default -> throw new IllegalStateException(move);
            }
            state = NEXT.getOrDefault(move, state);
        }
        return events;
    }

    private static final Map<LifecycleState, List<String>> MOVES = Map.of(
            LifecycleState.ALLOCATED, List.of("activate", "revoke", "fail", "network call"),
            LifecycleState.ACTIVE, List.of("suspend", "revoke", "network call"),
            LifecycleState.SUSPENDED, List.of("resume", "revoke", "network call"),
            LifecycleState.REVOKING, List.of("complete", "retry", "network call"),
            LifecycleState.REVOKED, List.of("end quarantine", "network call"),
            LifecycleState.FAILED, List.of("end quarantine", "network call"));

    private static final Map<String, LifecycleState> NEXT = Map.of(
            "activate", LifecycleState.ACTIVE, "suspend", LifecycleState.SUSPENDED, "resume", LifecycleState.ACTIVE,
            "revoke", LifecycleState.REVOKING, "complete", LifecycleState.REVOKED, "fail", LifecycleState.FAILED);

    private static List<Object> row(UUID id) {
        return fixture.jdbc().queryForObject("""
                SELECT tenant_id, subscriber_id, pool_id, prefix::text, state, allocated_at, state_changed_at,
                       activated_at, suspended_at, revoked_at, failed_at, reason, quarantine_until,
                       quarantine_ended_at, reclaimed_from
                FROM delegation_view WHERE delegation_id = ?""", (rs, n) -> {
                    List<Object> columns = new ArrayList<>();
                    for (int column = 1; column <= 15; column++) {
                        Object value = rs.getObject(column);
                        columns.add(value instanceof Timestamp time ? time.toInstant() : value);
                    }
                    return columns;
                }, id);
    }

    private static List<Object> expectedRow(DelegationState fold) {
        List<Object> columns = new ArrayList<>();
        columns.add(fold.tenantId());
        columns.add(fold.subscriberId());
        columns.add(fold.poolId());
        columns.add(fold.prefix().canonical());
        columns.add(fold.state().name());
        for (Instant time : new Instant[] {fold.allocatedAt(), fold.stateChangedAt(), fold.activatedAt(),
                fold.suspendedAt(), fold.revokedAt(), fold.failedAt()}) {
            columns.add(time);
        }
        columns.add(fold.reason());
        columns.add(fold.quarantineUntil());
        columns.add(fold.quarantineEndedAt());
        columns.add(fold.reclaimedFrom());
        return columns;
    }
}

package dev.ipv6lifecycle.command.aaa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.AccountingRecord;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Outcome;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Session;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Status;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The accounting rules of {@link RadiusSessions} on the real PostgreSQL, with the real migrations. */
class RadiusSessionsTests {

    private static final Instant T = Instant.parse("2026-03-14T10:00:00Z");
    private static final Ipv6Prefix PREFIX = Ipv6Prefix.parse("2001:db8:77:100::/56");

    private static JdbcTemplate jdbc;
    private static RadiusSessions sessions;

    private String tenant;

    @BeforeAll
    static void connect() {
        DataSource dataSource = SharedPostgres.dataSource(SharedPostgres.freshDatabase());
        jdbc = new JdbcTemplate(dataSource);
        sessions = new RadiusSessions(jdbc, new DataSourceTransactionManager(dataSource));
    }

    @BeforeEach
    void freshTenant() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void concurrentDeliveriesOfOneStartOpenOneSession() throws Exception {
        int copies = 8;
        CyclicBarrier together = new CyclicBarrier(copies);
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                outcomes.add(pool.submit(() -> {
                    together.await();
                    return sessions.apply(record(Status.START, "s-1", PREFIX, T)).outcome();
                }));
            }
            List<Outcome> seen = new ArrayList<>();
            for (Future<Outcome> outcome : outcomes) {
                seen.add(outcome.get());
            }
            assertThat(seen).filteredOn(Outcome.OPENED::equals).hasSize(1);
            assertThat(seen).filteredOn(Outcome.UNCHANGED::equals).hasSize(copies - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows("s-1")).isEqualTo(1);
    }

    @Test
    void anInterimAfterTheStopChangesNothingWhateverItsDate() {
        sessions.apply(record(Status.START, "s-2", null, T));
        sessions.apply(record(Status.STOP, "s-2", null, T.plusSeconds(600)));

        assertThat(sessions.apply(record(Status.INTERIM, "s-2", PREFIX, T.plusSeconds(300))).outcome())
                .isEqualTo(Outcome.UNCHANGED);
        assertThat(sessions.apply(record(Status.INTERIM, "s-2", PREFIX, T.plusSeconds(900))).outcome())
                .isEqualTo(Outcome.UNCHANGED);
        assertThat(sessions.apply(record(Status.STOP, "s-2", null, T.plusSeconds(600))).outcome())
                .isEqualTo(Outcome.UNCHANGED);
        assertThat(rows("s-2")).isEqualTo(1);
        Session only = sessions.list(tenant, null, "user-s-2", false, 10).get(0);
        assertThat(only.stoppedAt()).isEqualTo(T.plusSeconds(600));
        assertThat(only.prefix()).isNull();
    }

    @Test
    void aPrefixThatAppearsInALaterInterimIsKeptAndLastSeenOnlyMovesForward() {
        sessions.apply(record(Status.START, "s-3", null, T));
        sessions.apply(record(Status.INTERIM, "s-3", PREFIX, T.plusSeconds(600)));
        sessions.apply(record(Status.INTERIM, "s-3", null, T.plusSeconds(300)));

        Session session = sessions.openWithPrefix(tenant, PREFIX).get(0);
        assertThat(session.lastSeenAt()).isEqualTo(T.plusSeconds(600));
        assertThat(session.startedAt()).isEqualTo(T);
        assertThat(session.prefix()).isEqualTo(PREFIX);
    }

    @Test
    void aStartWithALaterDateOnAnOpenKeyEndsTheOldOccurrenceAndOpensANewOne() {
        sessions.apply(record(Status.START, "s-4", null, T));

        assertThat(sessions.apply(record(Status.START, "s-4", null, T.plusSeconds(3600))).outcome())
                .isEqualTo(Outcome.OPENED);
        assertThat(rows("s-4")).isEqualTo(2);
        assertThat(sessions.list(tenant, null, "user-s-4", true, 10)).singleElement()
                .satisfies(open -> assertThat(open.startedAt()).isEqualTo(T.plusSeconds(3600)));
    }

    @Test
    void aStartRetransmittedSecondsLaterWithoutEventTimestampChangesNothing() {
        sessions.apply(record(Status.START, "s-10", null, T));

        // Dated by its receipt: a few seconds after the first copy.
        assertThat(sessions.apply(record(Status.START, "s-10", null, T.plusSeconds(8))).outcome())
                .isEqualTo(Outcome.UNCHANGED);
        assertThat(rows("s-10")).isEqualTo(1);
        assertThat(sessions.list(tenant, null, "user-s-10", true, 10)).singleElement()
                .satisfies(open -> assertThat(open.startedAt()).isEqualTo(T));
    }

    @Test
    void accountingOnClosesTheNasSessionsOfTheTenantOnly() {
        sessions.apply(record(Status.START, "s-5", null, T));
        String otherTenant = tenant + "-other";
        sessions.apply(new AccountingRecord(otherTenant, Status.START, "192.0.2.1", "192.0.2.1", null, "s-5", null,
                "user-s-5", null, T, 300, null, null));

        sessions.apply(new AccountingRecord(tenant, Status.ACCOUNTING_ON, "192.0.2.1", "192.0.2.1", null, null, null,
                null, null, T.plusSeconds(60), null, null, null));

        assertThat(sessions.list(tenant, null, "user-s-5", false, 10)).singleElement()
                .satisfies(closed -> assertThat(closed.stopCause()).isEqualTo("accounting-on"));
        assertThat(sessions.list(otherTenant, null, "user-s-5", true, 10)).hasSize(1);
    }

    @Test
    void aSessionSilentForTwoAndAHalfIntervalsIsClosedAsStaleAtItsLastRecordAndMayBeSeenAnew() {
        sessions.apply(record(Status.START, "s-6", PREFIX, T));
        sessions.apply(record(Status.START, "s-7", PREFIX, T.plusSeconds(400)));

        // 300 s intervals: s-6 last seen 800 s before, over 750; s-7 400 s before.
        List<Session> closed = sessions.closeStale(tenant, T.plusSeconds(800), 2.5, 600);

        assertThat(closed).extracting(Session::acctSessionId).containsExactly("s-6");
        assertThat(closed.get(0).stoppedAt()).isEqualTo(T);
        assertThat(sessions.apply(record(Status.INTERIM, "s-6", PREFIX, T.plusSeconds(900))).outcome())
                .isEqualTo(Outcome.OPENED);
    }

    @Test
    void theSessionsCarryingAnAddressAtAnInstantAreThoseUpThen() {
        sessions.apply(record(Status.START, "s-8", PREFIX, T));
        sessions.apply(record(Status.STOP, "s-8", PREFIX, T.plusSeconds(100)));
        Ipv6Prefix address = Ipv6Prefix.parse("2001:db8:77:1ab::1/128");

        assertThat(sessions.carrying(tenant, address, T.plusSeconds(50))).extracting(Session::acctSessionId)
                .containsExactly("s-8");
        assertThat(sessions.carrying(tenant, address, T.plusSeconds(150))).isEmpty();
        assertThat(sessions.carrying(tenant + "-other", address, T.plusSeconds(50))).isEmpty();
    }

    @Test
    void theActiveDelegationsWithoutAnySessionSinceAreTheSilentOnes() {
        Ipv6Prefix reported = PREFIX;
        Ipv6Prefix silent = Ipv6Prefix.parse("2001:db8:77:200::/56");
        UUID reportedId = authorization(reported, "ACTIVE");
        UUID silentId = authorization(silent, "ACTIVE");
        authorization(Ipv6Prefix.parse("2001:db8:77:300::/56"), "SUSPENDED");
        sessions.apply(record(Status.START, "s-9", reported, T.plusSeconds(7200)));

        assertThat(sessions.silentActive(tenant, T.plusSeconds(3600), 100)).containsExactly(silentId)
                .doesNotContain(reportedId);
        assertThat(sessions.tenantsWithActiveDelegations()).contains(tenant);
    }

    @Test
    void aTenantWhoseNasesSendNoAccountingHasNoSilentDelegations() {
        authorization(PREFIX, "ACTIVE");

        assertThat(sessions.silentActive(tenant, T.plusSeconds(3600), 100)).isEmpty();
    }

    private UUID authorization(Ipv6Prefix prefix, String state) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO radius_authorization (delegation_id, tenant_id, radius_user_name, prefix, state,"
                + " allocated_at) VALUES (?, ?, ?, ?::cidr, ?, ?)", id, tenant, "user-" + id, prefix.canonical(), state,
                Timestamp.from(T));
        return id;
    }

    private AccountingRecord record(Status status, String sessionId, Ipv6Prefix prefix, Instant at) {
        return new AccountingRecord(tenant, status, "192.0.2.1", "192.0.2.1", null, sessionId, null,
                "user-" + sessionId, prefix, at, 300, null, null);
    }

    private int rows(String sessionId) {
        return jdbc.queryForObject("SELECT count(*) FROM radius_session WHERE tenant_id = ? AND acct_session_id = ?",
                Integer.class, tenant, sessionId);
    }
}

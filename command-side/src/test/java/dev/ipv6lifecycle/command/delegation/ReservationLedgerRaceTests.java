package dev.ipv6lifecycle.command.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.AllocationRaceException;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the ledger calls a race (which the command gateway retries) on the real PostgreSQL: a reservation
 * refused by the exclusion constraint, and nothing else; a value PostgreSQL cannot store is not one.
 */
class ReservationLedgerRaceTests {

    private static final Ipv6Prefix POOL = Ipv6Prefix.parse("2001:db8:0:200::/56");

    private static JdbcTemplate jdbc;
    private static TransactionTemplate tx;

    private SimpleMeterRegistry meters;
    private ReservationLedger ledger;
    private String tenant;
    private UUID poolId;

    @BeforeAll
    static void connect() {
        DataSource dataSource = SharedPostgres.dataSource(SharedPostgres.freshDatabase());
        jdbc = new JdbcTemplate(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @BeforeEach
    void freshPool() {
        meters = new SimpleMeterRegistry();
        ledger = new ReservationLedger(jdbc, meters);
        tenant = "t-" + UUID.randomUUID();
        poolId = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO pool_registry (pool_id, tenant_id, prefix, delegated_lengths, default_length, quarantine,
                                           state, created_at)
                VALUES (?, ?, ?::cidr, '{60,64}', 64, 'PT1H', 'ACTIVE', now())""", poolId, tenant, POOL.canonical());
        jdbc.update("INSERT INTO free_block (pool_id, prefix, length) VALUES (?, ?::cidr, ?)", poolId, POOL.canonical(),
                POOL.length());
    }

    @Test
    void aReservationThatOverlapsOneCommittedConcurrentlyIsARace() {
        // Committed by another transaction after this one found the /56 free: only the constraint sees it.
        Ipv6Prefix first64 = POOL.subPrefix(64, BigInteger.ZERO);
        jdbc.update("INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id) "
                + "VALUES (?, ?, ?::cidr, ?, 'sub-other')", tenant, poolId, first64.canonical(), UUID.randomUUID());

        Throwable failure = catchThrowable(() -> reserve(POOL.subPrefix(60, BigInteger.ZERO), "sub-1"));

        assertThat(failure).isInstanceOf(AllocationRaceException.class);
        assertThat(meters.counter("ipv6.allocation.conflicts").count()).isEqualTo(1.0);
    }

    @Test
    void aSubscriberIdPostgresqlCannotStoreIsADataErrorNotARace() {
        Throwable failure = catchThrowable(() -> reserve(POOL.subPrefix(64, BigInteger.ONE), "sub-\u0000"));

        assertThat(failure).isNotNull().isNotInstanceOf(AllocationRaceException.class);
        assertThat(failure).rootCause().isInstanceOf(SQLException.class)
                .satisfies(root -> assertThat(((SQLException) root).getSQLState()).isEqualTo("22021"));
        assertThat(meters.counter("ipv6.allocation.conflicts").count()).isZero();
    }

    private void reserve(Ipv6Prefix prefix, String subscriberId) {
        tx.executeWithoutResult(status -> ledger.reserve(tenant, poolId, prefix, UUID.randomUUID(), subscriberId, null));
    }
}

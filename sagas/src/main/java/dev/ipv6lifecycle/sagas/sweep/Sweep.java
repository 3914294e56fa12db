package dev.ipv6lifecycle.sagas.sweep;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.audit.Actor;
import dev.ipv6lifecycle.api.delegation.EndQuarantineCommand;
import dev.ipv6lifecycle.api.delegation.RetryRevocationCommand;
import dev.ipv6lifecycle.sagas.network.Ipam;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The sweep (docs/operations.md): purges long-revoked rows from the current views, reports stale allocations,
 * drives stuck revocations again, and finds (and where it safely can, repairs) leaks between the command
 * side's reservations, the views and the IPAM. It works in bounded batches, each statement on its own, so
 * no table is locked for long and memory does not grow with the number of delegations; one failing step or
 * item is counted as an error and the others go on. One sweep at a time cluster-wide (an advisory lock).
 */
public class Sweep {

    public enum Trigger { SCHEDULE, API }

    private static final Logger log = LoggerFactory.getLogger(Sweep.class);
    /** The advisory lock key that makes sweeps take turns across nodes ("ipv6swep" as 8 bytes). */
    private static final long LOCK_KEY = 0x6970763673776570L;
    static final String ACTOR = "sweep";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate namedJdbc;
    private final CommandGateway commands;
    private final Ipam ipam;
    private final SweepSettings settings;
    private final SweepMetrics metrics;

    public Sweep(DataSource dataSource, CommandGateway commands, Ipam ipam, SweepSettings settings,
                 SweepMetrics metrics) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.namedJdbc = new NamedParameterJdbcTemplate(jdbc);
        this.commands = commands;
        this.ipam = ipam;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Runs a whole sweep; refuses (409) while another one runs anywhere in the cluster. */
    public SweepReport run(Trigger trigger) {
        try (Connection lock = dataSource.getConnection()) {
            if (!tryLock(lock)) {
                throw DomainRejection.conflict("a sweep is already running; try again when it has finished");
            }
            try {
                return sweep(trigger);
            } finally {
                unlock(lock);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the sweep could not take its lock", e);
        }
    }

    private SweepReport sweep(Trigger trigger) {
        Instant started = Instant.now();
        log.info("Sweep started ({})", trigger);
        Tally tally = new Tally();
        step("purge revoked", tally, () -> purgeRevoked(tally, started.minus(settings.revokedRetention())));
        step("stale allocations", tally, () -> countStale(tally));
        step("stuck revocations", tally, () -> redriveStuck(tally, started.minus(settings.revokingStuckAfter())));
        Instant settled = started.minus(settings.leakGrace());
        step("overdue quarantines", tally, () -> endOverdueQuarantines(tally, settled));
        step("reservation leaks", tally, () -> findReservationLeaks(tally, settled));
        if (ipam.enabled()) {
            step("IPAM leaks", tally, () -> releaseIpamOrphans(tally));
        }
        if (tally.leaksDetected > settings.leaksLogged()) {
            log.error("Sweep: {} leaks in all, the first {} logged above; per tenant: {}", tally.leaksDetected,
                    settings.leaksLogged(), tally.detectedByTenant());
        }
        SweepReport report = tally.report();
        Instant finished = Instant.now();
        // The run and its per-tenant leaks in one statement, so that the stats never see a run without its leaks.
        jdbc.update("""
                WITH run AS (
                    INSERT INTO sweep_run (run_id, trigger, started_at, finished_at, revoked_purged, allocated_stale,
                                           revoking_stuck, leaks_detected, leaks_repaired, errors)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_id)
                INSERT INTO sweep_run_tenant (run_id, tenant_id, leaks_detected, leaks_repaired)
                SELECT run.run_id, t.tenant_id, t.detected, t.repaired
                FROM run, unnest(?::text[], ?::bigint[], ?::bigint[]) AS t(tenant_id, detected, repaired)""",
                UUID.randomUUID(), trigger.name(), Timestamp.from(started), Timestamp.from(finished),
                report.revokedPurged(), report.allocatedStale(), report.revokingStuck(), report.leaksDetected(),
                report.leaksRepaired(), report.errors(),
                tally.leaksByTenant.keySet().toArray(String[]::new),
                tally.leaksByTenant.values().stream().map(leaks -> leaks.detected).toArray(Long[]::new),
                tally.leaksByTenant.values().stream().map(leaks -> leaks.repaired).toArray(Long[]::new));
        metrics.completed(finished);
        log.info("Sweep finished in {} ms: {}", finished.toEpochMilli() - started.toEpochMilli(), report);
        return report;
    }

    private void step(String name, Tally tally, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            tally.errors++;
            log.error("Sweep step '{}' failed; the other steps go on and the next sweep tries again", name, e);
        }
    }

    /** Revoked rows past the retention whose prefix no longer occupies space; history stays. */
    private void purgeRevoked(Tally tally, Instant cutoff) {
        int purged;
        do {
            purged = jdbc.update("""
                    DELETE FROM delegation_view v
                    WHERE v.delegation_id IN (
                        SELECT d.delegation_id FROM delegation_view d
                        WHERE d.state = 'REVOKED' AND d.state_changed_at < ?
                          AND (d.quarantine_ended_at IS NOT NULL
                               OR EXISTS (SELECT 1 FROM delegation_view r WHERE r.reclaimed_from = d.delegation_id))
                        LIMIT ?)""", Timestamp.from(cutoff), settings.batchSize());
            tally.revokedPurged += purged;
        } while (purged == settings.batchSize());
        log.info("Sweep: {} revoked delegations older than {} purged from the current views", tally.revokedPurged,
                settings.revokedRetention());
    }

    private void countStale(Tally tally) {
        jdbc.query("""
                SELECT d.tenant_id, count(*) AS stale, (array_agg(d.delegation_id::text))[1:5] AS sample
                FROM delegation_view d JOIN pool_view p ON p.pool_id = d.pool_id
                WHERE d.state = 'ALLOCATED' AND d.state_changed_at < now() - p.stale_after
                GROUP BY d.tenant_id""", (ResultSet row) -> {
            long stale = row.getLong("stale");
            tally.allocatedStale += stale;
            log.warn("Sweep: tenant {} has {} delegations ALLOCATED past their pool's stale threshold, for example {};"
                    + " revoke them if their subscribers will not come online", row.getString("tenant_id"), stale,
                    row.getString("sample"));
        });
    }

    private void redriveStuck(Tally tally, Instant cutoff) {
        forEachBatch("""
                SELECT delegation_id, tenant_id FROM delegation_view
                WHERE state = 'REVOKING' AND state_changed_at < :cutoff AND delegation_id > :after
                ORDER BY delegation_id LIMIT :limit""", cutoff, batch -> {
            tally.revokingStuck += batch.size();
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (Row row : batch) {
                sent.add(send(new RetryRevocationCommand(row.delegationId(), row.tenantId(),
                        "re-driven by the sweep: revoking for more than " + settings.revokingStuckAfter())));
            }
            tally.errors += failures(sent);
        });
        if (tally.revokingStuck > 0) {
            log.warn("Sweep: {} revocations stuck for more than {} driven again", tally.revokingStuck,
                    settings.revokingStuckAfter());
        }
    }

    /** A quarantine whose deadline never fired still holds its prefix: ending it is safe and frees the space. */
    private void endOverdueQuarantines(Tally tally, Instant cutoff) {
        forEachBatch("""
                SELECT delegation_id, tenant_id FROM prefix_reservation
                WHERE quarantined_until < :cutoff AND delegation_id > :after
                ORDER BY delegation_id LIMIT :limit""", cutoff, batch -> {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (Row row : batch) {
                leak(tally, row.tenantId(), "prefix of delegation {} still quarantined past its end", row.delegationId());
                sent.add(send(new EndQuarantineCommand(row.delegationId(), row.tenantId())));
            }
            tally.errors += failures(sent);
            Set<UUID> left = new HashSet<>(jdbc.queryForList(
                    "SELECT delegation_id FROM prefix_reservation WHERE delegation_id = ANY (?)", UUID.class,
                    (Object) batch.stream().map(Row::delegationId).toArray(UUID[]::new)));
            batch.stream().filter(row -> !left.contains(row.delegationId()))
                    .forEach(row -> tally.leakRepaired(row.tenantId()));
        });
    }

    /**
     * Disagreements between the command side's reservations and the views that outlast the grace period.
     * They cannot arise from the service's own writes (both follow the same events), so they are reported for
     * an operator, never "repaired" by guessing which side is right.
     */
    private void findReservationLeaks(Tally tally, Instant cutoff) {
        // Paged like the other steps rather than cut at one page: every leak counts in the tenant's stats. Both
        // tables are bounded by the page's start, although the join implies it for the second: PostgreSQL merges
        // the two primary keys and would otherwise read the second from its first row for every page.
        forEachBatch("""
                SELECT r.delegation_id, r.tenant_id FROM prefix_reservation r
                JOIN delegation_view d ON d.delegation_id = r.delegation_id
                WHERE r.quarantined_until IS NULL AND d.state IN ('REVOKED', 'FAILED') AND d.state_changed_at < :cutoff
                  AND r.delegation_id > :after AND d.delegation_id > :after
                ORDER BY r.delegation_id LIMIT :limit""", cutoff,
                batch -> batch.forEach(row -> leak(tally, row.tenantId(),
                        "reservation of delegation {} is live but the delegation has ended", row.delegationId())));
        forEachBatch("""
                SELECT d.delegation_id, d.tenant_id FROM delegation_view d
                WHERE d.state IN ('ALLOCATED', 'ACTIVE', 'SUSPENDED', 'REVOKING') AND d.state_changed_at < :cutoff
                  AND NOT EXISTS (SELECT 1 FROM prefix_reservation r
                                  WHERE r.delegation_id = d.delegation_id AND r.delegation_id > :after)
                  AND d.delegation_id > :after
                ORDER BY d.delegation_id LIMIT :limit""", cutoff,
                batch -> batch.forEach(row -> leak(tally, row.tenantId(),
                        "delegation {} is live but holds no reservation", row.delegationId())));
    }

    /**
     * IPAM records of prefixes this service does not hold: the delegation they name is live neither in the
     * command side's reservations (never behind the events) nor in the views (a lost reservation is a leak of
     * its own, reported above; its IPAM record is right). Listed first and released afterwards, so the
     * releases do not shift the pages being read.
     */
    private void releaseIpamOrphans(Tally tally) {
        List<Ipam.IpamRecord> orphans = new ArrayList<>();
        for (int offset = 0; ; offset += settings.batchSize()) {
            List<Ipam.IpamRecord> page = ipam.recorded(offset, settings.batchSize());
            if (page.isEmpty()) {
                break;
            }
            UUID[] named = page.stream().map(Ipam.IpamRecord::delegationId).toArray(UUID[]::new);
            List<UUID> live = jdbc.queryForList("""
                    SELECT delegation_id FROM prefix_reservation WHERE delegation_id = ANY (?) AND quarantined_until IS NULL
                    UNION
                    SELECT delegation_id FROM delegation_view WHERE delegation_id = ANY (?)
                      AND state IN ('ALLOCATED', 'ACTIVE', 'SUSPENDED', 'REVOKING')""", UUID.class, named, named);
            page.stream().filter(record -> !live.contains(record.delegationId())).forEach(orphans::add);
        }
        for (Ipam.IpamRecord orphan : orphans) {
            leak(tally, orphan.tenantId(), "IPAM record of delegation {} names no prefix this service holds",
                    orphan.delegationId());
            NetworkOutcome released = ipam.release(orphan.tenantId(), orphan.prefix(), orphan.delegationId());
            if (released.result() == NetworkOutcome.Result.SUCCEEDED) {
                tally.leakRepaired(orphan.tenantId());
            } else {
                tally.errors++;
                log.warn("Sweep: could not release IPAM record of {} ({}): {}", orphan.prefix(), orphan.delegationId(),
                        released.detail());
            }
        }
    }

    private void leak(Tally tally, String tenantId, String message, UUID delegationId) {
        tally.leakDetected(tenantId);
        metrics.leakFound(tenantId);
        if (tally.leaksDetected <= settings.leaksLogged()) {
            log.error("Sweep: leak in tenant " + tenantId + ": " + message, delegationId);
        }
    }

    private CompletableFuture<?> send(Object command) {
        return commands.send(GenericCommandMessage.asCommandMessage(command).andMetaData(Map.of(Actor.METADATA_KEY, ACTOR)));
    }

    private static long failures(List<CompletableFuture<?>> sent) {
        long failed = 0;
        for (CompletableFuture<?> future : sent) {
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed + 1;
            } catch (Exception e) {
                failed++;
                log.warn("Sweep: a command failed; the next sweep tries again", e);
            }
        }
        return failed;
    }

    /**
     * Keyset pages of (delegation_id, tenant_id) rows: the query takes {@code :cutoff}, {@code :after} (the last id
     * of the page before) and {@code :limit}.
     */
    private void forEachBatch(String sql, Instant cutoff, Consumer<List<Row>> action) {
        UUID after = new UUID(0, 0); // the smallest UUID in PostgreSQL's (unsigned, bytewise) order
        List<Row> batch;
        do {
            batch = namedJdbc.query(sql, Map.of("cutoff", Timestamp.from(cutoff), "after", after, "limit",
                    settings.batchSize()), (row, i) -> new Row(row.getObject("delegation_id", UUID.class),
                    row.getString("tenant_id")));
            if (!batch.isEmpty()) {
                action.accept(batch);
                after = batch.get(batch.size() - 1).delegationId();
            }
        } while (batch.size() == settings.batchSize());
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, LOCK_KEY);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, LOCK_KEY);
            statement.execute();
        }
    }

    private record Row(UUID delegationId, String tenantId) {
    }

    private static final class Tally {
        long revokedPurged;
        long allocatedStale;
        long revokingStuck;
        long leaksDetected;
        long leaksRepaired;
        long errors;
        /** Leaks per tenant; one of an unknown tenant (an IPAM record without one) counts in the totals only. */
        final Map<String, TenantLeaks> leaksByTenant = new TreeMap<>();

        void leakDetected(String tenantId) {
            leaksDetected++;
            if (tenantId != null) {
                leaksByTenant.computeIfAbsent(tenantId, tenant -> new TenantLeaks()).detected++;
            }
        }

        /** Only after {@link #leakDetected} for the same leak. */
        void leakRepaired(String tenantId) {
            leaksRepaired++;
            if (tenantId != null) {
                leaksByTenant.get(tenantId).repaired++;
            }
        }

        Map<String, Long> detectedByTenant() {
            Map<String, Long> detected = new TreeMap<>();
            leaksByTenant.forEach((tenant, leaks) -> detected.put(tenant, leaks.detected));
            return detected;
        }

        SweepReport report() {
            return new SweepReport(revokedPurged, allocatedStale, revokingStuck, leaksDetected, leaksRepaired, errors);
        }
    }

    private static final class TenantLeaks {
        long detected;
        long repaired;
    }
}

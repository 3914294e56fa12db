package dev.ipv6lifecycle.command.aaa;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code radius_session} table (V16): the sessions the NASes report by RADIUS accounting. Each record is
 * applied in a transaction of its own, which has committed when {@link #apply} returns, so the endpoint answers
 * FreeRADIUS only once the record is stored. It shares no statement and no lock with the allocation path.
 *
 * <p>The rules that make retransmitted, duplicated and reordered records harmless:
 * <ul>
 *   <li>A session key has at most one open row (a partial unique index), and every record of one key takes an
 *       advisory lock first, so concurrent deliveries of the same record apply one after the other.</li>
 *   <li>A closed row is never reopened. A Start dated no later than the close of the key's latest row, and any
 *       Interim-Update after a Stop or an Accounting-On/Off, belong to that row and change nothing.</li>
 *   <li>A record for a session never seen (an Interim without its Start, a Stop alone) opens or records the
 *       session rather than being refused: a refusal would only make FreeRADIUS resend it.</li>
 * </ul>
 */
@Component
public class RadiusSessions {

    /** RFC 2866 §5.1 Acct-Status-Type, the values this service acts on. */
    public enum Status { START, INTERIM, STOP, ACCOUNTING_ON, ACCOUNTING_OFF }

    /** What one record did to the table. */
    public enum Outcome {
        /** A new session was opened (a Start, or an Interim of a session never seen). */
        OPENED,
        /** An open session's last-seen (and late prefix) was refreshed. */
        REFRESHED,
        /** An open session was closed, or a Stop of a session never seen was recorded closed. */
        CLOSED,
        /** The record was one already applied, or a late one for a closed session: nothing changed. */
        UNCHANGED,
        /** Accounting-On/Off: the NAS's open sessions were closed. */
        NAS_RESET
    }

    /**
     * One accounting record as FreeRADIUS forwarded it.
     *
     * @param nas            the NAS as the table names it: its address, else its NAS-Identifier
     * @param acctSessionId  Acct-Session-Id; with {@code nas}, the session's key
     * @param acctUniqueId   Acct-Unique-Session-Id, kept for cross-reference with FreeRADIUS's own logs
     * @param prefix         Delegated-IPv6-Prefix, {@code null} when the record carried none
     * @param eventTime      Event-Timestamp, else when the service received the record
     * @param sessionSeconds Acct-Session-Time, {@code null} when absent
     */
    public record AccountingRecord(String tenantId, Status status, String nas, String nasIp, String nasIdentifier,
                                   String acctSessionId, String acctUniqueId, String userName, Ipv6Prefix prefix,
                                   Instant eventTime, Integer interimInterval, Long sessionSeconds,
                                   String terminateCause) {

        /**
         * NAS and Acct-Session-Id rather than Acct-Unique-Session-Id: FreeRADIUS's acct_unique hashes attributes
         * (NAS-Port-Id among them) that some NASes leave out of their Interim and Stop, which would give one session
         * a new key per packet. A NAS that reuses session ids after a reboot sends Accounting-On first, which closes
         * the old rows.
         */
        public String sessionKey() {
            return acctSessionId != null ? nas + "/" + acctSessionId : "unique/" + acctUniqueId;
        }
    }

    /** A row of the table. */
    public record Session(UUID sessionId, String tenantId, String nas, String nasIp, String acctSessionId,
                          String userName, Ipv6Prefix prefix, Instant startedAt, Instant lastSeenAt,
                          Instant stoppedAt, String stopCause, Integer interimInterval) {

        public boolean open() {
            return stoppedAt == null;
        }
    }

    /** What {@link #apply} did; {@code session} is the row after it (empty for Accounting-On/Off). */
    public record Applied(Outcome outcome, Optional<Session> session, int closed) {
    }

    /**
     * How long after a Start another Start of the same key is still taken for its retransmission: RFC 2869's
     * smallest Acct-Interim-Interval, well beyond any BNG's retransmissions of one record.
     */
    static final Duration RETRANSMISSION_WINDOW = Duration.ofSeconds(60);

    private static final String COLUMNS = "session_id, tenant_id, nas, nas_ip, acct_session_id, user_name, "
            + "host(prefix) || '/' || masklen(prefix) AS prefix, started_at, last_seen_at, stopped_at, stop_cause, "
            + "interim_interval_s";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public RadiusSessions(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** Applies one record and commits. */
    public Applied apply(AccountingRecord record) {
        return transactions.execute(status -> switch (record.status()) {
            case ACCOUNTING_ON, ACCOUNTING_OFF -> new Applied(Outcome.NAS_RESET, Optional.empty(), closeNas(record));
            default -> applyToSession(record);
        });
    }

    private Applied applyToSession(AccountingRecord record) {
        String key = record.sessionKey();
        jdbc.queryForObject("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(?, 0))", Integer.class,
                // Tenant ids have no '/', so tenant and key cannot run into each other.
                "radius-session/" + record.tenantId() + "/" + key);
        Optional<Session> latest = jdbc.query("SELECT " + COLUMNS + " FROM radius_session"
                        + " WHERE tenant_id = ? AND session_key = ? ORDER BY stopped_at IS NULL DESC, last_seen_at DESC"
                        + " LIMIT 1", RadiusSessions::session, record.tenantId(), key).stream().findFirst();
        Instant at = record.eventTime();
        if (latest.isPresent() && latest.get().open()) {
            Session open = latest.get();
            return switch (record.status()) {
                case START -> {
                    if (open.startedAt() != null && at.isAfter(open.lastSeenAt())
                            && Duration.between(open.startedAt(), at).compareTo(RETRANSMISSION_WINDOW) > 0
                            && !"interim".equals(openedBy(open.sessionId()))) {
                        // A new Start for a key that is open since an earlier Start, later than anything the
                        // session reported and later than a BNG keeps retransmitting: the NAS reused the id and
                        // its Stop was lost. The old occurrence ends where the new one begins. A retransmission
                        // dated by its receipt (no Event-Timestamp) falls within the window and changes nothing.
                        close(open.sessionId(), at, "superseded", null);
                        yield new Applied(Outcome.OPENED, Optional.of(insert(record, "start", null)), 1);
                    }
                    refresh(open.sessionId(), record, true);
                    yield new Applied(Outcome.UNCHANGED, find(open.sessionId()), 0);
                }
                case INTERIM -> {
                    refresh(open.sessionId(), record, false);
                    yield new Applied(Outcome.REFRESHED, find(open.sessionId()), 0);
                }
                default -> {
                    close(open.sessionId(), at, record.terminateCause() == null ? "stop" : record.terminateCause(),
                            record);
                    yield new Applied(Outcome.CLOSED, find(open.sessionId()), 1);
                }
            };
        }
        if (latest.isPresent() && belongsTo(latest.get(), record)) {
            // A retransmission, or a record that arrived after the session's Stop (or after its close by
            // Accounting-On or as stale): the session stays closed.
            if (record.status() == Status.START && latest.get().startedAt() == null) {
                jdbc.update("UPDATE radius_session SET started_at = ? WHERE session_id = ?", Timestamp.from(at),
                        latest.get().sessionId());
            }
            return new Applied(Outcome.UNCHANGED, find(latest.get().sessionId()), 0);
        }
        return switch (record.status()) {
            case START -> new Applied(Outcome.OPENED, Optional.of(insert(record, "start", null)), 0);
            case INTERIM -> new Applied(Outcome.OPENED, Optional.of(insert(record, "interim", null)), 0);
            default -> new Applied(Outcome.CLOSED, Optional.of(insert(record, "stop",
                    record.terminateCause() == null ? "stop" : record.terminateCause())), 0);
        };
    }

    /** Whether a record of the key of {@code closed} (a closed row) is part of that occurrence. */
    private static boolean belongsTo(Session closed, AccountingRecord record) {
        Instant at = record.eventTime();
        return switch (record.status()) {
            // Dated before or at its close: a late or retransmitted Start.
            case START -> !at.isAfter(closed.stoppedAt());
            // An Interim never reopens what a Stop or the NAS closed, whatever its date: it may come from a
            // retransmission the NAS made after its Stop, or be dated by FreeRADIUS's receipt. Only a session
            // closed as stale by this service, which then reports again, is recorded anew.
            case INTERIM -> !"stale".equals(closed.stopCause()) || !at.isAfter(closed.stoppedAt());
            // A second Stop of the same occurrence: after its start (or its start unknown).
            default -> closed.startedAt() == null || !at.isBefore(closed.startedAt());
        };
    }

    private String openedBy(UUID sessionId) {
        return jdbc.queryForObject("SELECT opened_by FROM radius_session WHERE session_id = ?", String.class,
                sessionId);
    }

    private Session insert(AccountingRecord record, String openedBy, String stopCause) {
        UUID id = UUID.randomUUID();
        Instant at = record.eventTime();
        Instant started = switch (openedBy) {
            case "start" -> at;
            // Acct-Session-Time says when it began; without it, the first record seen is the best there is.
            default -> record.sessionSeconds() != null ? at.minusSeconds(record.sessionSeconds())
                    : "interim".equals(openedBy) ? at : null;
        };
        jdbc.update("""
                        INSERT INTO radius_session (session_id, tenant_id, session_key, nas, nas_ip, nas_identifier,
                            acct_session_id, acct_unique_id, user_name, prefix, started_at, last_seen_at, stopped_at,
                            stop_cause, interim_interval_s, opened_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::cidr, ?, ?, ?, ?, ?, ?)""",
                id, record.tenantId(), record.sessionKey(), record.nas(), record.nasIp(), record.nasIdentifier(),
                record.acctSessionId(), record.acctUniqueId(), record.userName(),
                record.prefix() == null ? null : record.prefix().canonical(),
                started == null ? null : Timestamp.from(started), Timestamp.from(at),
                stopCause == null ? null : Timestamp.from(at), stopCause, record.interimInterval(), openedBy);
        return find(id).orElseThrow();
    }

    /** Last seen moves forward only; a prefix, user name or interval the record carries replaces the old one. */
    private void refresh(UUID sessionId, AccountingRecord record, boolean start) {
        jdbc.update("""
                        UPDATE radius_session SET last_seen_at = greatest(last_seen_at, ?),
                            prefix = coalesce(?::cidr, prefix), user_name = coalesce(?, user_name),
                            interim_interval_s = coalesce(?, interim_interval_s),
                            started_at = CASE WHEN ? THEN least(coalesce(started_at, ?), ?) ELSE started_at END
                        WHERE session_id = ?""",
                Timestamp.from(record.eventTime()), record.prefix() == null ? null : record.prefix().canonical(),
                record.userName(), record.interimInterval(), start, Timestamp.from(record.eventTime()),
                Timestamp.from(record.eventTime()), sessionId);
    }

    private void close(UUID sessionId, Instant at, String cause, AccountingRecord record) {
        jdbc.update("""
                        UPDATE radius_session SET stopped_at = greatest(last_seen_at, ?), stop_cause = ?,
                            last_seen_at = greatest(last_seen_at, ?), prefix = coalesce(?::cidr, prefix)
                        WHERE session_id = ? AND stopped_at IS NULL""",
                Timestamp.from(at), cause, Timestamp.from(at),
                record == null || record.prefix() == null ? null : record.prefix().canonical(), sessionId);
    }

    private int closeNas(AccountingRecord record) {
        String cause = record.status() == Status.ACCOUNTING_ON ? "accounting-on" : "accounting-off";
        return jdbc.update("""
                        UPDATE radius_session SET stopped_at = greatest(last_seen_at, ?), stop_cause = ?
                        WHERE tenant_id = ? AND nas = ? AND stopped_at IS NULL""",
                Timestamp.from(record.eventTime()), cause, record.tenantId(), record.nas());
    }

    public Optional<Session> find(UUID sessionId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM radius_session WHERE session_id = ?", RadiusSessions::session,
                sessionId).stream().findFirst();
    }

    /** The tenant's open sessions that carry exactly {@code prefix}, oldest first. */
    public List<Session> openWithPrefix(String tenantId, Ipv6Prefix prefix) {
        return jdbc.query("SELECT " + COLUMNS + " FROM radius_session WHERE tenant_id = ? AND stopped_at IS NULL"
                        + " AND prefix IS NOT NULL AND prefix_span(prefix) && prefix_span(?::cidr) AND prefix = ?::cidr"
                        + " ORDER BY started_at NULLS LAST, session_id", RadiusSessions::session, tenantId,
                prefix.canonical(), prefix.canonical());
    }

    /**
     * The tenant's sessions, newest first, at most {@code limit}: those carrying exactly {@code prefix} when it is
     * given, those of {@code userName} when it is given, only the open ones when {@code openOnly}.
     */
    public List<Session> list(String tenantId, Ipv6Prefix prefix, String userName, boolean openOnly, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM radius_session WHERE tenant_id = ?");
        List<Object> arguments = new ArrayList<>(List.of(tenantId));
        if (prefix != null) {
            sql.append(" AND prefix IS NOT NULL AND prefix_span(prefix) && prefix_span(?::cidr) AND prefix = ?::cidr");
            arguments.add(prefix.canonical());
            arguments.add(prefix.canonical());
        }
        if (userName != null) {
            sql.append(" AND user_name = ?");
            arguments.add(userName);
        }
        if (openOnly) {
            sql.append(" AND stopped_at IS NULL");
        }
        sql.append(" ORDER BY last_seen_at DESC, session_id LIMIT ?");
        arguments.add(limit);
        return jdbc.query(sql.toString(), RadiusSessions::session, arguments.toArray());
    }

    /**
     * The tenant's sessions whose prefix overlaps {@code subject} (an address as a /128, or a prefix) and that were
     * up at {@code at}: started (or first seen) no later, and not stopped before it. An open session counts up to
     * its last record.
     */
    public List<Session> carrying(String tenantId, Ipv6Prefix subject, Instant at) {
        // The span arithmetic covers /1 to /64; an address is looked up through its /64.
        Ipv6Prefix span = subject.length() > 64 ? subject.parent(64) : subject;
        return jdbc.query("SELECT " + COLUMNS + " FROM radius_session WHERE tenant_id = ? AND prefix IS NOT NULL"
                        + " AND prefix_span(prefix) && prefix_span(?::cidr) AND prefix && ?::cidr"
                        + " AND coalesce(started_at, stopped_at) <= ?"
                        + " AND coalesce(stopped_at, last_seen_at) >= ?"
                        + " ORDER BY started_at NULLS LAST, session_id", RadiusSessions::session, tenantId,
                span.canonical(), subject.canonical(), Timestamp.from(at), Timestamp.from(at));
    }

    /** The tenants that have open sessions: those the stale-session check looks at, one at a time. */
    public List<String> tenantsWithOpenSessions() {
        return jdbc.queryForList("SELECT DISTINCT tenant_id FROM radius_session WHERE stopped_at IS NULL ORDER BY 1",
                String.class);
    }

    /**
     * Closes, as {@code stale}, the tenant's open sessions whose Interim updates stopped: none for {@code factor}
     * times their interval (or {@code defaultIntervalSeconds} when they announced none) before {@code now}. The
     * session ends at its last record, the last moment the network is known to have had it.
     */
    public List<Session> closeStale(String tenantId, Instant now, double factor, long defaultIntervalSeconds) {
        return jdbc.query("""
                        UPDATE radius_session SET stopped_at = last_seen_at, stop_cause = 'stale'
                        WHERE tenant_id = ? AND stopped_at IS NULL
                          AND last_seen_at < ?::timestamptz
                              - make_interval(secs => ?::float8 * coalesce(interim_interval_s, ?::integer))
                        RETURNING""" + " " + COLUMNS, RadiusSessions::session, tenantId, Timestamp.from(now), factor,
                defaultIntervalSeconds);
    }

    /**
     * The tenant's ACTIVE delegations, allocated before {@code since}, of whose prefix no session was seen since
     * then: the network has said nothing about them. Only for a tenant whose NASes send accounting at all.
     */
    public List<UUID> silentActive(String tenantId, Instant since, int limit) {
        return jdbc.queryForList("""
                        SELECT a.delegation_id FROM radius_authorization a
                        WHERE a.tenant_id = ? AND a.state = 'ACTIVE' AND a.allocated_at < ?
                          AND EXISTS (SELECT 1 FROM radius_session t WHERE t.tenant_id = a.tenant_id)
                          AND NOT EXISTS (SELECT 1 FROM radius_session s
                                          WHERE s.tenant_id = a.tenant_id AND s.prefix IS NOT NULL
                                            AND prefix_span(s.prefix) && prefix_span(a.prefix) AND s.prefix = a.prefix
                                            AND s.last_seen_at >= ?)
                        ORDER BY a.allocated_at, a.delegation_id LIMIT ?""", UUID.class, tenantId,
                Timestamp.from(since), Timestamp.from(since), limit);
    }

    /** The tenants with ACTIVE delegations. */
    public List<String> tenantsWithActiveDelegations() {
        return jdbc.queryForList("SELECT DISTINCT tenant_id FROM radius_authorization WHERE state = 'ACTIVE' ORDER BY 1",
                String.class);
    }

    private static Session session(ResultSet rs, int row) throws SQLException {
        String prefix = rs.getString("prefix");
        Timestamp started = rs.getTimestamp("started_at");
        Timestamp stopped = rs.getTimestamp("stopped_at");
        Integer interval = rs.getObject("interim_interval_s", Integer.class);
        return new Session(rs.getObject("session_id", UUID.class), rs.getString("tenant_id"), rs.getString("nas"),
                rs.getString("nas_ip"), rs.getString("acct_session_id"), rs.getString("user_name"),
                prefix == null ? null : Ipv6Prefix.parse(prefix), started == null ? null : started.toInstant(),
                rs.getTimestamp("last_seen_at").toInstant(), stopped == null ? null : stopped.toInstant(),
                rs.getString("stop_cause"), interval);
    }
}

package dev.ipv6lifecycle.server.web;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The answers to POST requests that carried an {@code Idempotency-Key}, in PostgreSQL so that they survive a
 * restart and are shared by every instance. Each statement runs on its own (auto-commit): the filter that
 * uses this runs outside any transaction, and a claim must be visible to a concurrent request at once,
 * long before the request it guards has finished.
 */
@Component
class IdempotencyStore {

    /** What a key meant when a request came with it. */
    sealed interface Outcome permits Claimed, Replay, Mismatch, InProgress {
    }

    /** The key was free: this request runs, and its answer is stored under the token. */
    record Claimed(UUID token) implements Outcome {
    }

    /** The same request was answered before: send that answer again. */
    record Replay(int status, String contentType, String location, byte[] body) implements Outcome {
    }

    /** The key was used for another request (method, path or body differ). */
    record Mismatch() implements Outcome {
    }

    /** The first request with this key is still being processed. */
    record InProgress() implements Outcome {
    }

    static final int PURGE_BATCH = 100;

    private final JdbcTemplate jdbc;
    private final double retentionSeconds;
    private final double claimTimeoutSeconds;

    IdempotencyStore(JdbcTemplate jdbc, WebSettings settings) {
        this.jdbc = jdbc;
        this.retentionSeconds = settings.idempotency().retention().toMillis() / 1000.0;
        this.claimTimeoutSeconds = settings.idempotency().claimTimeout().toMillis() / 1000.0;
    }

    /**
     * Claims the key for a request with the given fingerprint, or says why it cannot be claimed. Times are
     * the database's, so instances with drifting clocks agree on what has expired.
     */
    Outcome claim(String tenantId, String key, byte[] requestHash) {
        purgeSomeExpired();
        // A key whose row vanishes between the insert and the select (its request failed and released it)
        // is simply tried again; three rounds make an endless tie impossible in practice.
        for (int round = 0; round < 3; round++) {
            // Purged lazily, one key at a time: an expired answer, or a claim whose request never finished
            // (the process died between claim and answer) and would otherwise block the key until it expires.
            jdbc.update("""
                    DELETE FROM idempotent_request
                    WHERE tenant_id = ? AND idempotency_key = ?
                      AND (created_at < now() - make_interval(secs => ?)
                           OR (response_status IS NULL AND created_at < now() - make_interval(secs => ?)))
                    """, tenantId, key, retentionSeconds, claimTimeoutSeconds);
            UUID token = UUID.randomUUID();
            int inserted = jdbc.update("""
                    INSERT INTO idempotent_request (tenant_id, idempotency_key, request_hash, claim_token, created_at)
                    VALUES (?, ?, ?, ?, now())
                    ON CONFLICT DO NOTHING
                    """, tenantId, key, requestHash, token);
            if (inserted == 1) {
                return new Claimed(token);
            }
            List<Outcome> existing = jdbc.query("""
                    SELECT request_hash, response_status, response_content_type, response_location, response_body
                    FROM idempotent_request
                    WHERE tenant_id = ? AND idempotency_key = ?
                    """, (row, index) -> outcome(row, requestHash), tenantId, key);
            if (!existing.isEmpty()) {
                return existing.get(0);
            }
        }
        return new InProgress();
    }

    /**
     * Deletes a few expired answers of any key. Keys are rarely used twice, so purging only the key at hand
     * would let the table grow forever; deleting up to {@value #PURGE_BATCH} rows per new claim outpaces the
     * claims, and SKIP LOCKED keeps concurrent requests from queueing behind each other's purge.
     */
    void purgeSomeExpired() {
        jdbc.update("""
                DELETE FROM idempotent_request
                WHERE ctid IN (SELECT ctid FROM idempotent_request
                               WHERE created_at < now() - make_interval(secs => ?)
                               ORDER BY created_at
                               LIMIT %d
                               FOR UPDATE SKIP LOCKED)
                """.formatted(PURGE_BATCH), retentionSeconds);
    }

    /**
     * Stores the answer of a claimed request.
     *
     * @return false if the claim was no longer this request's (it went stale and another request took it)
     */
    boolean complete(String tenantId, String key, UUID token, int status, String contentType, String location,
                     byte[] body) {
        return jdbc.update("""
                UPDATE idempotent_request
                SET response_status = ?, response_content_type = ?, response_location = ?, response_body = ?,
                    completed_at = now()
                WHERE tenant_id = ? AND idempotency_key = ? AND claim_token = ? AND response_status IS NULL
                """, status, contentType, location, body, tenantId, key, token) == 1;
    }

    /** Gives up a claim without an answer, so that the client may retry with the same key. */
    void release(String tenantId, String key, UUID token) {
        jdbc.update("""
                DELETE FROM idempotent_request
                WHERE tenant_id = ? AND idempotency_key = ? AND claim_token = ? AND response_status IS NULL
                """, tenantId, key, token);
    }

    private static Outcome outcome(ResultSet row, byte[] requestHash) throws SQLException {
        if (!MessageDigest.isEqual(row.getBytes("request_hash"), requestHash)) {
            return new Mismatch();
        }
        int status = row.getInt("response_status");
        if (row.wasNull()) {
            return new InProgress();
        }
        byte[] body = row.getBytes("response_body");
        return new Replay(status, row.getString("response_content_type"), row.getString("response_location"),
                body != null ? body : new byte[0]);
    }
}

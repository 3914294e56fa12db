package dev.ipv6lifecycle.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code api_key} table. A key is {@value #PREFIX} and 256 random bits (base64url), recognisable in a
 * leaked configuration file or a secret scanner; only its SHA-256 is stored.
 *
 * <p>A request's key is answered from {@link ApiKeyCache} when the node has it, without a query. Any
 * change of the table (a revocation on any node, or by hand in SQL) drops the cache of every node within
 * about a second, through the NOTIFY of migration V14's trigger; this node's own revocations drop its cache
 * before they return. While a node cannot listen for those notifications, it looks every key up, and no
 * cached key is served for longer than {@code ipv6.security.api-key-cache.max-age}.
 */
@Component
class ApiKeys {

    static final String PREFIX = "ipv6k_";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, tenant_id, role, name, key_hash, created_at, created_by, revoked_at";

    private final JdbcTemplate jdbc;
    private final ApiKeyCache cache;

    ApiKeys(JdbcTemplate jdbc, ApiKeyCache cache) {
        this.jdbc = jdbc;
        this.cache = cache;
    }

    /** A key as listed: everything but the key. */
    record StoredKey(UUID id, String tenantId, Role role, String name, Instant createdAt, String createdBy,
                     Instant revokedAt) {
    }

    /** A key just created: the only moment the key itself exists outside its holder. */
    record CreatedKey(StoredKey stored, String key) {
    }

    static String newKey() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    CreatedKey create(String tenantId, Role role, String name, String createdBy) {
        String key = newKey();
        return new CreatedKey(insert(tenantId, role, name, key, false, createdBy), key);
    }

    StoredKey insert(String tenantId, Role role, String name, String key, boolean seeded, String createdBy) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.update("INSERT INTO api_key (id, tenant_id, role, name, key_hash, seeded, created_at, created_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, tenantId, role.wireName(), name, hash(key), seeded,
                Timestamp.from(now), createdBy);
        return new StoredKey(id, tenantId, role, name, now, createdBy, null);
    }

    /**
     * The live key matching the presented one. The lookup is by the digest of what the client sent, which
     * no client can steer towards a stored digest, so its timing tells nothing about any stored key; the
     * digests are compared once more in constant time all the same. A cached key was found the same way.
     */
    Optional<StoredKey> authenticate(String presented) {
        return cache.authenticate(hash(presented), this::lookUp);
    }

    private Optional<StoredKey> lookUp(byte[] digest) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_key WHERE key_hash = ? AND revoked_at IS NULL",
                        (row, i) -> MessageDigest.isEqual(digest, row.getBytes("key_hash")) ? map(row) : null, digest)
                .stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** Keys of one tenant, or of every tenant when {@code tenantId} is null; oldest first. */
    List<StoredKey> list(String tenantId, int page, int size) {
        return tenantId == null
                ? jdbc.query("SELECT " + COLUMNS + " FROM api_key ORDER BY created_at, id LIMIT ? OFFSET ?",
                        (row, i) -> map(row), size, (long) page * size)
                : jdbc.query("SELECT " + COLUMNS + " FROM api_key WHERE tenant_id = ? ORDER BY created_at, id "
                        + "LIMIT ? OFFSET ?", (row, i) -> map(row), tenantId, size, (long) page * size);
    }

    long count(String tenantId) {
        return tenantId == null
                ? jdbc.queryForObject("SELECT count(*) FROM api_key", Long.class)
                : jdbc.queryForObject("SELECT count(*) FROM api_key WHERE tenant_id = ?", Long.class, tenantId);
    }

    /** The key, if it exists within the tenant (any tenant when {@code tenantId} is null). */
    Optional<StoredKey> find(UUID id, String tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_key WHERE id = ?", (row, i) -> map(row), id).stream()
                .filter(key -> tenantId == null || key.tenantId().equals(tenantId)).findFirst();
    }

    /**
     * Revokes the key; revoking a revoked key changes nothing. This node forgets its cached keys at once, so
     * that the key is refused here from the next request on; the other nodes do on the trigger's NOTIFY.
     */
    void revoke(UUID id, String revokedBy) {
        jdbc.update("UPDATE api_key SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                Timestamp.from(Instant.now()), revokedBy, id);
        cache.changed();
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException notPossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", notPossible);
        }
    }

    private static StoredKey map(ResultSet row) throws SQLException {
        Timestamp revoked = row.getTimestamp("revoked_at");
        return new StoredKey(row.getObject("id", UUID.class), row.getString("tenant_id"),
                Role.fromWireName(row.getString("role")).orElseThrow(), row.getString("name"),
                row.getTimestamp("created_at").toInstant(), row.getString("created_by"),
                revoked == null ? null : revoked.toInstant());
    }
}

package dev.ipv6lifecycle.server.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import dev.ipv6lifecycle.server.persistence.StorageSettings;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Zero setup: the service is never without an admin. {@code IPV6_ADMIN_API_KEY} (property {@code
 * ipv6.security.admin-api-key}) becomes an admin key of tenant {@code default}, replacing the key an earlier
 * value seeded; without it, the first start of an installation that has no key at all creates one and writes
 * it to {@code <data dir>/admin-api-key}, readable by the service's user only. The log says where the key is,
 * never what it is. Runs before the web server takes requests, under an advisory lock so that nodes starting
 * together on one database create one key.
 */
@Component
@EnableConfigurationProperties(SecuritySettings.class)
class AdminKeyBootstrap implements SmartInitializingSingleton {

    static final String FILE_NAME = "admin-api-key";
    static final String SEEDED_BY = "service";

    /** Operators choose this key themselves: it must be at least as hard to guess as a password manager's. */
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9_~+/=-]{32,512}");
    private static final long LOCK = 0x69707636_6b657973L; // "ipv6keys"
    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);

    private final ApiKeys keys;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String configuredKey;
    private final Path dataDir;

    AdminKeyBootstrap(ApiKeys keys, JdbcTemplate jdbc, TransactionTemplate transactions,
                      SecuritySettings security, StorageSettings storage) {
        this.keys = keys;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.configuredKey = security.adminApiKey().strip();
        this.dataDir = storage.dataDir();
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!configuredKey.isEmpty() && !ACCEPTABLE.matcher(configuredKey).matches()) {
            throw new IllegalStateException("IPV6_ADMIN_API_KEY (ipv6.security.admin-api-key) must be 32 to 512 "
                    + "characters of A-Z, a-z, 0-9 and _~+/=-; generate one with: openssl rand -base64 32");
        }
        transactions.executeWithoutResult(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", LOCK);
            if (!configuredKey.isEmpty()) {
                seedConfigured();
            } else if (jdbc.queryForObject("SELECT count(*) FROM api_key", Long.class) == 0) {
                createFirst();
            }
        });
    }

    private void seedConfigured() {
        byte[] hash = ApiKeys.hash(configuredKey);
        // Another value seeded earlier is replaced: changing the environment variable rotates the key.
        int replaced = jdbc.update("UPDATE api_key SET revoked_at = now(), revoked_by = ? "
                + "WHERE seeded AND name = ? AND revoked_at IS NULL AND key_hash <> ?", SEEDED_BY,
                "IPV6_ADMIN_API_KEY", hash);
        Boolean revoked = jdbc.query("SELECT revoked_at IS NOT NULL FROM api_key WHERE key_hash = ?",
                (row, i) -> row.getBoolean(1), hash).stream().findFirst().orElse(null);
        if (Boolean.TRUE.equals(revoked)) {
            // Someone revoked it through the API on purpose: a restart must not bring it back.
            log.warn("The key in IPV6_ADMIN_API_KEY has been revoked and stays revoked; set a new value");
        } else if (revoked == null) {
            ApiKeys.StoredKey seeded = keys.insert(CallerIdentity.OPERATOR_TENANT, Role.ADMIN, "IPV6_ADMIN_API_KEY",
                    configuredKey, true, SEEDED_BY);
            log.info("Admin API key {} of tenant default seeded from IPV6_ADMIN_API_KEY{}", seeded.id(),
                    replaced > 0 ? "; the key seeded before is revoked" : "");
        }
    }

    private void createFirst() {
        String key = ApiKeys.newKey();
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        write(file, key);
        ApiKeys.StoredKey created = keys.insert(CallerIdentity.OPERATOR_TENANT, Role.ADMIN, "first start", key, true,
                SEEDED_BY);
        log.info("Created admin API key {} of tenant default; the key is in {} (readable by this user only). "
                + "Send it as 'Authorization: Bearer <key>'.", created.id(), file);
    }

    // The file is created with its final permissions: there is no moment at which others may read it.
    private static void write(Path file, String key) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, key + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the first admin API key to " + file, e);
        }
    }
}

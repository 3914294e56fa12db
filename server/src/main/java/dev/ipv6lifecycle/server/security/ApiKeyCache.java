package dev.ipv6lifecycle.server.security;

import com.zaxxer.hikari.HikariDataSource;
import dev.ipv6lifecycle.server.security.ApiKeys.StoredKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Live API keys by the SHA-256 of the key, so that a request with a known key costs no query, and every
 * node forgets them all within about a second of any change of {@code api_key} (docs/security.md).
 *
 * <p>A trigger on {@code api_key} (migration V14) sends {@code NOTIFY api_key_changed} in every
 * transaction that changes a key; PostgreSQL delivers it on commit to every listening session. Each node
 * listens on one connection of its own, outside the connection pool, on a thread of its own; a
 * notification drops the whole cache (key changes are rare). What makes it safe:
 * <ul>
 * <li>The cache serves entries only while it is <em>trusted</em>: the connection is listening and has
 * proved so by a round trip within the last two heartbeats (a round trip also brings in every notification
 * committed before it). At start, after a lost connection and until it listens again, or when the thread
 * stalls, every request looks its key up in the table.</li>
 * <li>Every change, every (re)connection and every loss of the connection moves a generation on; an entry is
 * served only in the generation its lookup began in. A lookup that raced with a revocation and read the key
 * as it was before is thus never served.</li>
 * <li>No entry is served longer than {@code max-age}, whatever happens to the notifications.</li>
 * <li>Only keys that exist are cached, at most {@code max-entries}: a flood of unknown keys takes no memory
 * (each is looked up, as before).</li>
 * </ul>
 */
final class ApiKeyCache implements SmartLifecycle {

    static final String CHANNEL = "api_key_changed";

    private static final Logger log = LoggerFactory.getLogger(ApiKeyCache.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    /** Opens the listening connection; null when the data source offers no way to open one outside the pool. */
    interface Connector {
        Connection open() throws SQLException;
    }

    private record Entry(StoredKey key, long generation, long loadedAtNanos) {
    }

    private final ApiKeyCacheSettings settings;
    private final Connector connector;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private volatile long confirmedAtNanos;
    private volatile int listenerPid;
    private volatile boolean running;
    private Thread listener;

    ApiKeyCache(ApiKeyCacheSettings settings, Connector connector) {
        this.settings = settings;
        this.connector = connector;
    }

    /**
     * A connector that opens a plain JDBC connection with the pool's own URL, user, password and driver
     * properties. Null (the cache then never serves) for a data source that is not Hikari's with a JDBC URL.
     */
    static Connector connectorFor(DataSource dataSource) {
        HikariDataSource hikari;
        try {
            hikari = dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            hikari = null;
        }
        if (hikari == null || hikari.getJdbcUrl() == null) {
            log.warn("API keys are not cached: the data source {} offers no JDBC URL to listen on", dataSource);
            return null;
        }
        String url = hikari.getJdbcUrl();
        Properties properties = new Properties();
        properties.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            properties.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            properties.setProperty("password", hikari.getPassword());
        }
        properties.setProperty("ApplicationName", "ipv6-lifecycle api-key listener");
        return () -> DriverManager.getConnection(url, properties);
    }

    /** The key with that digest: from the cache while it is trusted, otherwise (and on a miss) from {@code lookup}. */
    Optional<StoredKey> authenticate(byte[] digest, Function<byte[], Optional<StoredKey>> lookup) {
        String id = HexFormat.of().formatHex(digest);
        // Read before the lookup: a change that arrives during it moves the generation, so the entry it
        // stores is never served.
        long current = generation.get();
        long now = System.nanoTime();
        boolean trusted = trusted(now);
        if (trusted) {
            Entry entry = entries.get(id);
            if (entry != null && entry.generation() == current
                    && now - entry.loadedAtNanos() < settings.maxAge().toNanos()) {
                return Optional.of(entry.key());
            }
        }
        Optional<StoredKey> found = lookup.apply(digest);
        if (trusted && found.isPresent() && settings.maxEntries() > 0) {
            if (entries.size() >= settings.maxEntries()) {
                Iterator<String> any = entries.keySet().iterator();
                if (any.hasNext()) {
                    entries.remove(any.next());
                }
            }
            entries.put(id, new Entry(found.get(), current, now));
        }
        return found;
    }

    /** Forgets every key: a key changed here or on another node. */
    void changed() {
        generation.incrementAndGet();
        entries.clear();
    }

    /** Whether entries may be served now. */
    boolean trusted() {
        return trusted(System.nanoTime());
    }

    /** The PostgreSQL backend of the listening connection, 0 while there is none; for operators' logs and tests. */
    int listenerPid() {
        return listenerPid;
    }

    int size() {
        return entries.size();
    }

    /** Moves on with every change heard, connection made and connection lost. */
    long generation() {
        return generation.get();
    }

    private boolean trusted(long now) {
        return listening && now - confirmedAtNanos < 2 * settings.heartbeat().toNanos();
    }

    private void listen() {
        Duration retry = FIRST_RETRY;
        while (running) {
            try (Connection connection = connector.open()) {
                long proofAt = System.nanoTime();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                // From here on, every change committed is announced to this connection: what was cached
                // before (nothing, at start) belongs to an older generation.
                changed();
                confirmedAtNanos = proofAt;
                listenerPid = postgres.getBackendPID();
                listening = true;
                log.info("Listening for API key changes (backend {}); keys are cached", listenerPid);
                retry = FIRST_RETRY;
                while (running) {
                    proofAt = System.nanoTime();
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT 1");
                    }
                    // Every notification committed before the round trip has arrived with it at the latest.
                    drop(postgres.getNotifications());
                    confirmedAtNanos = proofAt;
                    drop(postgres.getNotifications((int) settings.heartbeat().toMillis()));
                }
            } catch (SQLException | RuntimeException e) {
                lost();
                if (running) {
                    log.warn("Not listening for API key changes ({}); every key is looked up until it listens again,"
                            + " next attempt in {} ms", e.toString(), retry.toMillis());
                    sleep(retry);
                    retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
                }
            }
        }
        lost();
    }

    private void drop(PGNotification[] notifications) {
        if (notifications != null && notifications.length > 0) {
            changed();
        }
    }

    private void lost() {
        listening = false;
        listenerPid = 0;
        changed();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void start() {
        if (connector == null || running) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "api-key-listener");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(4 * settings.heartbeat().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listener = null;
        }
        lost();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

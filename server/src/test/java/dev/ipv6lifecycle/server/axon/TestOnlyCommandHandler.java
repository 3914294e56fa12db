package dev.ipv6lifecycle.server.axon;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Commands that exist only in tests, handled in the command's transaction on the real PostgreSQL like every
 * command, that fail in the ways the gateway must tell apart, and count how often they were attempted.
 */
@Component
class TestOnlyCommandHandler {

    /** Fails every time with a data error of PostgreSQL's own (22012, division by zero). */
    record FailWithADataError(UUID id) {
    }

    /** Fails the first attempt with a serialization failure (40001) raised by PostgreSQL, then succeeds. */
    record FailOnceWithASerializationFailure(UUID id) {
    }

    private static final Map<UUID, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    TestOnlyCommandHandler(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static int attempts(UUID id) {
        AtomicInteger count = ATTEMPTS.get(id);
        return count == null ? 0 : count.get();
    }

    @CommandHandler
    int handle(FailWithADataError command) {
        attempt(command.id());
        return jdbc.queryForObject("SELECT 1 / 0", Integer.class);
    }

    @CommandHandler
    int handle(FailOnceWithASerializationFailure command) {
        int attempt = attempt(command.id());
        if (attempt == 1) {
            jdbc.execute("DO $$ BEGIN RAISE EXCEPTION 'test: could not serialize access' "
                    + "USING ERRCODE = 'serialization_failure'; END $$");
        }
        return attempt;
    }

    private static int attempt(UUID id) {
        return ATTEMPTS.computeIfAbsent(id, ignored -> new AtomicInteger()).incrementAndGet();
    }
}

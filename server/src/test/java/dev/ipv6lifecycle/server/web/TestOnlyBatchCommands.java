package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.DomainRejection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A command that exists only in tests, for {@link CommandBatch} and {@link CommandSender}: it writes a row
 * when its unit of work commits, as every real command writes its events and command-side tables, and records
 * the transaction it wrote in. It can fail in each of the ways a batch must tell apart, and can wait at a gate.
 */
@Component
class TestOnlyBatchCommands {

    enum Failure { NONE, REFUSED_BEFORE_WRITING, POSTGRES_REFUSES_A_READ, FAILS_AFTER_WRITING }

    record Write(String key, Failure failure) {
        Write(String key) {
            this(key, Failure.NONE);
        }
    }

    /** Waits at its gate, then writes as {@link Write} does. */
    record WaitThenWrite(String key, CountDownLatch gate) {
    }

    private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    TestOnlyBatchCommands(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("CREATE TABLE IF NOT EXISTS test_only_batch_write (key text PRIMARY KEY, xid bigint NOT NULL)");
    }

    static int attempts(String key) {
        AtomicInteger count = ATTEMPTS.get(key);
        return count == null ? 0 : count.get();
    }

    /** The transaction each key was stored in; a key that was undone is absent. */
    Map<String, Long> stored(String... keys) {
        Map<String, Long> stored = new ConcurrentHashMap<>();
        jdbc.query("SELECT key, xid FROM test_only_batch_write WHERE key = ANY (?)",
                rs -> {
                    stored.put(rs.getString(1), rs.getLong(2));
                }, (Object) keys);
        return stored;
    }

    @CommandHandler
    String handle(Write command) {
        attempt(command.key());
        return write(command);
    }

    @CommandHandler
    String handle(WaitThenWrite command) throws InterruptedException {
        attempt(command.key());
        if (!command.gate().await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test: the gate of " + command.key() + " never opened");
        }
        return write(new Write(command.key()));
    }

    private static void attempt(String key) {
        ATTEMPTS.computeIfAbsent(key, ignored -> new AtomicInteger()).incrementAndGet();
    }

    private String write(Write command) {
        switch (command.failure()) {
            case REFUSED_BEFORE_WRITING -> throw DomainRejection.conflict("test: " + command.key() + " is refused");
            case POSTGRES_REFUSES_A_READ -> jdbc.queryForObject("SELECT 1 / 0", Integer.class);
            default -> {
            }
        }
        CurrentUnitOfWork.get().onPrepareCommit(committing -> {
            jdbc.update("INSERT INTO test_only_batch_write (key, xid) VALUES (?, txid_current())", command.key());
            if (command.failure() == Failure.FAILS_AFTER_WRITING) {
                throw new IllegalStateException("test: " + command.key() + " fails after writing");
            }
        });
        return command.key();
    }
}

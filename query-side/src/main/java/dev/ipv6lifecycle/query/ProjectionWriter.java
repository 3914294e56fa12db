package dev.ipv6lifecycle.query;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The projections' writes. Inside an event processor's unit of work (one batch of events, one transaction
 * with the token) the statements are kept in order and sent when the batch prepares to commit, each run of
 * the same statement as one JDBC batch: a replay then costs a few round trips per batch instead of one per
 * event and table (measured in BENCHMARKS.md: this is what bounds a rebuild). Outside a unit of work a
 * statement runs at once.
 *
 * <p>Same transaction, same order, same outcome: a failing statement fails the batch's commit, which rolls
 * back the rows and the token together and has the processor retry the batch. That is right for a database
 * that is away, but an event whose data PostgreSQL refuses (SQLSTATE classes 22 and 23, such as a U+0000 in
 * text, in a store written before the API refused it) would fail every retry and stall its segment. So:
 * <ol>
 *   <li>a batch that fails with such an error marks its events as suspect, and fails;</li>
 *   <li>when the processor retries it, a batch holding a suspect event runs its statements one at a time,
 *       each under a savepoint. If none is refused, it commits. Otherwise the refused events are noted, with
 *       PostgreSQL's answer, and the batch fails again;</li>
 *   <li>at the next retry, the first write of a refused event throws in its handler. That is where Axon's
 *       dead-letter queue takes over: the event is parked with its cause, the later events of the same
 *       delegation or pool are parked behind it (Axon tracks them, its sequence cache included), and the rest
 *       of the batch commits.</li>
 * </ol>
 * The happy path pays nothing for this: no savepoint is taken until a batch has failed. Handlers must not rely
 * on a statement's row count.
 */
@Component
public class ProjectionWriter {

    private static final Logger log = LoggerFactory.getLogger(ProjectionWriter.class);
    private static final String PENDING = ProjectionWriter.class.getName() + ".pending";
    /** Bounds what is remembered of events retried on another node, which finds them out itself. */
    private static final int REMEMBERED = 10_000;

    private final JdbcTemplate jdbc;
    /** Events of batches that PostgreSQL refused: a batch holding one runs statement by statement. */
    private final Map<String, Boolean> suspects = bounded();
    /**
     * Writes PostgreSQL refused, by event and statement (several projections write for one event), with its
     * answer, until the event's handler throws it.
     */
    private final Map<String, DataAccessException> refusals = bounded();

    public ProjectionWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Runs the statement now, or with the current unit of work's batch when it commits. */
    public void update(String sql, Object... args) {
        if (!CurrentUnitOfWork.isStarted()) {
            jdbc.update(sql, args);
            return;
        }
        UnitOfWork<?> current = CurrentUnitOfWork.get();
        // A processor's unit of work always carries the event being handled; one without (a reset) has none.
        String eventId = current.getMessage() == null ? "" : current.getMessage().getIdentifier();
        UnitOfWork<?> root = current.root();
        Pending pending = root.getOrComputeResource(PENDING, key -> {
            Pending created = new Pending();
            root.onPrepareCommit(unitOfWork -> flush(created));
            return created;
        });
        DataAccessException refused = refusals.remove(eventId + sql);
        if (refused != null) {
            pending.discard(eventId); // none of the event's writes, as if its handler had failed at once
            throw new UnwritableEventException(eventId, refused);
        }
        pending.add(eventId, sql, args);
    }

    private void flush(Pending pending) {
        if (pending.eventIds.stream().anyMatch(suspects::containsKey)) {
            sendOneByOne(pending);
            return;
        }
        try {
            pending.sendBatched(jdbc);
        } catch (DataAccessException failure) {
            if (isDataError(failure)) {
                pending.eventIds.forEach(eventId -> suspects.put(eventId, true));
                log.warn("PostgreSQL refused a batch of projection writes; its retry finds the events", failure);
            }
            throw failure;
        }
    }

    /** Each statement under a savepoint: the refused ones are noted for their handlers and fail the batch. */
    private void sendOneByOne(Pending pending) {
        List<String> refused = new ArrayList<>();
        DataAccessException first = null;
        for (int i = 0; i < pending.statements.size(); i++) {
            String eventId = pending.eventIds.get(i);
            String sql = pending.statements.get(i);
            Savepoint before = savepoint();
            try {
                jdbc.update(sql, pending.arguments.get(i));
            } catch (DataAccessException failure) {
                rollbackTo(before);
                if (!isDataError(failure)) {
                    throw failure;
                }
                refusals.put(eventId + sql, failure);
                refused.add(eventId);
                first = first == null ? failure : first;
            }
        }
        pending.eventIds.forEach(suspects::remove);
        if (!refused.isEmpty()) {
            log.warn("PostgreSQL refuses the projection writes of event(s) {}; at the batch's retry they go to the "
                    + "dead-letter queue", refused);
            throw new UnwritableEventException(refused.get(0), first);
        }
    }

    private static <V> Map<String, V> bounded() {
        return Collections.synchronizedMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED;
            }
        });
    }

    /** A refusal of the data itself, which no retry changes: SQLSTATE class 22 (data) or 23 (integrity). */
    static boolean isDataError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23");
            }
        }
        return false;
    }

    private Savepoint savepoint() {
        return jdbc.execute((ConnectionCallback<Savepoint>) connection -> connection.setSavepoint());
    }

    private void rollbackTo(Savepoint savepoint) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            connection.rollback(savepoint);
            return null;
        });
    }

    /** Statements in the order the handlers issued them, with the event each came from. */
    private static final class Pending {

        private final List<String> eventIds = new ArrayList<>();
        private final List<String> statements = new ArrayList<>();
        private final List<Object[]> arguments = new ArrayList<>();

        void add(String eventId, String sql, Object[] args) {
            eventIds.add(eventId);
            statements.add(sql);
            arguments.add(args);
        }

        void discard(String eventId) {
            for (int i = eventIds.size() - 1; i >= 0; i--) {
                if (eventIds.get(i).equals(eventId)) {
                    eventIds.remove(i);
                    statements.remove(i);
                    arguments.remove(i);
                }
            }
        }

        /** Consecutive runs of one statement go as one batch; the order between statements is kept. */
        void sendBatched(JdbcTemplate jdbc) {
            int start = 0;
            while (start < statements.size()) {
                String sql = statements.get(start);
                int end = start + 1;
                while (end < statements.size() && statements.get(end).equals(sql)) {
                    end++;
                }
                if (end - start == 1) {
                    jdbc.update(sql, arguments.get(start));
                } else {
                    jdbc.batchUpdate(sql, arguments.subList(start, end));
                }
                start = end;
            }
        }
    }

    /** Thrown in an event's handler when PostgreSQL refused its writes: the dead-letter queue's cue. */
    static final class UnwritableEventException extends RuntimeException {

        UnwritableEventException(String eventId, DataAccessException refused) {
            super("PostgreSQL refuses the projection's writes for event " + eventId + ": "
                    + refused.getMostSpecificCause().getMessage(), refused);
        }
    }
}

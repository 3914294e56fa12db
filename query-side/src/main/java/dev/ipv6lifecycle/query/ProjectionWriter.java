package dev.ipv6lifecycle.query;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
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
 * back the rows and the token together and has the processor retry the batch, exactly as a failing
 * statement did when it ran inside the handler. Handlers must not rely on a statement's row count.
 */
@Component
public class ProjectionWriter {

    private static final String PENDING = ProjectionWriter.class.getName() + ".pending";

    private final JdbcTemplate jdbc;

    public ProjectionWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Runs the statement now, or with the current unit of work's batch when it commits. */
    public void update(String sql, Object... args) {
        if (!CurrentUnitOfWork.isStarted()) {
            jdbc.update(sql, args);
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Pending pending = root.getOrComputeResource(PENDING, key -> {
            Pending created = new Pending();
            root.onPrepareCommit(unitOfWork -> created.flush(jdbc));
            return created;
        });
        pending.add(sql, args);
    }

    /** Statements in the order the handlers issued them. */
    private static final class Pending {

        private final List<String> statements = new ArrayList<>();
        private final List<Object[]> arguments = new ArrayList<>();

        void add(String sql, Object[] args) {
            statements.add(sql);
            arguments.add(args);
        }

        /** Consecutive runs of one statement go as one batch; the order between statements is kept. */
        void flush(JdbcTemplate jdbc) {
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
            statements.clear();
            arguments.clear();
        }
    }
}

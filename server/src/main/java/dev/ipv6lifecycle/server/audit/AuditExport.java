package dev.ipv6lifecycle.server.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Streams lifecycle events out of the event store as NDJSON. PostgreSQL hands rows over through a cursor
 * (a read-only transaction with a fetch size), so an export of millions of events never sits in memory.
 * Each line is built by PostgreSQL itself from the stored JSON payload.
 */
@Component
public class AuditExport {

    private static final int FETCH_SIZE = 1_000;
    private static final String EVENTS = """
            SELECT json_build_object(
                       'globalIndex', global_index,
                       'type', regexp_replace(payload_type, '^.*\\.|Event$', '', 'g'),
                       'occurredAt', time_stamp,
                       'aggregateId', aggregate_identifier,
                       'sequence', sequence_number,
                       'actor', convert_from(meta_data, 'UTF8')::jsonb ->> 'actor',
                       'details', convert_from(payload, 'UTF8')::jsonb)::text
            FROM domain_event_entry
            WHERE payload_type LIKE 'dev.ipv6lifecycle.api.%'
              AND convert_from(payload, 'UTF8')::jsonb ->> 'tenantId' = ?
              AND time_stamp::timestamptz >= ? AND time_stamp::timestamptz < ?
            ORDER BY global_index""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    AuditExport(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    public void write(String tenantId, Instant from, Instant to, OutputStream out) {
        readOnly.executeWithoutResult(status -> jdbc.query(EVENTS, row -> {
            try {
                out.write(row.getString(1).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            } catch (IOException clientWentAway) {
                throw new UncheckedIOException(clientWentAway);
            }
        }, tenantId, Timestamp.from(from), Timestamp.from(to)));
    }
}

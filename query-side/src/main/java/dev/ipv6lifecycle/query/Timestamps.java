package dev.ipv6lifecycle.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Instants to and from {@code timestamptz}. Event times carry nanoseconds, PostgreSQL keeps microseconds
 * and the JDBC driver would round: truncating here, on every write and every query parameter, makes a
 * stored boundary and the same instant asked about later compare equal (attribution ends exactly at the
 * revocation time).
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** The instant as a {@code timestamptz} parameter, truncated to the microsecond; null stays null. */
    public static OffsetDateTime toSql(Instant instant) {
        return instant == null ? null
                : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    /** A {@code timestamptz} column as an instant; null stays null. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}

package dev.ipv6lifecycle.server.delegation;

import java.time.Instant;

/**
 * One event of a delegation's history.
 *
 * @param type    the event, e.g. {@code PrefixAllocated}
 * @param actor   who caused it (the key or user behind the command), when known
 * @param details the event's own fields
 */
record HistoryEntry(long sequence, String type, Instant occurredAt, String actor, Object details) {
}

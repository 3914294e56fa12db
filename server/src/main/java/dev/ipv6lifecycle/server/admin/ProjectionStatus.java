package dev.ipv6lifecycle.server.admin;

/**
 * A read-side processor's progress.
 *
 * @param replaying       whether a replay is still catching up with the head
 * @param position        the lowest global index its segments have processed (-1 before the first event)
 * @param head            the newest global index in the event store
 * @param progressPercent position relative to head, 0..100
 */
record ProjectionStatus(String name, boolean running, boolean replaying, int segments, long position, long head,
                        double progressPercent) {
}

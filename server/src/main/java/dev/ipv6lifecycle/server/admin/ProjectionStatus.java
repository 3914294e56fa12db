package dev.ipv6lifecycle.server.admin;

import java.util.List;

/**
 * A read-side processor's progress and health.
 *
 * @param segments          the segments this node holds
 * @param replaying         whether a replay is still catching up with the head
 * @param position          the lowest global index this node's segments have processed (-1 before the first)
 * @param head              the newest global index in the event store
 * @param progressPercent   position relative to head, 0..100
 * @param failingSegments   segments of this node whose last batch failed; they retry with a growing back-off
 * @param unclaimedSegments segments that no node holds (none claimed them, or their node stopped renewing
 *                          its claim): nobody projects their events
 * @param deadLetters       events parked in the group's dead-letter queue, which a replay clears
 */
public record ProjectionStatus(String name, boolean running, boolean replaying, int segments, long position, long head,
                        double progressPercent, List<Integer> failingSegments, List<Integer> unclaimedSegments,
                        long deadLetters) {
}

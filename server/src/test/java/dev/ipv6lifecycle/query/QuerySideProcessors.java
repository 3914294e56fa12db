package dev.ipv6lifecycle.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;

/** The query side's processors of a running application, as an operator drives them. */
final class QuerySideProcessors {

    /** An event no projection handles, stored only to move the processors past a reset point. */
    record ReplayMarker(String note) {
    }

    private final EventProcessingConfiguration processing;
    private final EventStore events;
    private final TransactionManager transactions;

    QuerySideProcessors(EventProcessingConfiguration processing, EventStore events, TransactionManager transactions) {
        this.processing = processing;
        this.events = events;
        this.transactions = transactions;
    }

    StreamingEventProcessor processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new AssertionError("no streaming event processor named " + name));
    }

    /** What the replay endpoint will do: stop, reset the tokens (running the reset handlers), start again. */
    void replay(String name) {
        StreamingEventProcessor processor = processor(name);
        processor.shutDown();
        processor.resetTokens();
        processor.start();
    }

    /**
     * Waits until every projection has processed every event stored so far: all segments claimed (their
     * shares add up to the whole), none failed, each at or past the head of the event store.
     */
    void awaitCaughtUp() {
        awaitAll(false);
    }

    /**
     * As {@link #awaitCaughtUp()}, and then until no segment replays any more. Axon ends a segment's replay
     * only at the first event stored after the reset: until one arrives, a fully rebuilt projection still
     * reports "replaying". So this stores one event that no projection handles, and waits for it too.
     */
    void awaitReplaysFinished() {
        awaitAll(false);
        String marker = UUID.randomUUID().toString();
        transactions.executeInTransaction(() -> events.publish(
                new GenericDomainEventMessage<>("ReplayMarker", marker, 0, new ReplayMarker("replay finished"))));
        awaitAll(true);
    }

    private void awaitAll(boolean notReplaying) {
        long head = events.createHeadToken().position().orElse(-1);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (String name : Projections.ALL) {
                Map<Integer, EventTrackerStatus> segments = processor(name).processingStatus();
                assertThat(segments.values().stream().mapToDouble(status -> 1.0 / (status.getSegment().getMask() + 1)).sum())
                        .as("share of %s's segments claimed", name).isEqualTo(1.0);
                for (EventTrackerStatus status : segments.values()) {
                    assertThat(status.isErrorState()).as("%s failed", name).isFalse();
                    assertThat(status.getCurrentPosition().orElse(-1)).as("%s position", name).isGreaterThanOrEqualTo(head);
                    if (notReplaying) {
                        assertThat(status.isReplaying()).as("%s replaying", name).isFalse();
                    }
                }
            }
        });
    }
}

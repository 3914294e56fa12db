package dev.ipv6lifecycle.server.admin;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.query.Projections;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The read side's processors ({@link Projections#ALL}): their progress, and replays. */
@Component
public class ProjectionProcessors {

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final Duration claimTimeout;

    ProjectionProcessors(EventProcessingConfiguration processing, JdbcTemplate jdbc,
                         TokenStoreProperties tokenStore) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.claimTimeout = tokenStore.getClaimTimeout();
    }

    public List<ProjectionStatus> status() {
        long head = head();
        return replayable().values().stream().map(processor -> status(processor, head))
                .sorted(Comparator.comparing(ProjectionStatus::name)).toList();
    }

    public ProjectionStatus replay(String name) {
        StreamingEventProcessor processor = replayable().get(name);
        if (processor == null) {
            throw DomainRejection.notFound("no projection " + name + "; projections: " + Projections.ALL);
        }
        // Tokens can only be reset while no thread of any node holds them: with several nodes, the others
        // must have stopped or released this processor's segments first. Either way this node goes on.
        processor.shutDown();
        try {
            processor.resetTokens();
        } catch (UnableToClaimTokenException heldElsewhere) {
            throw DomainRejection.conflict("projection " + name + " cannot be replayed while another node holds "
                    + "its segments; stop the other nodes and try again");
        } finally {
            processor.start();
        }
        return status(processor, head());
    }

    private Map<String, StreamingEventProcessor> replayable() {
        return Projections.ALL.stream()
                .flatMap(name -> processing.eventProcessor(name, StreamingEventProcessor.class).stream())
                .collect(Collectors.toMap(StreamingEventProcessor::getName, processor -> processor));
    }

    private ProjectionStatus status(StreamingEventProcessor processor, long head) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        long position = segments.stream()
                .mapToLong(segment -> segment.getCurrentPosition().orElse(-1L))
                .min().orElse(-1L);
        // Axon ends a segment's replay only at the first event stored after the reset; on a quiet system
        // that may be never, so a replay counts as done once every segment has reached the head.
        boolean replaying = segments.stream().anyMatch(EventTrackerStatus::isReplaying) && position < head;
        double progress = head <= 0 ? 100.0 : Math.min(100.0, Math.max(0, position) * 100.0 / head);
        List<Integer> failing = processor.processingStatus().entrySet().stream()
                .filter(segment -> segment.getValue().isErrorState()).map(Map.Entry::getKey).sorted().toList();
        return new ProjectionStatus(processor.getName(), processor.isRunning(), replaying, segments.size(), position,
                head, Math.round(progress * 10) / 10.0, failing, unclaimed(processor.getName()),
                deadLetters(processor.getName()));
    }

    /**
     * Segments no node holds: never claimed, released, or whose claim has not been renewed within the claim
     * timeout (its node died). Read from the shared token table, so every node reports the same.
     */
    private List<Integer> unclaimed(String name) {
        // Axon keeps the claim's time as ISO-8601 text in UTC, which sorts as the instant does.
        return jdbc.queryForList("""
                SELECT segment FROM token_entry
                WHERE processor_name = ? AND (owner IS NULL OR timestamp < ?) ORDER BY segment""", Integer.class,
                name, Instant.now().minus(claimTimeout).toString());
    }

    private long deadLetters(String name) {
        return processing.deadLetterQueue(name).map(queue -> queue.size()).orElse(0L);
    }

    private long head() {
        Long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }
}

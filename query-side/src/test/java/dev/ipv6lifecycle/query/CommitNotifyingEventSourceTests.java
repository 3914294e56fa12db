package dev.ipv6lifecycle.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The projections' event source wakes their streams when events were committed, not before. */
class CommitNotifyingEventSourceTests {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final CommitNotifyingEventSource source = new CommitNotifyingEventSource(store);

    @AfterEach
    void stop() {
        source.shutdown();
        store.shutDown();
    }

    @Test
    void wakesAStreamWhenATransactionWithEventsCommitsAndNotBefore() throws InterruptedException {
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        AtomicInteger wakeUps = new AtomicInteger();
        assertThat(stream.setOnAvailableCallback(wakeUps::incrementAndGet)).isTrue();

        UnitOfWork<?> command = DefaultUnitOfWork.startAndGet(null);
        store.publish(GenericEventMessage.asEventMessage("allocated"));
        command.onPrepareCommit(unitOfWork -> assertThat(wakeUps).hasValue(0));
        int beforeCommit = wakeUps.get();
        command.commit();

        assertThat(wakeUps.get()).isGreaterThan(beforeCommit);
        // Asked at once after the wake-up, the stream already has the event.
        assertThat(stream.hasNextAvailable()).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("allocated");
        stream.close();
    }

    @Test
    void wakesStreamsPeriodicallyForEventsOtherNodesCommit() throws InterruptedException {
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        AtomicInteger wakeUps = new AtomicInteger();
        stream.setOnAvailableCallback(wakeUps::incrementAndGet);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (wakeUps.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(wakeUps.get()).isPositive();
        stream.close();
    }

    @Test
    void stopsWakingAClosedStream() {
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        AtomicInteger wakeUps = new AtomicInteger();
        stream.setOnAvailableCallback(wakeUps::incrementAndGet);
        stream.close();

        store.publish(GenericEventMessage.asEventMessage("allocated"));

        assertThat(wakeUps).hasValue(0);
    }
}

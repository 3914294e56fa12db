package dev.ipv6lifecycle.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
    /** Only commits wake its streams within a test: the periodic wake-up is an hour away. */
    private final CommitNotifyingEventSource source = new CommitNotifyingEventSource(store, Duration.ofHours(1));

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

        awaitWakeUpAfter(beforeCommit, wakeUps);
        // Asked at once after the wake-up, the stream already has the event.
        assertThat(stream.hasNextAvailable()).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("allocated");
        stream.close();
    }

    @Test
    void answersCommitsInQuickSuccessionWithOneWakeUp() throws InterruptedException {
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        AtomicInteger wakeUps = new AtomicInteger();
        stream.setOnAvailableCallback(wakeUps::incrementAndGet);

        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            UnitOfWork<?> command = DefaultUnitOfWork.startAndGet(null);
            store.publish(GenericEventMessage.asEventMessage("allocated-" + i));
            command.commit();
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        awaitWakeUpAfter(0, wakeUps);
        Thread.sleep(3 * CommitNotifyingEventSource.GATHER.toMillis());

        // At most one wake-up per gathering interval that the commits spanned: one, unless the machine is slow.
        assertThat(wakeUps.get()).isBetween(1, (int) (1 + tookMillis / CommitNotifyingEventSource.GATHER.toMillis()));
        stream.close();
    }

    @Test
    void wakesStreamsPeriodicallyForEventsOtherNodesCommit() throws InterruptedException {
        CommitNotifyingEventSource source = new CommitNotifyingEventSource(store, CommitNotifyingEventSource.POLL);
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        AtomicInteger wakeUps = new AtomicInteger();
        stream.setOnAvailableCallback(wakeUps::incrementAndGet);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (wakeUps.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(wakeUps.get()).isPositive();
        stream.close();
        source.shutdown();
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

    private static void awaitWakeUpAfter(int before, AtomicInteger wakeUps) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (wakeUps.get() == before && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(wakeUps.get()).as("woken after the commit").isGreaterThan(before);
    }
}

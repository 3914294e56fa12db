package dev.ipv6lifecycle.query;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The event store as the projections' processors read it, with one addition: their streams say when events
 * are there. Axon's embedded event store offers no such callback, so a pooled processor with nothing to do
 * looks again only every 500 ms, and an allocation showed up on the read side half a second after it was
 * answered (read-side lag p50 about 500 ms in BENCHMARKS.md, against a p99 target of 100 ms).
 *
 * <p>Here the processors are woken after local commits that stored events ({@link #GATHER} after the
 * first of them), and every {@link #POLL} in any case, which is how they still see events committed by other nodes as soon as before.
 * After a wake-up the stream waits up to {@link #FETCH_WAIT} for the store's reader to fetch the events, so
 * that the processor does not look before they are there and then sleep.
 */
final class CommitNotifyingEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    static final Duration POLL = Duration.ofMillis(500);
    /**
     * Commits within this long of the first are answered with one wake-up. Each wake-up costs every processor
     * a transaction and a token update per segment that has events; under load, waking them at every commit
     * gave batches of an event or two, and the projections committed more often than the commands did. A few
     * milliseconds of lag buy batches of every event of that time.
     */
    static final Duration GATHER = Duration.ofMillis(20);
    static final Duration FETCH_WAIT = Duration.ofMillis(20);
    /** How recent a local commit must be for an empty stream to wait {@link #FETCH_WAIT} for its events. */
    static final Duration RECENT = Duration.ofMillis(50);

    private final EventStore store;
    private final Set<Runnable> callbacks = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller;
    private volatile long lastCommitNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();

    CommitNotifyingEventSource(EventStore store) {
        this(store, POLL);
    }

    /** With another period of the wake-up that does not wait for a commit (tests). */
    CommitNotifyingEventSource(EventStore store, Duration poll) {
        this.store = store;
        store.subscribe(events -> {
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                // The database transaction may be wider than the unit of work (a bulk allocation runs many
                // commands in one): wake the processors when it commits, once.
                if (!TransactionSynchronizationManager.hasResource(this)) {
                    TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
                    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            TransactionSynchronizationManager.unbindResourceIfPossible(CommitNotifyingEventSource.this);
                            if (status == STATUS_COMMITTED) {
                                committed();
                            }
                        }
                    });
                }
            } else if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> committed());
            } else {
                committed();
            }
        });
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "projection-wake-up");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::wakeUp, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void committed() {
        lastCommitNanos = System.nanoTime();
        if (wakeUpPending.compareAndSet(false, true)) {
            poller.schedule(() -> {
                wakeUpPending.set(false);
                wakeUp();
            }, GATHER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void wakeUp() {
        callbacks.forEach(Runnable::run);
    }

    void shutdown() {
        poller.shutdownNow();
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new Stream(store.openStream(trackingToken));
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(java.time.Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    private final class Stream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private Runnable callback;

        Stream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (timeout == 0 && System.nanoTime() - lastCommitNanos < RECENT.toNanos()) {
                // Events were committed a moment ago: give the store's reader the time to fetch them.
                return delegate.hasNextAvailable((int) FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void close() {
            if (callback != null) {
                callbacks.remove(callback);
            }
            delegate.close();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable onAvailable) {
            callback = onAvailable;
            callbacks.add(onAvailable);
            return true;
        }
    }
}

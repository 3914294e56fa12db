package dev.ipv6lifecycle.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Writes that an in-transaction handler gathers over the events of its processor's batch and sends together when
 * the batch prepares to commit, still inside the command's transaction: a command that applies a thousand events
 * (a bulk allocation) then costs a few statements instead of a thousand. A handler of another kind of event calls
 * {@link #flush()} first, so the table sees every change in the order of the events. Outside a unit of work a
 * write is sent at once.
 */
public final class BatchedWrites<T> {

    private final String key = BatchedWrites.class.getName() + "@" + Integer.toHexString(System.identityHashCode(this));
    private final Consumer<List<T>> write;

    public BatchedWrites(Consumer<List<T>> write) {
        this.write = write;
    }

    public void add(T item) {
        if (!CurrentUnitOfWork.isStarted()) {
            write.accept(List.of(item));
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get();
        batch.<List<T>>getOrComputeResource(key, unused -> {
            List<T> pending = new ArrayList<>();
            batch.onPrepareCommit(unitOfWork -> send(pending));
            return pending;
        }).add(item);
    }

    /** Sends what the current batch has gathered so far. */
    public void flush() {
        if (CurrentUnitOfWork.isStarted()) {
            List<T> pending = CurrentUnitOfWork.get().getResource(key);
            if (pending != null) {
                send(pending);
            }
        }
    }

    private void send(List<T> pending) {
        if (!pending.isEmpty()) {
            List<T> items = List.copyOf(pending);
            pending.clear();
            write.accept(items);
        }
    }
}

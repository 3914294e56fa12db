package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.api.delegation.DelegationCommand;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a saga asked its outbox for, in order, so a test can say what the saga did. */
class RecordingOutbox implements SagaOutbox {

    /** {@code then}: the command to send once every step is done, or {@code null}. */
    record Call(List<NetworkStep> steps, DelegationTarget target, int attempt, String actor, DelegationCommand then) {
    }

    record Sent(Object command, String actor) {
    }

    final List<Object> requests = new ArrayList<>();

    @Override
    public void call(List<NetworkStep> steps, DelegationTarget target, int attempt, String actor,
                     DelegationCommand then) {
        requests.add(new Call(steps, target, attempt, actor, then));
    }

    @Override
    public void send(Object command, String actor) {
        requests.add(new Sent(command, actor));
    }

    Object last() {
        return requests.get(requests.size() - 1);
    }

    /** What was asked for since {@code mark} (a size of {@link #requests} taken earlier). */
    List<Object> since(int mark) {
        return List.copyOf(requests.subList(mark, requests.size()));
    }
}

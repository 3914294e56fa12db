package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.ItemOutcome;
import dev.ipv6lifecycle.api.audit.Actor;
import dev.ipv6lifecycle.api.delegation.DelegationCommand;
import dev.ipv6lifecycle.api.delegation.DelegationCommandGroup;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import dev.ipv6lifecycle.api.delegation.RecordNetworkCallsCommand;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link SagaOutbox} of a running node: a small pool of threads, fed after each commit. */
class AfterCommitOutbox implements SagaOutbox, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AfterCommitOutbox.class);

    private final NetworkCalls calls;
    private final CommandGateway commands;
    private final ExecutorService executor;

    AfterCommitOutbox(NetworkCalls calls, CommandGateway commands, ExecutorService executor) {
        this.calls = calls;
        this.commands = commands;
        this.executor = executor;
    }

    @Override
    public void call(List<NetworkStep> steps, DelegationTarget target, int attempt, String actor,
                     DelegationCommand then) {
        afterCommit(() -> {
            List<RecordNetworkCallsCommand.Call> made = new ArrayList<>();
            boolean done = true;
            for (int i = 0; i < steps.size() && done; i++) {
                NetworkOutcome outcome = calls.perform(steps.get(i), target);
                made.add(new RecordNetworkCallsCommand.Call(steps.get(i), NetworkCalls.asEventResult(outcome.result()),
                        i == 0 ? attempt : 1, outcome.detail()));
                done = outcome.isDone();
            }
            RecordNetworkCallsCommand record = new RecordNetworkCallsCommand(target.delegationId(), target.tenantId(),
                    made);
            // The record and what follows it in one transaction: a command, a load and a commit fewer.
            dispatch(done && then != null ? new DelegationCommandGroup(target.tenantId(), List.of(record, then))
                    : record, actor);
        });
    }

    @Override
    public void send(Object command, String actor) {
        afterCommit(() -> dispatch(command, actor));
    }

    private void dispatch(Object command, String actor) {
        commands.send(GenericCommandMessage.asCommandMessage(command).andMetaData(Map.of(Actor.METADATA_KEY, actor)))
                .whenComplete((result, failure) -> {
                    if (failure instanceof DomainRejection refusal) {
                        refused(command, refusal);
                    } else if (failure != null) {
                        log.warn("{} failed; the saga's deadline will try again", command, failure);
                    } else if (command instanceof DelegationCommandGroup group) {
                        for (int i = 0; i < group.commands().size(); i++) {
                            if (((List<?>) result).get(i) instanceof ItemOutcome outcome && outcome.refusal() != null) {
                                refused(group.commands().get(i), outcome.refusal());
                            }
                        }
                    }
                });
    }

    /** The delegation moved on meanwhile (an operator revoked it, say): the saga hears of it. */
    private static void refused(Object command, DomainRejection refusal) {
        log.info("{} refused: {}", command.getClass().getSimpleName(), refusal.getMessage());
    }

    private void afterCommit(Runnable task) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> execute(task));
        } else {
            execute(task);
        }
    }

    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            log.info("Shutting down: a network call is left to the saga's next attempt");
        }
    }

    /** Lets calls in flight finish at shutdown; whatever is cut off is called again after the step timeout. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}

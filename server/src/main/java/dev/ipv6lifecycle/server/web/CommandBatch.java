package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.ItemOutcome;
import dev.ipv6lifecycle.api.audit.Actor;
import dev.ipv6lifecycle.server.axon.BatchItem;
import dev.ipv6lifecycle.server.axon.CommandSettings;
import dev.ipv6lifecycle.server.axon.RetryableCommandFailures;
import dev.ipv6lifecycle.server.metrics.OperationMetrics;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends many commands in one database transaction, each with its own outcome: a bulk request, or single
 * requests that arrived together ({@link CommandSender}), pays for one commit (one WAL flush) instead of one per
 * command, and nothing is stored until all of it is.
 *
 * <p>The commands first run one after the other without savepoints ({@link BatchItem#withoutSavepoint}). One
 * that is refused before it writes anything (the domain's refusals, which are nearly all of them) just has its
 * outcome, and the others go on. One that fails after it began to write, or that PostgreSQL refused, can only be
 * undone with the whole transaction: then the batch runs again with a savepoint per command, where such a failure
 * undoes only its own command, and a command that lost a race is tried again at once in the same transaction,
 * which sees what the winner committed, up to {@code ipv6.commands.max-retries} times. When the commit itself fails for a reason a retry can fix (a lost
 * connection, a serialization failure), the whole batch runs again, so the answer always describes what is stored.
 */
@Component
public class CommandBatch {

    private static final Logger log = LoggerFactory.getLogger(CommandBatch.class);
    private final CommandGateway once;
    private final TransactionTemplate batch;
    private final DataSource dataSource;
    private final Validator validator;
    private final Caller caller;
    private final OperationMetrics metrics;
    private final int attempts;

    CommandBatch(CommandBus commandBus, PlatformTransactionManager transactions, DataSource dataSource,
                 Validator validator, Caller caller, OperationMetrics metrics, CommandSettings settings) {
        this.once = DefaultCommandGateway.builder().commandBus(commandBus).build();
        this.batch = new TransactionTemplate(transactions);
        this.dataSource = dataSource;
        this.validator = validator;
        this.caller = caller;
        this.metrics = metrics;
        this.attempts = settings.maxRetries() + 1;
    }

    /** What became of one item of a bulk request: the command's result, or the problem it is answered with. */
    public record Outcome<R>(R result, ProblemDetail problem) {
    }

    /** A command and whom it is sent for: the tenant it is counted under and the actor recorded on its events. */
    record Command(String tenant, String actor, Object message) {
    }

    /** What became of one command: its result, or the exception a single command would have been answered with. */
    record Sent(Object result, RuntimeException failure, long nanos) {
    }

    /**
     * Validates each item as a request body is validated (its problem names the fields), turns the valid ones
     * into commands and sends them, in order, in one transaction, on behalf of the caller.
     */
    public <T, R> List<Outcome<R>> send(List<T> items, Function<T, Object> command) {
        return send(items, command, null);
    }

    /**
     * As {@link #send(List, Function)}, but the valid items' commands first go as one command, made by {@code
     * together}, whose handler places them all at once and answers each ({@link ItemOutcome}, in order): for a
     * thousand items, a few statements instead of a few thousand. Should that command fail as a whole (a prefix
     * taken concurrently, a quota PostgreSQL enforces on the whole statement, anything else), nothing of it is
     * stored and the items go again, one command each, where each failure is its own.
     */
    public <T, R> List<Outcome<R>> send(List<T> items, Function<T, Object> command,
                                        Function<List<Object>, Object> together) {
        String tenant = caller.tenantId();
        String actor = caller.actor();
        @SuppressWarnings("unchecked")
        Outcome<R>[] outcomes = new Outcome[items.size()];
        List<Command> commands = new ArrayList<>(items.size());
        List<Integer> positions = new ArrayList<>(items.size());
        for (int index = 0; index < items.size(); index++) {
            T item = items.get(index);
            Set<ConstraintViolation<T>> violations = validator.validate(item);
            if (violations.isEmpty()) {
                commands.add(new Command(tenant, actor, command.apply(item)));
                positions.add(index);
            } else {
                List<FieldProblem> errors = ValidationProblems.of(violations);
                ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(ValidationProblems.detail(errors));
                problem.setProperty("errors", errors);
                outcomes[index] = new Outcome<>(null, problem);
            }
        }
        List<Sent> sent = together == null ? send(commands) : sendAsOne(commands, together);
        for (int i = 0; i < sent.size(); i++) {
            outcomes[positions.get(i)] = outcome(sent.get(i));
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Sends the commands, in order, in one transaction; each has its own outcome. They are counted and timed once
     * the transaction has ended, so that a batch that runs again is counted once.
     */
    List<Sent> send(List<Command> commands) {
        long start = System.nanoTime();
        List<Sent> sent;
        try {
            sent = sendAndCommit(commands);
        } catch (RuntimeException failure) {
            commands.forEach(command -> metrics.record(command.tenant(), command.message(),
                    System.nanoTime() - start, failure));
            throw failure;
        }
        for (int i = 0; i < sent.size(); i++) {
            metrics.record(commands.get(i).tenant(), commands.get(i).message(), sent.get(i).nanos(), sent.get(i).failure());
        }
        return sent;
    }

    /**
     * The commands as one command made by {@code together}, one caller's, in one transaction; should it fail as a
     * whole, one command each ({@link #send(List)}).
     */
    List<Sent> sendAsOne(List<Command> commands, Function<List<Object>, Object> together) {
        if (commands.isEmpty()) {
            return List.of();
        }
        long start = System.nanoTime();
        Command first = commands.get(0);
        List<ItemOutcome> outcomes;
        try {
            Command all = new Command(first.tenant(), first.actor(),
                    together.apply(commands.stream().map(Command::message).toList()));
            outcomes = batch.execute(status -> dispatch(all));
        } catch (RuntimeException failure) {
            log.info("A command of {} items failed as a whole; its items go again one by one: {}", commands.size(),
                    failure.toString());
            return send(commands);
        }
        long each = (System.nanoTime() - start) / commands.size();
        List<Sent> sent = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            ItemOutcome outcome = outcomes.get(i);
            sent.add(new Sent(outcome.result(), outcome.refusal(), each));
            metrics.record(commands.get(i).tenant(), commands.get(i).message(), each, outcome.refusal());
        }
        return sent;
    }

    private List<Sent> sendAndCommit(List<Command> commands) {
        try {
            return inOneTransaction(commands, false);
        } catch (BatchItem.Unrecoverable failure) {
            log.debug("A command of a batch of {} failed after it began to write; the batch runs again, with a "
                    + "savepoint per command", commands.size(), failure.getCause());
            return inOneTransaction(commands, true);
        }
    }

    private List<Sent> inOneTransaction(List<Command> commands, boolean savepoints) {
        for (int attempt = 1; ; attempt++) {
            try {
                return batch.execute(status -> {
                    List<Sent> sent = new ArrayList<>(commands.size());
                    for (Command command : commands) {
                        sent.add(sendOne(command, savepoints));
                    }
                    return sent;
                });
            } catch (BatchItem.Unrecoverable failure) {
                throw failure;
            } catch (RuntimeException failure) {
                if (attempt == attempts || !RetryableCommandFailures.isRetryable(failure)) {
                    throw failure;
                }
                log.info("A batch of {} commands failed at its commit and runs again: {}", commands.size(),
                        failure.toString());
            }
        }
    }

    private Sent sendOne(Command command, boolean savepoint) {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                Object result = savepoint
                        ? BatchItem.underSavepoint(dataSource, () -> dispatch(command))
                        : BatchItem.withoutSavepoint(() -> dispatch(command));
                return new Sent(result, null, System.nanoTime() - start);
            } catch (BatchItem.Unrecoverable failure) {
                throw failure;
            } catch (RuntimeException failure) {
                // Nothing of this command is left in the transaction: it failed under its savepoint, or before it wrote.
                if (attempt < attempts && RetryableCommandFailures.isRetryable(failure)) {
                    continue;
                }
                return new Sent(null, failure, System.nanoTime() - start);
            }
        }
    }

    private <R> R dispatch(Command command) {
        return once.sendAndWait(GenericCommandMessage.asCommandMessage(command.message())
                .andMetaData(Map.of(Actor.METADATA_KEY, command.actor())));
    }

    @SuppressWarnings("unchecked")
    private static <R> Outcome<R> outcome(Sent sent) {
        if (sent.failure() == null) {
            return new Outcome<>((R) sent.result(), null);
        }
        return new Outcome<>(null, ProblemDetailsAdvice.applicationProblem(sent.failure()).orElseGet(() -> {
            log.error("Unexpected failure of one command of a batch", sent.failure());
            return ProblemType.INTERNAL_ERROR.problem(ProblemDetailsAdvice.UNEXPECTED);
        }));
    }
}

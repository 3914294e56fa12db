package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.audit.Actor;
import dev.ipv6lifecycle.server.axon.RetryableCommandFailures;
import dev.ipv6lifecycle.server.axon.Savepoints;
import dev.ipv6lifecycle.server.metrics.OperationMetrics;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
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
 * Sends many commands on behalf of the caller in one database transaction, each with its own outcome: a bulk
 * request pays for one commit (one WAL flush) instead of one per command, and nothing is stored until all of
 * it is.
 *
 * <p>Each command runs under a savepoint of its own ({@link Savepoints}): one that is refused, by the domain
 * or by PostgreSQL, rolls back to its savepoint and the others go on. A command that lost a race
 * is tried again at once in the same transaction, which sees what the winner committed; a retry through the
 * gateway's scheduler would run later, on another thread, outside this transaction. When the commit itself
 * fails for a reason a retry can fix (a lost connection, a serialization failure), the whole batch runs
 * again, so the answer always describes what is stored.
 */
@Component
public class CommandBatch {

    private static final Logger log = LoggerFactory.getLogger(CommandBatch.class);
    private static final int ATTEMPTS = 5;

    private final CommandGateway once;
    private final TransactionTemplate batch;
    private final DataSource dataSource;
    private final Validator validator;
    private final Caller caller;
    private final OperationMetrics metrics;

    CommandBatch(CommandBus commandBus, PlatformTransactionManager transactions, DataSource dataSource,
                 Validator validator, Caller caller, OperationMetrics metrics) {
        this.once = DefaultCommandGateway.builder().commandBus(commandBus).build();
        this.batch = new TransactionTemplate(transactions);
        this.dataSource = dataSource;
        this.validator = validator;
        this.caller = caller;
        this.metrics = metrics;
    }

    /** What became of one item: the command's result, or the problem it is answered with. */
    public record Outcome<R>(R result, ProblemDetail problem) {
    }

    /**
     * Validates each item as a request body is validated (its problem names the fields), turns the valid ones
     * into commands and sends them, in order, in one transaction.
     */
    public <T, R> List<Outcome<R>> send(List<T> items, Function<T, Object> command) {
        String tenant = caller.tenantId();
        Map<String, String> actor = Map.of(Actor.METADATA_KEY, caller.actor());
        for (int attempt = 1; ; attempt++) {
            try {
                return batch.execute(status -> {
                    List<Outcome<R>> outcomes = new ArrayList<>(items.size());
                    for (T item : items) {
                        outcomes.add(sendOne(tenant, actor, item, command));
                    }
                    return outcomes;
                });
            } catch (RuntimeException failure) {
                if (attempt == ATTEMPTS || !RetryableCommandFailures.isRetryable(failure)) {
                    throw failure;
                }
                log.info("A batch of {} commands failed at its commit and runs again: {}", items.size(), failure.toString());
            }
        }
    }

    private <T, R> Outcome<R> sendOne(String tenant, Map<String, String> actor, T item, Function<T, Object> command) {
        Set<ConstraintViolation<T>> violations = validator.validate(item);
        if (!violations.isEmpty()) {
            List<FieldProblem> errors = ValidationProblems.of(violations);
            ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(ValidationProblems.detail(errors));
            problem.setProperty("errors", errors);
            return new Outcome<>(null, problem);
        }
        Object message = command.apply(item);
        for (int attempt = 1; ; attempt++) {
            try {
                R result = metrics.record(tenant, message, () -> Savepoints.run(dataSource, () -> once.sendAndWait(
                        GenericCommandMessage.asCommandMessage(message).andMetaData(actor))));
                return new Outcome<>(result, null);
            } catch (RuntimeException failure) {
                if (attempt < ATTEMPTS && RetryableCommandFailures.isRetryable(failure)) {
                    continue;
                }
                return new Outcome<>(null, ProblemDetailsAdvice.applicationProblem(failure).orElseGet(() -> {
                    log.error("Unexpected failure of one command of a batch", failure);
                    return ProblemType.INTERNAL_ERROR.problem(ProblemDetailsAdvice.UNEXPECTED);
                }));
            }
        }
    }
}

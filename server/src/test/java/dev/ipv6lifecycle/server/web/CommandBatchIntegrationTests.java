package dev.ipv6lifecycle.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.delegation.SuspendPrefixCommand;
import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.axon.CommandSettings;
import dev.ipv6lifecycle.server.security.CallerIdentity;
import dev.ipv6lifecycle.server.security.Role;
import dev.ipv6lifecycle.server.web.TestOnlyBatchCommands.Failure;
import dev.ipv6lifecycle.server.web.TestOnlyBatchCommands.Write;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Commands sent together in one transaction ({@link CommandBatch}), and single requests grouped into such
 * batches ({@link CommandSender}): each command keeps its own outcome, and what is stored is exactly what the
 * outcomes say.
 */
@IntegrationTest
class CommandBatchIntegrationTests {

    @Autowired
    CommandBatch batch;

    @Autowired
    Caller caller;

    @Autowired
    TestOnlyBatchCommands writes;

    private final String run = UUID.randomUUID().toString();

    @Test
    void aBatchIsOneTransactionAndACommandRefusedBeforeItWroteCostsTheOthersNothing() {
        String a = key("a"), b = key("b"), c = key("c");

        List<CommandBatch.Sent> sent = batch.send(commands(new Write(a), new Write(b, Failure.REFUSED_BEFORE_WRITING),
                new Write(c)));

        assertThat(sent.get(0).result()).isEqualTo(a);
        assertThat(sent.get(1).failure()).isInstanceOf(DomainRejection.class).hasMessageContaining("is refused");
        assertThat(sent.get(2).result()).isEqualTo(c);
        Map<String, Long> stored = writes.stored(a, b, c);
        assertThat(stored).containsOnlyKeys(a, c);
        assertThat(stored.get(a)).isEqualTo(stored.get(c));
        // Without a savepoint and without a second run: each command was attempted once.
        assertThat(TestOnlyBatchCommands.attempts(a)).isEqualTo(1);
    }

    @Test
    void aCommandThatFailsAfterItBeganToWriteIsUndoneAloneByRunningTheBatchAgainUnderSavepoints() {
        String d = key("d"), e = key("e"), f = key("f");

        List<CommandBatch.Sent> sent = batch.send(commands(new Write(d), new Write(e, Failure.FAILS_AFTER_WRITING),
                new Write(f)));

        assertThat(sent.get(0).result()).isEqualTo(d);
        assertThat(sent.get(1).failure()).hasMessageContaining("fails after writing");
        assertThat(sent.get(2).result()).isEqualTo(f);
        Map<String, Long> stored = writes.stored(d, e, f);
        assertThat(stored).containsOnlyKeys(d, f);
        assertThat(stored.get(d)).isEqualTo(stored.get(f));
        assertThat(TestOnlyBatchCommands.attempts(d)).isEqualTo(2);
    }

    @Test
    void aStatementThatPostgresRefusedIsUndoneAloneThoughItAbortedTheFirstRun() {
        String g = key("g"), h = key("h"), i = key("i");

        List<CommandBatch.Sent> sent = batch.send(commands(new Write(g), new Write(h, Failure.POSTGRES_REFUSES_A_READ),
                new Write(i)));

        assertThat(sent.get(0).result()).isEqualTo(g);
        assertThat(sent.get(1).failure()).rootCause().isInstanceOf(SQLException.class)
                .satisfies(root -> assertThat(((SQLException) root).getSQLState()).isEqualTo("22012"));
        assertThat(sent.get(2).result()).isEqualTo(i);
        assertThat(writes.stored(g, h, i)).containsOnlyKeys(g, i);
    }

    @Test
    void aCommandRefusedAfterItsAggregateWasReadFromTheEventStoreLeavesTheOthersStored() {
        String j = key("j"), k = key("k");

        // Loading the delegation reads the event store through Axon's connection provider, whose unit of work
        // would roll the connection back, with the batch's whole transaction, when the command fails.
        List<CommandBatch.Sent> sent = batch.send(commands(new Write(j),
                new SuspendPrefixCommand(UUID.randomUUID(), "default", "test", null), new Write(k)));

        assertThat(sent.get(1).failure()).isInstanceOf(AggregateNotFoundException.class);
        Map<String, Long> stored = writes.stored(j, k);
        assertThat(stored).containsOnlyKeys(j, k);
        assertThat(stored.get(j)).isEqualTo(stored.get(k));
    }

    @Test
    void requestsThatArriveWhileOthersAreSentGoTogetherInOneTransactionEachWithItsOwnAnswer() throws Exception {
        // Both groups that may be under way at once wait at a gate, so the next requests queue behind them.
        // A sender of its own, so that no other request of the shared application takes a group's place.
        CommandSender sender = new CommandSender(batch, caller, new CommandSettings(8, 64, 2));
        CountDownLatch gate = new CountDownLatch(1);
        // One after the other, so that each leads a group of its own.
        Request first = sendAsCaller(() -> sender.send(new TestOnlyBatchCommands.WaitThenWrite(key("first"), gate)));
        awaitAttempts(key("first"));
        Request second = sendAsCaller(() -> sender.send(new TestOnlyBatchCommands.WaitThenWrite(key("second"), gate)));
        awaitAttempts(key("second"));
        List<Request> blocking = List.of(first, second);
        String[] queued = {key("q1"), key("q2"), key("q3"), key("q4")};
        List<Request> answers = new ArrayList<>();
        for (String queuedKey : queued) {
            Failure failure = queuedKey.equals(queued[1]) ? Failure.REFUSED_BEFORE_WRITING : Failure.NONE;
            answers.add(sendAsCaller(() -> sender.send(new Write(queuedKey, failure))));
        }
        awaitWaitingForATurn(answers);
        assertThat(writes.stored(queued)).isEmpty();

        gate.countDown();

        for (Request blocked : blocking) {
            blocked.answer().get(30, TimeUnit.SECONDS);
        }
        assertThat(answers.get(0).answer().get(30, TimeUnit.SECONDS)).isEqualTo(queued[0]);
        assertThat(answers.get(1).answer()).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(DomainRejection.class);
        assertThat(answers.get(2).answer().get(30, TimeUnit.SECONDS)).isEqualTo(queued[2]);
        assertThat(answers.get(3).answer().get(30, TimeUnit.SECONDS)).isEqualTo(queued[3]);
        Map<String, Long> stored = writes.stored(queued);
        assertThat(stored).containsOnlyKeys(queued[0], queued[2], queued[3]);
        assertThat(stored.values()).as("one transaction for the requests that queued").containsOnly(stored.get(queued[0]));
    }

    private String key(String name) {
        return run + "-" + name;
    }

    private static List<CommandBatch.Command> commands(Object... messages) {
        return Arrays.stream(messages).map(message -> new CommandBatch.Command("default", "test", message))
                .toList();
    }

    /** A request on a thread of its own, as Tomcat would run it, and its answer. */
    private record Request(Thread thread, CompletableFuture<Object> answer) {
    }

    private static Request sendAsCaller(Supplier<Object> send) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(
                    new CallerIdentity("default", "test:batch", Role.ADMIN), null));
            try {
                answer.complete(send.get());
            } catch (RuntimeException failure) {
                answer.completeExceptionally(failure);
            } finally {
                SecurityContextHolder.clearContext();
            }
        });
        thread.start();
        return new Request(thread, answer);
    }

    /** Until every request waits in the sender for a turn: with both groups at the gate, nowhere else. */
    private static void awaitWaitingForATurn(List<Request> requests) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (requests.stream().anyMatch(request -> request.thread().getState() != Thread.State.WAITING)) {
            assertThat(System.nanoTime()).as("the requests queued").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void awaitAttempts(String... keys) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Arrays.stream(keys).anyMatch(key -> TestOnlyBatchCommands.attempts(key) == 0)) {
            assertThat(System.nanoTime()).as("the blocking commands started").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}

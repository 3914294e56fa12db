package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.server.axon.CommandSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Sends a command on behalf of the caller and waits for its outcome. The caller becomes the {@code actor}
 * metadata, which Axon copies onto every event the command causes: the audit trail's "who". Every command is
 * counted and timed ({@code OperationMetrics}) by {@link CommandBatch}, which all REST commands pass through.
 *
 * <p>Commands that arrive while others are being sent are sent together, in one transaction ({@link CommandBatch}),
 * up to {@code ipv6.commands.max-group} at a time: under load one commit serves many requests, and a request that
 * arrives alone is sent at once, alone. At most {@code ipv6.commands.concurrent-groups} groups are under way at
 * once; the thread of a waiting request sends the next group, so no thread of our own is needed. Each request
 * still gets the answer it would have got alone: its own result, or the exception that refused it.
 *
 * <p>Commands sent with the same {@code together} function, by the same caller, can go further: those of one group
 * become one command ({@link CommandBatch#send(List, Function, Function)}), such as many allocations placed at
 * once, for a few statements instead of a few per command.
 */
@Component
public class CommandSender {

    private final CommandBatch batch;
    private final Caller caller;
    private final int maxGroup;
    private final int concurrentGroups;
    private final Queue<Waiting> waiting = new ArrayDeque<>();
    private int groupsUnderWay;

    CommandSender(CommandBatch batch, Caller caller, CommandSettings settings) {
        this.batch = batch;
        this.caller = caller;
        this.maxGroup = settings.maxGroup();
        this.concurrentGroups = settings.concurrentGroups();
    }

    private static final class Waiting {
        final CommandBatch.Command command;
        final Function<List<Object>, Object> together;
        /** Taken into a group: the request waits for that group, never leads one of its own for it. */
        boolean taken;
        CommandBatch.Sent sent;

        Waiting(CommandBatch.Command command, Function<List<Object>, Object> together) {
            this.command = command;
            this.together = together;
        }

        /** Which of a group's commands can go as one: those of one caller with the same {@code together}. */
        List<Object> key() {
            return List.of(command.tenant(), command.actor(), together);
        }
    }

    public <R> R send(Object command) {
        return send(command, null);
    }

    /**
     * As {@link #send(Object)}; commands of one group sent with the same {@code together} by the same caller are
     * made one command by it, whose handler answers each ({@link dev.ipv6lifecycle.api.ItemOutcome}).
     */
    @SuppressWarnings("unchecked")
    public <R> R send(Object command, Function<List<Object>, Object> together) {
        Waiting mine = new Waiting(new CommandBatch.Command(caller.tenantId(), caller.actor(), command), together);
        boolean interrupted = false;
        try {
            synchronized (waiting) {
                waiting.add(mine);
            }
            while (true) {
                List<Waiting> group = new ArrayList<>();
                synchronized (waiting) {
                    while (mine.sent == null && (mine.taken || groupsUnderWay == concurrentGroups)) {
                        interrupted |= awaitTurn();
                    }
                    if (mine.sent != null) {
                        if (mine.sent.failure() != null) {
                            throw mine.sent.failure();
                        }
                        return (R) mine.sent.result();
                    }
                    groupsUnderWay++;
                    while (group.size() < maxGroup && !waiting.isEmpty()) {
                        Waiting next = waiting.remove();
                        next.taken = true;
                        group.add(next);
                    }
                }
                sendTogether(group);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sendTogether(List<Waiting> group) {
        List<CommandBatch.Sent> sent = null;
        try {
            sent = send(group);
        } catch (RuntimeException failure) {
            // The transaction failed as a whole (its commit, after the retries a retry can fix): so did every command.
            sent = group.stream().map(waiting -> new CommandBatch.Sent(null, failure, 0)).toList();
        } finally {
            synchronized (waiting) {
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).sent = sent != null ? sent.get(i) : new CommandBatch.Sent(null,
                            new IllegalStateException("the group of commands this one was sent with failed"), 0);
                }
                groupsUnderWay--;
                waiting.notifyAll();
            }
        }
    }

    /** The group's outcomes, in order: those that can go as one command first, then the rest in one transaction. */
    private List<CommandBatch.Sent> send(List<Waiting> group) {
        Map<List<Object>, List<Integer>> combinable = new LinkedHashMap<>();
        List<Integer> alone = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            Waiting each = group.get(i);
            if (each.together != null) {
                combinable.computeIfAbsent(each.key(), key -> new ArrayList<>()).add(i);
            } else {
                alone.add(i);
            }
        }
        CommandBatch.Sent[] sent = new CommandBatch.Sent[group.size()];
        combinable.values().forEach(positions -> {
            if (positions.size() == 1) {
                alone.add(positions.get(0));
            } else {
                fill(sent, positions, batch.sendAsOne(commands(group, positions), group.get(positions.get(0)).together));
            }
        });
        if (!alone.isEmpty()) {
            fill(sent, alone, batch.send(commands(group, alone)));
        }
        return List.of(sent);
    }

    private static List<CommandBatch.Command> commands(List<Waiting> group, List<Integer> positions) {
        return positions.stream().map(position -> group.get(position).command).toList();
    }

    private static void fill(CommandBatch.Sent[] sent, List<Integer> positions, List<CommandBatch.Sent> outcomes) {
        for (int i = 0; i < positions.size(); i++) {
            sent[positions.get(i)] = outcomes.get(i);
        }
    }

    /**
     * Waits for a turn, through interrupts (reported, and kept for whoever asks next): a request that gave up here
     * would leave its command to be sent with no one to answer.
     */
    private boolean awaitTurn() {
        try {
            waiting.wait();
            return false;
        } catch (InterruptedException interrupted) {
            return true;
        }
    }
}

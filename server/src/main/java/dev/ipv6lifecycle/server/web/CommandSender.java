package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.audit.Actor;
import dev.ipv6lifecycle.server.metrics.OperationMetrics;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

/**
 * Sends a command on behalf of the caller and waits for its outcome. The caller becomes the {@code actor}
 * metadata, which Axon copies onto every event the command causes: the audit trail's "who". Every command
 * is counted and timed here ({@link OperationMetrics}), the one place all REST commands pass through.
 */
@Component
public class CommandSender {

    private final CommandGateway commands;
    private final Caller caller;
    private final OperationMetrics metrics;

    CommandSender(CommandGateway commands, Caller caller, OperationMetrics metrics) {
        this.commands = commands;
        this.caller = caller;
        this.metrics = metrics;
    }

    public <R> R send(Object command) {
        return metrics.record(caller.tenantId(), command, () -> commands.sendAndWait(
                GenericCommandMessage.asCommandMessage(command).andMetaData(Map.of(Actor.METADATA_KEY, caller.actor()))));
    }
}

package dev.ipv6lifecycle.server.web;

import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

/**
 * Sends a command on behalf of the caller and waits for its outcome. The caller becomes the {@code actor}
 * metadata, which Axon copies onto every event the command causes: the audit trail's "who".
 */
@Component
public class CommandSender {

    private final CommandGateway commands;
    private final Caller caller;

    CommandSender(CommandGateway commands, Caller caller) {
        this.commands = commands;
        this.caller = caller;
    }

    public <R> R send(Object command) {
        return commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(Map.of("actor", caller.actor())));
    }
}

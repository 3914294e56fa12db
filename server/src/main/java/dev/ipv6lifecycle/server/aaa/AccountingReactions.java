package dev.ipv6lifecycle.server.aaa;

import dev.ipv6lifecycle.api.audit.Actor;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.AccountingRecord;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Applied;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Session;
import dev.ipv6lifecycle.command.aaa.SessionHolders;
import dev.ipv6lifecycle.command.aaa.SessionHolders.Holder;
import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a stored accounting record means for the delegations, after its commit: a Start or Interim-Update that
 * reports the prefix of an ALLOCATED delegation activates it (the network has it), with the actor
 * {@code radius:<nas>} and the session as the delegation's NAS details; and the drift checks ({@link NetworkDrift}).
 * They run on threads of their own, after the answer: a Disconnect waits for its NAS, and FreeRADIUS's delivery
 * of the next record must not. Nothing here can fail the record; a failure is logged, and the next
 * Interim-Update tries again. When the backlog is full a record's reactions are skipped (logged) for the same
 * reason.
 */
@Component
class AccountingReactions {

    private static final Logger log = LoggerFactory.getLogger(AccountingReactions.class);

    private final SessionHolders holders;
    private final CommandGateway commands;
    private final NetworkDrift drift;
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(10_000), AccountingReactions::thread,
            (task, pool) -> log.warn("accounting reactions backlog full; a record's activation and drift checks are "
                    + "skipped (the next Interim-Update of its session brings them back)"));

    AccountingReactions(SessionHolders holders, CommandGateway commands, NetworkDrift drift) {
        this.holders = holders;
        this.commands = commands;
        this.drift = drift;
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }

    /** Queues the reactions to a stored record; returns at once. */
    void after(AccountingRecord record, Applied applied) {
        if (applied.session().isPresent() && applied.session().get().open()
                && applied.session().get().prefix() != null) {
            executor.execute(() -> react(record, applied));
        }
    }

    private void react(AccountingRecord record, Applied applied) {
        Optional<Session> session = applied.session();
        if (session.isEmpty() || !session.get().open() || session.get().prefix() == null) {
            return;
        }
        try {
            Session live = session.get();
            Optional<Holder> holder = holders.holderOf(record.tenantId(), live.prefix());
            if (holder.isPresent() && holder.get().state() == LifecycleState.ALLOCATED
                    && holder.get().holds(live.userName())) {
                activate(record, live, holder.get());
            }
            drift.check(live, holder);
        } catch (RuntimeException e) {
            log.warn("accounting record for session {} of NAS {} stored; acting on it failed", live(session),
                    record.nas(), e);
        }
    }

    private void activate(AccountingRecord record, Session live, Holder holder) {
        NasSession nas = live.nasIp() == null ? null
                : new NasSession(live.userName(), live.nasIp(), live.acctSessionId());
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new ActivatePrefixCommand(holder.delegationId(),
                        record.tenantId(), "reported by RADIUS accounting", nas))
                .andMetaData(Map.of(Actor.METADATA_KEY, actor(record.nas()))));
    }

    private static Thread thread(Runnable task) {
        Thread thread = new Thread(task, "accounting-reactions");
        thread.setDaemon(true);
        return thread;
    }

    /** {@code radius:<nas>}: the audit trail's "who" for what the network reported. */
    static String actor(String nas) {
        return "radius:" + nas;
    }

    private static Object live(Optional<Session> session) {
        return session.map(Session::acctSessionId).orElse(null);
    }
}

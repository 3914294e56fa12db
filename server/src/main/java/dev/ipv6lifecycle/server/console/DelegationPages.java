package dev.ipv6lifecycle.server.console;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.api.audit.Actor;
import dev.ipv6lifecycle.api.audit.Attribution;
import dev.ipv6lifecycle.api.audit.AttributionQuery;
import dev.ipv6lifecycle.api.delegation.DelegationNotFoundException;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.FindDelegationQuery;
import dev.ipv6lifecycle.api.delegation.ListDelegationsQuery;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.api.delegation.ResumePrefixCommand;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.delegation.SuspendPrefixCommand;
import dev.ipv6lifecycle.server.delegation.DelegationEventLog;
import dev.ipv6lifecycle.server.web.Caller;
import dev.ipv6lifecycle.server.web.CommandSender;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The search box, a delegation with its timeline, and the lifecycle actions. The queries and commands are
 * the ones the REST API sends, for the signed-in caller's tenant: another tenant's delegation is not found.
 */
@Controller
class DelegationPages {

    static final int MAX_REASON = 500;
    private static final int MAX_RESULTS = 100;

    private final QueryGateway queries;
    private final CommandSender commands;
    private final DelegationEventLog eventLog;
    private final Caller caller;

    DelegationPages(QueryGateway queries, CommandSender commands, DelegationEventLog eventLog, Caller caller) {
        this.queries = queries;
        this.commands = commands;
        this.eventLog = eventLog;
        this.caller = caller;
    }

    /** One line of the timeline. */
    record Moment(long sequence, String event, Instant at, String actor, String reason) {
    }

    /**
     * A prefix finds the delegations inside it (or equal to it), an address the delegation holding it now,
     * anything else is a subscriber id.
     */
    @GetMapping("/console/search")
    String search(@RequestParam(defaultValue = "") String q, Model model) {
        String text = TextInput.checked("the search", q);
        model.addAttribute("q", text);
        if (text.isEmpty()) {
            model.addAttribute("results", List.of());
            return "console/search";
        }
        List<?> found;
        if (text.contains("/")) {
            found = list(new ListDelegationsQuery(caller.tenantId(), null, null, null, Ipv6Prefix.parse(text), 0,
                    MAX_RESULTS));
        } else if (text.contains(":")) {
            Ipv6Prefix address = Ipv6Prefix.parse(text + "/128");
            found = queries.query(new AttributionQuery(caller.tenantId(), address, Instant.now()),
                            ResponseTypes.optionalInstanceOf(Attribution.class)).join()
                    .flatMap(holder -> find(holder.delegationId())).stream().toList();
        } else {
            if (text.length() > 128) {
                throw DomainRejection.invalid("a subscriber id has at most 128 characters");
            }
            found = list(new ListDelegationsQuery(caller.tenantId(), text, null, null, null, 0, MAX_RESULTS));
        }
        if (found.size() == 1) {
            return "redirect:/console/delegations/" + ((DelegationView) found.get(0)).id();
        }
        model.addAttribute("results", found);
        return "console/search";
    }

    @GetMapping("/console/delegations/{id}")
    String delegation(@PathVariable UUID id, Model model) {
        List<? extends DomainEventMessage<?>> events = eventLog.events(caller.tenantId(), id);
        // From the event store, as the API's commands answer: right after an action it shows its outcome.
        DelegationView delegation = eventLog.current(caller.tenantId(), id)
                .orElseThrow(() -> new DelegationNotFoundException(id));
        model.addAttribute("delegation", delegation);
        model.addAttribute("timeline", events.stream().map(event -> new Moment(event.getSequenceNumber(),
                event.getPayloadType().getSimpleName().replaceFirst("Event$", ""), event.getTimestamp(),
                (String) event.getMetaData().get(Actor.METADATA_KEY),
                component(event.getPayload(), "reason", String.class).orElse(null))).toList());
        // The NAS session on record: the latest event that names one.
        model.addAttribute("nas", events.stream()
                .map(event -> component(event.getPayload(), "nas", NasSession.class).orElse(null))
                .filter(nas -> nas != null).reduce((earlier, later) -> later).orElse(null));
        model.addAttribute("idempotencyKey", UUID.randomUUID());
        return "console/delegation";
    }

    @PostMapping("/console/delegations/{id}/{action:suspend|resume|revoke}")
    String act(@PathVariable UUID id, @PathVariable String action, @RequestParam String reason) {
        String why = TextInput.checked("the reason", reason);
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw DomainRejection.invalid("give a reason of 1 to " + MAX_REASON + " characters");
        }
        String tenantId = caller.tenantId();
        commands.send(switch (action) {
            case "suspend" -> new SuspendPrefixCommand(id, tenantId, why, null);
            case "resume" -> new ResumePrefixCommand(id, tenantId, why, null);
            default -> new RevokePrefixCommand(id, tenantId, why, null);
        });
        return "redirect:/console/delegations/" + id;
    }

    private List<?> list(ListDelegationsQuery query) {
        return queries.query(query, ResponseTypes.instanceOf(Page.class)).join().content();
    }

    private Optional<DelegationView> find(UUID id) {
        return queries.query(new FindDelegationQuery(caller.tenantId(), id),
                ResponseTypes.optionalInstanceOf(DelegationView.class)).join();
    }

    /** Events are records; many carry a reason, some the NAS session. */
    private static <T> Optional<T> component(Object payload, String name, Class<T> type) {
        if (payload == null || !payload.getClass().isRecord()) {
            return Optional.empty();
        }
        for (RecordComponent component : payload.getClass().getRecordComponents()) {
            if (component.getName().equals(name) && type.isAssignableFrom(component.getType())) {
                try {
                    return Optional.ofNullable(type.cast(component.getAccessor().invoke(payload)));
                } catch (ReflectiveOperationException notAccessible) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}

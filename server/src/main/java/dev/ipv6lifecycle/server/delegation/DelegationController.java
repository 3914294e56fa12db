package dev.ipv6lifecycle.server.delegation;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.api.audit.Actor;
import dev.ipv6lifecycle.api.delegation.ActivatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixCommand;
import dev.ipv6lifecycle.api.delegation.AllocatePrefixesCommand;
import dev.ipv6lifecycle.api.delegation.AllocationResult;
import dev.ipv6lifecycle.api.delegation.CompleteRevocationCommand;
import dev.ipv6lifecycle.api.delegation.DelegationNotFoundException;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import dev.ipv6lifecycle.api.delegation.FindDelegationQuery;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.ListDelegationsQuery;
import dev.ipv6lifecycle.api.delegation.ResumePrefixCommand;
import dev.ipv6lifecycle.api.delegation.RevokePrefixCommand;
import dev.ipv6lifecycle.api.delegation.SetRadiusUserNameCommand;
import dev.ipv6lifecycle.api.delegation.SubscriberStatus;
import dev.ipv6lifecycle.api.delegation.SubscriberStatusQuery;
import dev.ipv6lifecycle.api.delegation.SuspendPrefixCommand;
import dev.ipv6lifecycle.api.delegation.DelegationCommandGroup;
import dev.ipv6lifecycle.server.web.Caller;
import dev.ipv6lifecycle.server.web.CommandBatch;
import dev.ipv6lifecycle.server.web.CommandSender;
import dev.ipv6lifecycle.server.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/v1")
@Tag(name = "Delegations", description = "Delegated prefixes and their lifecycle")
class DelegationController {

    private static final String AUTHORITATIVE = " Answers with the delegation as the command left it: committed "
            + "and current, never behind.";
    private static final String EVENTUAL = " Read from the read side, which follows the event store by "
            + "milliseconds: a delegation created an instant ago may not be listed yet.";

    /** One function for every allocation, so that the sender can tell which commands go together. */
    private static final Function<List<Object>, Object> ALLOCATIONS_TOGETHER = DelegationController::together;
    /** Likewise for every transition: those that arrive together are handled as one command. */
    private static final Function<List<Object>, Object> TRANSITIONS_TOGETHER = DelegationCommandGroup::of;

    private final CommandSender commands;
    private final QueryGateway queries;
    private final DelegationEventLog eventLog;
    private final Caller caller;
    private final ActivationWait activation;
    private final CommandBatch batch;

    DelegationController(CommandSender commands, QueryGateway queries, DelegationEventLog eventLog, Caller caller,
                         ActivationWait activation, CommandBatch batch) {
        this.commands = commands;
        this.batch = batch;
        this.queries = queries;
        this.eventLog = eventLog;
        this.caller = caller;
        this.activation = activation;
    }

    @PostMapping("/delegations")
    @Operation(summary = "Allocate a prefix to a subscriber", description = "Creates a delegation in ALLOCATED. "
            + "The prefix never overlaps another held prefix of the tenant. With activate=true the activation saga "
            + "records the prefix in the IPAM and pushes it to the NAS, then activates it; the answer waits for that "
            + "up to ipv6.api.activation-wait (2 s): ACTIVE when done, FAILED when a peer refused, ALLOCATED while "
            + "the network is still being retried (activation goes on; GET the delegation later)." + AUTHORITATIVE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
            @ExampleObject(name = "next free /56 of the default pool", value = "{\"subscriberId\": \"sub-000123\"}"),
            @ExampleObject(name = "from a pool, with activation and NAS session", value = """
                    {"subscriberId": "sub-000123", "poolId": "3f2b8c1e-6a4d-4e8b-9c1a-2d7e5f8a9b01", "prefixLength": 56,
                     "activate": true, "nas": {"username": "alice@isp.example", "nasIp": "192.0.2.10", "sessionId": "5A3F0001"}}"""),
            @ExampleObject(name = "a static assignment", value = """
                    {"subscriberId": "sub-000124", "prefix": "2001:db8:12:3400::/56"}""")}))
    ResponseEntity<DelegationView> allocate(@Valid @RequestBody AllocateRequest request) {
        AllocatePrefixCommand command = allocation(request);
        AllocationResult allocated = commands.send(command, ALLOCATIONS_TOGETHER);
        DelegationView delegation = command.activate()
                ? activation.await(caller.tenantId(), command.delegationId())
                : allocated.delegation();
        return ResponseEntity.created(URI.create("/api/v1/delegations/" + allocated.delegationId())).body(delegation);
    }

    @PostMapping("/delegations/bulk")
    @Operation(summary = "Allocate many prefixes at once", description = "Up to 1,000 allocations, each with the "
            + "fields of POST /api/v1/delegations (explicit prefixes included, for imports), in one transaction: "
            + "the answer (200) comes once all of it is stored. Each item is answered on its own, in order: status "
            + "201 with its delegation, or the status and problem a single allocation would have got; one item that "
            + "cannot be placed does not fail the others. Activation, when asked for, goes on after the answer. "
            + "An Idempotency-Key covers the whole batch." + AUTHORITATIVE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(
            name = "two subscribers and an import", value = """
                    {"items": [{"subscriberId": "sub-000123"}, {"subscriberId": "sub-000124", "prefixLength": 48},
                               {"subscriberId": "sub-000125", "prefix": "2001:db8:12:3400::/56"}]}""")))
    BulkAllocateResponse allocateAll(@Valid @RequestBody BulkAllocateRequest request) {
        List<CommandBatch.Outcome<AllocationResult>> outcomes = batch.send(request.items(), this::allocation, ALLOCATIONS_TOGETHER);
        List<BulkAllocateResponse.Item> items = new ArrayList<>(outcomes.size());
        for (int index = 0; index < outcomes.size(); index++) {
            CommandBatch.Outcome<AllocationResult> outcome = outcomes.get(index);
            items.add(outcome.problem() == null
                    ? new BulkAllocateResponse.Item(index, 201, outcome.result().delegation(), null)
                    : new BulkAllocateResponse.Item(index, outcome.problem().getStatus(), null, outcome.problem()));
        }
        return BulkAllocateResponse.of(items);
    }

    /** Allocations of one caller placed at once: a bulk request, or single requests that arrived together. */
    private static AllocatePrefixesCommand together(List<Object> allocations) {
        List<AllocatePrefixCommand> all = allocations.stream().map(AllocatePrefixCommand.class::cast).toList();
        return new AllocatePrefixesCommand(all.get(0).tenantId(), all);
    }

    private AllocatePrefixCommand allocation(AllocateRequest request) {
        return new AllocatePrefixCommand(UUID.randomUUID(), caller.tenantId(), request.subscriberId(),
                request.poolId(), request.prefixLength(), request.prefix(), Boolean.TRUE.equals(request.activate()),
                NasRequest.toSession(request.nas()), request.radiusUserName());
    }

    @GetMapping("/delegations")
    @Operation(summary = "List delegations", description = "Newest first; every filter is optional; `prefix` "
            + "matches delegations inside or equal to it." + EVENTUAL)
    Page<DelegationView> list(@RequestParam(required = false) @Size(max = 128) String subscriberId,
                              @RequestParam(required = false) UUID poolId,
                              @RequestParam(required = false) LifecycleState state,
                              @RequestParam(required = false) Ipv6Prefix prefix,
                              @RequestParam(defaultValue = "0") @Min(0) @Max(Paging.MAX_PAGE) int page,
                              @RequestParam(defaultValue = "50") @Min(1) @Max(Paging.MAX_SIZE) int size) {
        return queries.query(new ListDelegationsQuery(caller.tenantId(), subscriberId, poolId, state, prefix, page, size),
                ResponseTypes.instanceOf(Page.class)).join();
    }

    @GetMapping("/delegations/{id}")
    @Operation(summary = "One delegation", description = EVENTUAL)
    DelegationView get(@PathVariable UUID id) {
        return queries.query(new FindDelegationQuery(caller.tenantId(), id),
                        ResponseTypes.optionalInstanceOf(DelegationView.class)).join()
                .orElseThrow(() -> new DelegationNotFoundException(id));
    }

    @PostMapping("/delegations/{id}/activate")
    @Operation(summary = "Activate", description = "ALLOCATED to ACTIVE; repeating it changes nothing." + AUTHORITATIVE)
    DelegationView activate(@PathVariable UUID id, @Valid @RequestBody(required = false) TransitionRequest body) {
        return transition(body, r -> new ActivatePrefixCommand(id, caller.tenantId(), r.reason(),
                NasRequest.toSession(r.nas())));
    }

    @PostMapping("/delegations/{id}/suspend")
    @Operation(summary = "Suspend", description = "ACTIVE to SUSPENDED; the prefix stays reserved." + AUTHORITATIVE)
    DelegationView suspend(@PathVariable UUID id, @Valid @RequestBody(required = false) TransitionRequest body) {
        return transition(body, r -> new SuspendPrefixCommand(id, caller.tenantId(), r.reason(),
                NasRequest.toSession(r.nas())));
    }

    @PostMapping("/delegations/{id}/resume")
    @Operation(summary = "Resume", description = "SUSPENDED to ACTIVE." + AUTHORITATIVE)
    DelegationView resume(@PathVariable UUID id, @Valid @RequestBody(required = false) TransitionRequest body) {
        return transition(body, r -> new ResumePrefixCommand(id, caller.tenantId(), r.reason(),
                NasRequest.toSession(r.nas())));
    }

    @PostMapping("/delegations/{id}/revoke")
    @Operation(summary = "Revoke", description = "Starts withdrawing the prefix (REVOKING); it is REVOKED, and "
            + "quarantined, once the network and the IPAM let go." + AUTHORITATIVE)
    DelegationView revoke(@PathVariable UUID id, @Valid @RequestBody(required = false) TransitionRequest body) {
        return transition(body, r -> new RevokePrefixCommand(id, caller.tenantId(), r.reason(),
                NasRequest.toSession(r.nas())));
    }

    @PostMapping("/delegations/{id}/complete-revocation")
    @Operation(summary = "Complete a revocation by hand", description = "REVOKING to REVOKED without waiting for "
            + "the network: for a revocation stuck on a NAS or IPAM that will not answer. The prefix goes to "
            + "quarantine; an IPAM record left behind is released by the next sweep." + AUTHORITATIVE)
    DelegationView completeRevocation(@PathVariable UUID id,
                                      @Valid @RequestBody(required = false) TransitionRequest body) {
        return transition(body, r -> new CompleteRevocationCommand(id, caller.tenantId(),
                r.reason() == null ? "completed by an operator" : "completed by an operator: " + r.reason()));
    }

    @PostMapping("/delegations/{id}/radius-user-name")
    @Operation(summary = "Set the RADIUS user name", description = "From now on, Access-Requests with this "
            + "User-Name receive the delegation's prefix through the AAA endpoint (radius/README.md). For a "
            + "delegation allocated before the subscriber's RADIUS identity was known." + AUTHORITATIVE)
    DelegationView setRadiusUserName(@PathVariable UUID id, @Valid @RequestBody RadiusUserNameRequest body) {
        return commands.send(new SetRadiusUserNameCommand(id, caller.tenantId(), body.radiusUserName()));
    }

    @GetMapping("/delegations/{id}/history")
    @Operation(summary = "The delegation's history", description = "Every event of the delegation, from the "
            + "event store: what happened, when, and who caused it.")
    List<HistoryEntry> history(@PathVariable UUID id) {
        List<? extends DomainEventMessage<?>> events = eventLog.events(caller.tenantId(), id);
        if (events.isEmpty()) {
            throw new DelegationNotFoundException(id);
        }
        return events.stream().map(event -> new HistoryEntry(event.getSequenceNumber(),
                event.getPayloadType().getSimpleName().replaceFirst("Event$", ""), event.getTimestamp(),
                (String) event.getMetaData().get(Actor.METADATA_KEY), event.getPayload())).toList();
    }

    @GetMapping("/subscribers/{subscriberId}/ipv6")
    @Operation(summary = "A subscriber's IPv6 status", description = "PENDING when it holds no live delegation."
            + EVENTUAL)
    SubscriberStatus subscriber(@PathVariable @Size(max = 128) String subscriberId) {
        return queries.query(new SubscriberStatusQuery(caller.tenantId(), subscriberId),
                ResponseTypes.instanceOf(SubscriberStatus.class)).join();
    }

    /**
     * The aggregate answers with its state after the command, so nothing is read back from the event store.
     * Transitions of one caller that arrive together go as one {@link DelegationCommandGroup}.
     */
    private DelegationView transition(TransitionRequest body, Function<TransitionRequest, Object> command) {
        return commands.send(command.apply(Optional.ofNullable(body).orElse(TransitionRequest.NONE)),
                TRANSITIONS_TOGETHER);
    }
}

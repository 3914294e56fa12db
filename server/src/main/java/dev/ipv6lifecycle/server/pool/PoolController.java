package dev.ipv6lifecycle.server.pool;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.api.pool.CreatePoolCommand;
import dev.ipv6lifecycle.api.pool.DrainPoolCommand;
import dev.ipv6lifecycle.api.pool.FindPoolQuery;
import dev.ipv6lifecycle.api.pool.LengthCapacity;
import dev.ipv6lifecycle.api.pool.ListPoolsQuery;
import dev.ipv6lifecycle.api.pool.PoolCreatedEvent;
import dev.ipv6lifecycle.api.pool.PoolDrainedEvent;
import dev.ipv6lifecycle.api.pool.PoolRetiredEvent;
import dev.ipv6lifecycle.api.pool.PoolState;
import dev.ipv6lifecycle.api.pool.PoolUndrainedEvent;
import dev.ipv6lifecycle.api.pool.PoolView;
import dev.ipv6lifecycle.api.pool.RetirePoolCommand;
import dev.ipv6lifecycle.api.pool.UndrainPoolCommand;
import dev.ipv6lifecycle.server.web.Caller;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
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
@RequestMapping("/api/v1/pools")
@Tag(name = "Pools", description = "Pools of IPv6 space and their capacity")
class PoolController {

    private final CommandSender commands;
    private final QueryGateway queries;
    private final EventStore eventStore;
    private final Caller caller;

    PoolController(CommandSender commands, QueryGateway queries, EventStore eventStore, Caller caller) {
        this.commands = commands;
        this.queries = queries;
        this.eventStore = eventStore;
        this.caller = caller;
    }

    @PostMapping
    @Operation(summary = "Create a pool", description = "Pools of one tenant never overlap. Answers with the new, "
            + "empty pool.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"name": "residential-north", "prefix": "2001:db8::/32", "delegatedLengths": [48, 56, 64],
             "defaultLength": 56, "quarantine": "P1D", "staleAfter": "PT24H"}""")))
    ResponseEntity<PoolView> create(@Valid @RequestBody CreatePoolRequest request) {
        UUID id = UUID.randomUUID();
        commands.send(new CreatePoolCommand(id, caller.tenantId(), request.name(), request.prefix(),
                request.delegatedLengths(), request.defaultLength(), request.quarantine(), request.staleAfter(),
                request.allocateOnFirstSight()));
        return ResponseEntity.created(URI.create("/api/v1/pools/" + id)).body(authoritative(id));
    }

    @GetMapping
    @Operation(summary = "List pools", description = "Oldest first, with capacity per length. Read from the "
            + "read side, which follows the event store by milliseconds.")
    Page<PoolView> list(@RequestParam(defaultValue = "0") @Min(0) @Max(Paging.MAX_PAGE) int page,
                        @RequestParam(defaultValue = "50") @Min(1) @Max(Paging.MAX_SIZE) int size) {
        return queries.query(new ListPoolsQuery(caller.tenantId(), page, size), ResponseTypes.instanceOf(Page.class)).join();
    }

    @GetMapping("/{poolId}")
    @Operation(summary = "One pool", description = "With capacity per length: total, allocated, quarantined and "
            + "exactly how many more fit. Read from the read side.")
    PoolView get(@PathVariable UUID poolId) {
        return query(poolId).orElseThrow(() -> DomainRejection.notFound("no pool " + poolId));
    }

    @PostMapping("/{poolId}/drain")
    @Operation(summary = "Drain", description = "No new allocations; what the pool holds stays. Idempotent.")
    PoolView drain(@PathVariable UUID poolId, @Valid @RequestBody(required = false) PoolActionRequest body) {
        return act(poolId, body, (id, reason) -> new DrainPoolCommand(id, caller.tenantId(), reason));
    }

    @PostMapping("/{poolId}/undrain")
    @Operation(summary = "Undrain", description = "Serve allocations again. Idempotent.")
    PoolView undrain(@PathVariable UUID poolId, @Valid @RequestBody(required = false) PoolActionRequest body) {
        return act(poolId, body, (id, reason) -> new UndrainPoolCommand(id, caller.tenantId(), reason));
    }

    @PostMapping("/{poolId}/retire")
    @Operation(summary = "Retire", description = "Close an empty pool for good; refused (409) while it holds any "
            + "live or quarantined prefix.")
    PoolView retire(@PathVariable UUID poolId, @Valid @RequestBody(required = false) PoolActionRequest body) {
        return act(poolId, body, (id, reason) -> new RetirePoolCommand(id, caller.tenantId(), reason));
    }

    private PoolView act(UUID poolId, PoolActionRequest body, BiFunction<UUID, String, Object> command) {
        commands.send(command.apply(poolId, body == null ? null : body.reason()));
        return authoritative(poolId);
    }

    /**
     * The pool's parameters and state from its events (authoritative). Capacity comes from the read side,
     * which pool commands do not change; a pool the read side has not seen yet is new, hence empty.
     */
    private PoolView authoritative(UUID poolId) {
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(poolId.toString()).asStream().toList();
        if (events.isEmpty() || !(events.get(0).getPayload() instanceof PoolCreatedEvent created)
                || !created.tenantId().equals(caller.tenantId())) {
            throw DomainRejection.notFound("no pool " + poolId);
        }
        PoolState state = PoolState.ACTIVE;
        for (DomainEventMessage<?> event : events) {
            Object payload = event.getPayload();
            if (payload instanceof PoolDrainedEvent) {
                state = PoolState.DRAINING;
            } else if (payload instanceof PoolUndrainedEvent) {
                state = PoolState.ACTIVE;
            } else if (payload instanceof PoolRetiredEvent) {
                state = PoolState.RETIRED;
            }
        }
        PoolView read = query(poolId).orElseGet(() -> empty(created));
        return new PoolView(poolId, created.name(), created.prefix(), created.delegatedLengths(), created.defaultLength(),
                created.quarantine(), created.staleAfter(), state, read.capacity(), read.utilizationPercent(),
                read.largestFreeBlock());
    }

    private static PoolView empty(PoolCreatedEvent created) {
        Map<Integer, LengthCapacity> capacity = new TreeMap<>();
        created.delegatedLengths().forEach(length -> capacity.put(length, new LengthCapacity(
                created.prefix().count(length), 0, 0, created.prefix().count(length))));
        return new PoolView(created.poolId(), created.name(), created.prefix(), created.delegatedLengths(),
                created.defaultLength(), created.quarantine(), created.staleAfter(), PoolState.ACTIVE, capacity, 0.0,
                created.prefix().length());
    }

    private Optional<PoolView> query(UUID poolId) {
        return queries.query(new FindPoolQuery(caller.tenantId(), poolId), ResponseTypes.optionalInstanceOf(PoolView.class))
                .join();
    }

    /** Optional body of the pool actions. */
    record PoolActionRequest(@Size(max = 500) String reason) {
    }
}

package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import io.swagger.v3.oas.annotations.Hidden;
import dev.ipv6lifecycle.api.delegation.AllocationRaceException;
import dev.ipv6lifecycle.api.delegation.DelegationNotFoundException;
import dev.ipv6lifecycle.api.delegation.LifecycleCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleState;
import dev.ipv6lifecycle.api.delegation.LifecycleTransitionRejectedException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that exist only in tests, under {@code /api/v1/test-only}: they fail in every way the real
 * controllers can, and count how often they ran, so the error mapping and the Idempotency-Key filter can be
 * tested over real HTTP without depending on the real controllers. Hidden from the OpenAPI document, which
 * other tests read.
 */
@Hidden
@RestController
@RequestMapping("/api/v1/test-only")
class TestOnlyController {

    static final UUID DELEGATION = UUID.fromString("0b5d3c1e-4f6a-4b7c-8d9e-0f1a2b3c4d5e");

    /** How often each thing (by name) reached a handler. */
    private static final Map<String, AtomicInteger> INVOCATIONS = new ConcurrentHashMap<>();

    /** Requests named here wait in the handler until the test lets them go. */
    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    private final Validator validator;

    TestOnlyController(Validator validator) {
        this.validator = validator;
    }

    static int invocations(String name) {
        AtomicInteger count = INVOCATIONS.get(name);
        return count == null ? 0 : count.get();
    }

    static Gate gate(String name) {
        return GATES.computeIfAbsent(name, ignored -> new Gate(new CountDownLatch(1), new CountDownLatch(1)));
    }

    // ---------------------------------------------------------------- problems

    @PostMapping("/problems/rejection/{kind}")
    void rejection(@PathVariable String kind) {
        switch (kind) {
            case "invalid" -> throw DomainRejection.invalid("prefixLength 40 is not one of the pool's "
                    + "delegated lengths [48, 56]");
            case "not-found" -> throw new DelegationNotFoundException(DELEGATION);
            case "exhausted" -> throw DomainRejection.conflict("pool residential has no free /56 left");
            default -> throw new IllegalArgumentException(kind);
        }
    }

    @PostMapping("/problems/transition")
    void transition() {
        throw new LifecycleTransitionRejectedException(DELEGATION, LifecycleCommand.SUSPEND, LifecycleState.ALLOCATED,
                List.of(LifecycleCommand.ACTIVATE, LifecycleCommand.REVOKE, LifecycleCommand.FAIL));
    }

    @PostMapping("/problems/unknown-aggregate")
    void unknownAggregate() {
        throw new AggregateNotFoundException(DELEGATION.toString(), "The aggregate was not found in the event store");
    }

    @PostMapping("/problems/duplicate-aggregate")
    void duplicateAggregate() {
        throw new AggregateStreamCreationException("Cannot reuse aggregate identifier [" + DELEGATION
                + "] to create aggregate [Delegation] since identifier already exists in the event store");
    }

    @PostMapping("/problems/allocation-race")
    void allocationRace() {
        throw new AllocationRaceException("2001:db8:12:3400::/56 was taken by a concurrent allocation");
    }

    @PostMapping("/problems/concurrent-change")
    void concurrentChange() {
        throw new ConcurrencyException("An event for aggregate [" + DELEGATION + "] at sequence [3] was already "
                + "inserted");
    }

    @PostMapping("/problems/invalid-prefix")
    void invalidPrefix() {
        Ipv6Prefix.parse("2001:db8::1/48");
    }

    @PostMapping("/problems/constraint-violation")
    void constraintViolation() {
        var violations = validator.validate(new Probe(" ", null, List.of(48, 99), null, null, null, null));
        throw new ConstraintViolationException(violations);
    }

    @PostMapping("/problems/unexpected")
    void unexpected() {
        throw new IllegalStateException("connection to jdbc:postgresql://10.0.0.5/ipv6 refused for user secret");
    }

    @PostMapping("/problems/wrapped")
    void wrapped() {
        throw new CompletionException(new DelegationNotFoundException(DELEGATION));
    }

    @PostMapping("/problems/future-rejection")
    CompletableFuture<Void> futureRejection() {
        return CompletableFuture.supplyAsync(() -> {
            throw new LifecycleTransitionRejectedException(DELEGATION, LifecycleCommand.ACTIVATE,
                    LifecycleState.REVOKED, List.of(LifecycleCommand.REVOKE));
        });
    }

    @PostMapping("/problems/send-error")
    void sendError(HttpServletResponse response) throws IOException {
        // A status with no problem type of its own (403 has one since authorisation exists).
        response.sendError(HttpStatus.GONE.value(), "tomcat internals");
    }

    @PostMapping("/problems/body")
    Probe body(@Valid @RequestBody Probe probe) {
        return probe;
    }

    @PostMapping("/problems/body/{copies}")
    Probe bodyAndParameter(@PathVariable @Min(1) @Max(3) int copies, @Valid @RequestBody Probe probe) {
        return probe;
    }

    @GetMapping("/problems/params/{id}")
    Map<String, Object> params(@PathVariable UUID id, @RequestParam LifecycleState state, @RequestParam Instant at,
                               @RequestParam(required = false) Ipv6Prefix prefix,
                               @RequestParam(name = "page-size", defaultValue = "50") @Min(1) @Max(500) int size) {
        return Map.of("id", id, "state", state, "at", at, "size", size);
    }

    @GetMapping("/problems/time")
    Timed time() {
        return new Timed(Instant.parse("2026-03-14T10:00:00Z"), Duration.ofDays(30));
    }

    record Probe(@NotBlank String name, @NotNull Ipv6Prefix prefix,
                 @NotEmpty List<@Min(48) @Max(64) Integer> delegatedLengths,
                 UUID poolId, LifecycleState state, Instant at, @Valid Nas nas) {
    }

    record Nas(@NotBlank String username, Ipv6Prefix framedPrefix) {
    }

    record Timed(Instant at, Duration quarantine) {
    }

    // ---------------------------------------------------------------- idempotency

    @PostMapping("/idempotency/things")
    ResponseEntity<Thing> create(@Valid @RequestBody Thing thing) {
        int invocation = INVOCATIONS.computeIfAbsent(thing.name(), ignored -> new AtomicInteger()).incrementAndGet();
        Gate gate = GATES.get(thing.name());
        if (gate != null) {
            gate.entered().countDown();
            await(gate.release());
        }
        if (thing.note() != null && thing.note().startsWith("fail-first") && invocation == 1) {
            throw new IllegalStateException("the first attempt fails");
        }
        if (thing.note() != null && thing.note().startsWith("conflict")) {
            throw DomainRejection.conflict("pool residential has no free /56 left");
        }
        return ResponseEntity.created(URI.create("/api/v1/test-only/idempotency/things/" + thing.name()))
                .body(new Thing(thing.name(), "invocation " + invocation));
    }

    @PostMapping("/idempotency/async-things")
    CompletableFuture<ResponseEntity<Thing>> createLater(@Valid @RequestBody Thing thing) {
        return CompletableFuture.supplyAsync(() -> create(thing));
    }

    @PostMapping("/idempotency/send-error")
    void sendErrorCounting(@RequestBody Thing thing, HttpServletResponse response) throws IOException {
        INVOCATIONS.computeIfAbsent(thing.name(), ignored -> new AtomicInteger()).incrementAndGet();
        response.sendError(HttpStatus.GONE.value());
    }

    record Thing(@NotBlank String name, String note) {
    }

    /** Holds a request inside the handler: {@code entered} opens when it arrives, {@code release} lets it go. */
    record Gate(CountDownLatch entered, CountDownLatch release) {
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the request");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}

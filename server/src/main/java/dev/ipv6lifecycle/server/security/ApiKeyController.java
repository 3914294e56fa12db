package dev.ipv6lifecycle.server.security;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.server.web.Caller;
import dev.ipv6lifecycle.server.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * API keys for machine clients (admin only, by {@link SecurityConfiguration}). An admin manages the keys of
 * its own tenant; an admin of tenant {@code default}, the installation's operator, those of every tenant.
 * Another tenant's key answers 404, exactly as an unknown one.
 */
@RestController
@Validated
@RequestMapping("/api/v1/admin/api-keys")
@Tag(name = "Administration", description = "Read-model rebuilds and API keys")
class ApiKeyController {

    private final ApiKeys keys;
    private final Caller caller;

    ApiKeyController(ApiKeys keys, Caller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @PostMapping
    @Operation(summary = "Create an API key", description = "Answers with the key itself: the only time it is "
            + "shown; the service keeps only its hash. Keys of another tenant: only for admins of tenant default.")
    ResponseEntity<CreatedApiKey> create(@Valid @RequestBody ApiKeyRequest request) {
        CallerIdentity me = caller.identity();
        String tenant = request.tenant() != null ? request.tenant() : me.tenantId();
        if (!tenant.equals(me.tenantId()) && !me.isInstallationAdmin()) {
            throw new AccessDeniedException("only admins of tenant default create keys of other tenants");
        }
        ApiKeys.CreatedKey created = keys.create(tenant, Role.fromWireName(request.role()).orElseThrow(),
                request.name().strip(), me.actor());
        return ResponseEntity.created(URI.create("/api/v1/admin/api-keys/" + created.stored().id()))
                .body(new CreatedApiKey(ApiKeyView.of(created.stored()), created.key()));
    }

    @GetMapping
    @Operation(summary = "List API keys", description = "Oldest first, revoked ones included, never the keys.")
    Page<ApiKeyView> list(@RequestParam(defaultValue = "0") @Min(0) @Max(Paging.MAX_PAGE) int page,
                          @RequestParam(defaultValue = "50") @Min(1) @Max(Paging.MAX_SIZE) int size) {
        String scope = scope();
        return new Page<>(keys.list(scope, page, size).stream().map(ApiKeyView::of).toList(), page, size,
                keys.count(scope));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an API key", description = "At once: the next request with it is refused (401). "
            + "Revoking a revoked key changes nothing.")
    void revoke(@PathVariable UUID id) {
        ApiKeys.StoredKey key = keys.find(id, scope())
                .orElseThrow(() -> DomainRejection.unknown(id));
        keys.revoke(key.id(), caller.actor());
    }

    // The tenant whose keys the caller manages; null: every tenant.
    private String scope() {
        CallerIdentity me = caller.identity();
        return me.isInstallationAdmin() ? null : me.tenantId();
    }

    /** Body of {@code POST /api/v1/admin/api-keys}. */
    record ApiKeyRequest(
            @Schema(example = "acme", description = "Omitted: the caller's tenant")
            @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be 1 to 63 characters of a-z, 0-9 and -, "
                    + "starting with a letter or digit") String tenant,
            @Schema(example = "operator", allowableValues = {"viewer", "operator", "admin", "aaa"})
            @NotNull @Pattern(regexp = "viewer|operator|admin|aaa", message = "must be viewer, operator, admin or aaa")
            String role,
            @Schema(example = "billing system") @NotBlank @Size(max = 100) String name) {
    }

    /** A key as listed: never the key itself. */
    record ApiKeyView(UUID id, String tenant, String role, String name, Instant createdAt, String createdBy,
                      Instant revokedAt) {

        static ApiKeyView of(ApiKeys.StoredKey key) {
            return new ApiKeyView(key.id(), key.tenantId(), key.role().wireName(), key.name(), key.createdAt(),
                    key.createdBy(), key.revokedAt());
        }
    }

    /** The answer to a creation: the key, shown this once. */
    record CreatedApiKey(UUID id, String tenant, String role, String name, Instant createdAt, String key) {

        CreatedApiKey(ApiKeyView view, String key) {
            this(view.id(), view.tenant(), view.role(), view.name(), view.createdAt(), key);
        }
    }
}

package dev.ipv6lifecycle.server.quota;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.command.quota.TenantQuotas;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tenant quotas: the most prefixes a tenant may hold, live or in quarantine, in total and per length. Only
 * admins of tenant {@code default} set and read them ({@code SecurityConfiguration}); PostgreSQL enforces
 * them in every allocation's transaction (migration V15).
 */
@RestController
@Validated
@RequestMapping("/api/v1/admin/quotas")
@Tag(name = "Administration", description = "Read-model rebuilds and API keys")
class QuotaController {

    private static final String TENANT = "[a-z0-9][a-z0-9-]{0,62}";

    private final TenantQuotas quotas;

    QuotaController(TenantQuotas quotas) {
        this.quotas = quotas;
    }

    @GetMapping
    @Operation(summary = "Every tenant's quotas", description = "With their use: prefixes held, live or in quarantine.")
    List<TenantQuotaView> list() {
        Map<String, List<TenantQuotas.Quota>> byTenant = new TreeMap<>();
        quotas.all().forEach(quota -> byTenant.computeIfAbsent(quota.tenantId(), key -> new ArrayList<>())
                .add(quota));
        return byTenant.entrySet().stream().map(entry -> TenantQuotaView.of(entry.getKey(), entry.getValue())).toList();
    }

    @GetMapping("/{tenant}")
    @Operation(summary = "A tenant's quotas", description = "With their use; a tenant without quotas answers "
            + "total null and no lengths.")
    TenantQuotaView get(@PathVariable @Pattern(regexp = TENANT) String tenant) {
        return TenantQuotaView.of(tenant, quotas.of(tenant));
    }

    @PutMapping("/{tenant}")
    @Operation(summary = "Set a tenant's quotas", description = "Replaces them all: a quota left out is removed. "
            + "A limit below the current use refuses the next allocations and keeps what is held.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"total": 100000, "perLength": {"48": 100}}""")))
    TenantQuotaView put(@PathVariable @Pattern(regexp = TENANT) String tenant, @Valid @RequestBody QuotaRequest request) {
        Map<Integer, Long> perLength = request.perLength() == null ? Map.of() : request.perLength();
        perLength.forEach((length, limit) -> {
            if (length == null || length < 48 || length > 64) {
                throw DomainRejection.invalid("perLength: a length must be 48 to 64, not " + length);
            }
            if (limit == null || limit < 0) {
                throw DomainRejection.invalid("perLength: the limit of /" + length + " must be 0 or more");
            }
        });
        return TenantQuotaView.of(tenant, quotas.replace(tenant, request.total(), perLength));
    }

    /** Body of {@code PUT /api/v1/admin/quotas/{tenant}}. */
    record QuotaRequest(
            @Schema(example = "100000", description = "Most prefixes held over every length; null: no limit")
            @Min(0) @Max(Long.MAX_VALUE) Long total,
            @Schema(description = "Most prefixes held per delegated length (48 to 64)") Map<Integer, Long> perLength) {
    }

    /** One limit with its use. */
    record Usage(long limit, long used) {
    }

    /** A tenant's quotas: {@code total} null when it has none. */
    record TenantQuotaView(String tenant, Usage total, Map<Integer, Usage> perLength) {

        static TenantQuotaView of(String tenant, List<TenantQuotas.Quota> quotas) {
            Usage total = null;
            Map<Integer, Usage> perLength = new TreeMap<>();
            for (TenantQuotas.Quota quota : quotas) {
                Usage usage = new Usage(quota.limit(), quota.used());
                if (quota.length() == null) {
                    total = usage;
                } else {
                    perLength.put(quota.length(), usage);
                }
            }
            return new TenantQuotaView(tenant, total, perLength);
        }
    }
}

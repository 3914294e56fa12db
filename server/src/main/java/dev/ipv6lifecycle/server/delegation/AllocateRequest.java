package dev.ipv6lifecycle.server.delegation;

import static dev.ipv6lifecycle.api.delegation.DelegatedLengths.LONGEST;
import static dev.ipv6lifecycle.api.delegation.DelegatedLengths.SHORTEST;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/** Body of {@code POST /api/v1/delegations}. */
record AllocateRequest(
        @Schema(example = "sub-000123") @NotBlank @Size(max = 128) String subscriberId,
        @Schema(description = "Pool to allocate from; omitted: the tenant's pools serving the length, oldest first")
        UUID poolId,
        @Schema(example = "56", description = "Omitted: the pool's default length, or the prefix's length")
        @Min(SHORTEST) @Max(LONGEST) Integer prefixLength,
        @Schema(type = "string", example = "2001:db8:12:3400::/56",
                description = "Exactly this prefix (a static assignment or an import); omitted: the allocator chooses")
        Ipv6Prefix prefix,
        @Schema(description = "Activate at once (default false)") Boolean activate,
        @Valid NasRequest nas,
        @Schema(example = "line-0042@isp.example", description = "The User-Name of the subscriber's RADIUS "
                + "Access-Requests, which then receive this delegation's prefix; omitted: nas.username, or else "
                + "subscriberId") @Size(min = 1, max = 253) String radiusUserName) {
}

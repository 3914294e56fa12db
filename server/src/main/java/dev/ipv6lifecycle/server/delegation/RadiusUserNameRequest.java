package dev.ipv6lifecycle.server.delegation;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/delegations/{id}/radius-user-name}. */
record RadiusUserNameRequest(
        @Schema(example = "line-0042@isp.example") @NotEmpty @Size(max = 253) String radiusUserName) {
}

package dev.ipv6lifecycle.server.delegation;

import dev.ipv6lifecycle.api.delegation.NasSession;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The subscriber's NAS session, for RADIUS CoA and Disconnect. */
record NasRequest(
        @Schema(example = "alice@isp.example") @NotBlank @Size(max = 253) String username,
        @Schema(example = "192.0.2.10", description = "IPv4 or IPv6 address of the NAS")
        @NotBlank @Size(max = 45) @Pattern(regexp = "[0-9A-Fa-f:.]+", message = "must be an IP address") String nasIp,
        @Schema(example = "5A3F0001") @NotBlank @Size(max = 253) String sessionId) {

    NasSession toSession() {
        return new NasSession(username, nasIp, sessionId);
    }

    static NasSession toSession(NasRequest request) {
        return request == null ? null : request.toSession();
    }
}

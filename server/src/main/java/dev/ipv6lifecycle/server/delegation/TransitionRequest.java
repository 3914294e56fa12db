package dev.ipv6lifecycle.server.delegation;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/** Optional body of the lifecycle commands. */
record TransitionRequest(
        @Schema(example = "contract ended") @Size(max = 500) String reason,
        @Valid NasRequest nas) {

    static final TransitionRequest NONE = new TransitionRequest(null, null);
}

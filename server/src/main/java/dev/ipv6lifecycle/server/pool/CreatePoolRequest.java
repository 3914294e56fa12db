package dev.ipv6lifecycle.server.pool;

import static dev.ipv6lifecycle.api.delegation.DelegatedLengths.LONGEST;
import static dev.ipv6lifecycle.api.delegation.DelegatedLengths.SHORTEST;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.Set;
import org.hibernate.validator.constraints.time.DurationMax;
import tools.jackson.databind.annotation.JsonDeserialize;

/** Body of {@code POST /api/v1/pools}. */
record CreatePoolRequest(
        @Schema(example = "residential-north") @NotBlank @Size(max = 200) String name,
        @Schema(type = "string", example = "2001:db8::/32") @NotNull Ipv6Prefix prefix,
        @Schema(example = "[48, 56, 64]") @NotEmpty @Size(max = 17) Set<@NotNull @Min(SHORTEST) @Max(LONGEST) Integer> delegatedLengths,
        @Schema(example = "56") @NotNull @Min(SHORTEST) @Max(LONGEST) Integer defaultLength,
        @Schema(type = "string", example = "P1D", description = "ISO-8601, at most ten years; default P1D")
        @DurationMax(days = MAX_DAYS) @JsonDeserialize(using = IsoDurationDeserializer.class) Duration quarantine,
        @Schema(type = "string", example = "PT24H", description = "ISO-8601, at most ten years; default PT24H")
        @DurationMax(days = MAX_DAYS) @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration staleAfter,
        @Schema(description = "Whether a RADIUS Access-Request for a subscriber without a live delegation allocates "
                + "from this pool (default false); see radius/README.md") Boolean allocateOnFirstSight) {

    /** Far beyond any real quarantine, and far from the end of time that a deadline's arithmetic would reach. */
    static final long MAX_DAYS = 3650;
}

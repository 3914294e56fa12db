package dev.ipv6lifecycle.server.delegation;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code POST /api/v1/delegations/bulk}. The items are validated one by one, so that one bad row of
 * an import is answered on its own instead of failing the batch.
 */
record BulkAllocateRequest(
        @Schema(description = "Up to " + BulkAllocateRequest.MAX_ITEMS + " allocations, each as the body of POST /api/v1/delegations")
        @NotNull @Size(min = 1, max = BulkAllocateRequest.MAX_ITEMS) List<AllocateRequest> items) {

    static final int MAX_ITEMS = 1000;
}

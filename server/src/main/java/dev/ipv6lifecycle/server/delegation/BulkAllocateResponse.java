package dev.ipv6lifecycle.server.delegation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ipv6lifecycle.api.delegation.DelegationView;
import java.util.List;
import org.springframework.http.ProblemDetail;

/**
 * The answer to a bulk allocation: one result per item, in the order of the request.
 *
 * @param allocated how many items were allocated
 * @param failed    how many were not; each says why in its problem
 */
record BulkAllocateResponse(int allocated, int failed, List<Item> items) {

    /**
     * One item's outcome: {@code status} 201 with its delegation, or the status and problem document that a
     * single {@code POST /api/v1/delegations} would have answered with.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(int index, int status, DelegationView delegation, ProblemDetail problem) {
    }

    static BulkAllocateResponse of(List<Item> items) {
        int allocated = (int) items.stream().filter(item -> item.delegation() != null).count();
        return new BulkAllocateResponse(allocated, items.size() - allocated, items);
    }
}

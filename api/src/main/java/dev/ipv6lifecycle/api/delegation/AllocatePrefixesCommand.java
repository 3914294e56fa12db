package dev.ipv6lifecycle.api.delegation;

import java.util.List;

/**
 * Many allocations of one tenant as one command, in one transaction: each is placed as if the ones before it had
 * been stored first, and refused on its own, exactly as it would be as an {@link AllocatePrefixCommand} of its own.
 * The handler answers with one {@link dev.ipv6lifecycle.api.ItemOutcome} per allocation, in order, whose result is
 * an {@link AllocationResult}. Anything else that fails (a prefix taken concurrently, a quota PostgreSQL enforces)
 * fails the whole command, and nothing is stored.
 *
 * @param tenantId    the caller's tenant, which every allocation names too
 * @param allocations the allocations, in order
 */
public record AllocatePrefixesCommand(String tenantId, List<AllocatePrefixCommand> allocations) {
}

package dev.ipv6lifecycle.command.pool;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** A pool as an allocation sees it in the command side's registry, with the pool rules an allocation checks. */
public record AllocatablePool(UUID id, Ipv6Prefix prefix, List<Integer> delegatedLengths, int defaultLength,
                              Duration quarantine, String state) {

    public boolean serves(int length) {
        return delegatedLengths.contains(length);
    }

    public boolean active() {
        return "ACTIVE".equals(state);
    }

    public void requireServes(int length) {
        if (!serves(length)) {
            throw DomainRejection.invalid("pool " + id + " serves /" + delegatedLengths
                    .stream().map(String::valueOf).collect(Collectors.joining(", /")) + ", not /" + length);
        }
    }

    public void requireActive() {
        if (!active()) {
            throw DomainRejection.conflict("pool " + id + " is " + state + " and takes no new allocations");
        }
    }
}

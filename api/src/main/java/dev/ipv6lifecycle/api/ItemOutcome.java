package dev.ipv6lifecycle.api;

/**
 * What became of one item of a command that carries many (such as a bulk allocation): its result, or the refusal
 * the same item would have been given as a command of its own. At most one of the two is set: neither for an item
 * whose command answers nothing (a record of network calls).
 */
public record ItemOutcome(Object result, DomainRejection refusal) {
}

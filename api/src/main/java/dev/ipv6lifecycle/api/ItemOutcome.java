package dev.ipv6lifecycle.api;

/**
 * What became of one item of a command that carries many (such as a bulk allocation): its result, or the refusal
 * the same item would have been given as a command of its own. Exactly one of the two is set.
 */
public record ItemOutcome(Object result, DomainRejection refusal) {
}

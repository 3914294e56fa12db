package dev.ipv6lifecycle.api.delegation;

/** The prefix lengths a delegation may have: a /48 for a business site down to a single /64. */
public final class DelegatedLengths {

    public static final int SHORTEST = 48;
    public static final int LONGEST = 64;

    private DelegatedLengths() {
    }
}

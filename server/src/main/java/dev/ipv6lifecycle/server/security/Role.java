package dev.ipv6lifecycle.server.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do within its tenant. Each role up to {@link #ADMIN} includes the ones before it (the role
 * hierarchy of {@link SecurityConfiguration}): an operator may read, an admin may do what an operator does.
 * {@link #AAA} stands apart: neither included in nor including another.
 */
public enum Role {

    /** Reads: pools, delegations, history, attribution, figures. */
    VIEWER,
    /** Lifecycle commands and allocation. */
    OPERATOR,
    /** Pools, the sweep, projection replays, the audit export and API keys. */
    ADMIN,
    /** A RADIUS server: only the AAA endpoints ({@code /api/v1/aaa/**}), nothing else. */
    AAA;

    /** As written in requests, answers, JWT scopes and the {@code api_key} table. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    String authority() {
        return "ROLE_" + name();
    }

    static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(role -> role.wireName().equals(name)).findFirst();
    }
}

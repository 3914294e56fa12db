package dev.ipv6lifecycle.api.delegation;

/** The commands of a delegation's lifecycle, by the names the REST API and its errors use. */
public enum LifecycleCommand {
    ACTIVATE("activate"),
    SUSPEND("suspend"),
    RESUME("resume"),
    REVOKE("revoke"),
    COMPLETE_REVOCATION("complete-revocation"),
    FAIL("fail");

    private final String wireName;

    LifecycleCommand(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in URLs and in {@code allowedCommands}. */
    public String wireName() {
        return wireName;
    }
}

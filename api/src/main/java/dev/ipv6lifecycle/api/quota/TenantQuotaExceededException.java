package dev.ipv6lifecycle.api.quota;

import dev.ipv6lifecycle.api.DomainRejection;

/**
 * An allocation would take the tenant above one of its quotas; nothing was stored. A business refusal: a
 * retry fails the same way until prefixes are given back or the quota is raised.
 */
public class TenantQuotaExceededException extends DomainRejection {

    private final String tenantId;
    private final Integer length;
    private final long limit;
    private final long used;

    /** {@code length} null: the quota on every length together. */
    public TenantQuotaExceededException(String tenantId, Integer length, long limit, long used) {
        super(Kind.CONFLICT, "tenant " + tenantId + " has used its quota "
                + (length == null ? "of live delegations" : "of live /" + length + " delegations")
                + ": " + used + " held (live or in quarantine) of at most " + limit);
        this.tenantId = tenantId;
        this.length = length;
        this.limit = limit;
        this.used = used;
    }

    public String tenantId() {
        return tenantId;
    }

    /** The delegated length the quota is on; null for the quota on every length together. */
    public Integer length() {
        return length;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used;
    }

    /** The quota's name as the API and the metrics give it: {@code total} or {@code /56}. */
    public String quota() {
        return length == null ? "total" : "/" + length;
    }
}

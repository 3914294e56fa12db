package dev.ipv6lifecycle.command.quota;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tenant quotas (migration V15): the most prefixes a tenant may hold, live or in quarantine, in total and
 * per delegated length. The limits are set here; their use is counted by PostgreSQL's triggers on
 * {@code prefix_reservation}, in every allocation's and release's own transaction, and enforced there.
 */
@Component
public class TenantQuotas {

    /** The key of the quota on every length together. */
    static final int TOTAL = 0;

    private final JdbcTemplate jdbc;

    public TenantQuotas(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One quota of a tenant: {@code length} null for every length together. */
    public record Quota(String tenantId, Integer length, long limit, long used) {
    }

    /**
     * Replaces the tenant's quotas: {@code total} (null: none) and one per length in {@code perLength}; any
     * other quota of the tenant is removed. Existing quotas keep their count and only change their limit.
     * A new quota starts from the tenant's held prefixes, counted while allocations and releases wait
     * (a SHARE lock on {@code prefix_reservation}, for every tenant: a count that misses a reservation in
     * flight would be wrong forever). Setting a new quota is rare; changing a limit takes no such lock.
     */
    @Transactional
    public List<Quota> replace(String tenantId, Long total, Map<Integer, Long> perLength) {
        Map<Integer, Long> wanted = new TreeMap<>(perLength);
        if (total != null) {
            wanted.put(TOTAL, total);
        }
        // No row lock before the table lock: an allocation in flight may hold both its reservation and the
        // tenant's quota rows, and would wait for this transaction while it waits for that allocation.
        Set<Integer> existing = Set.copyOf(jdbc.queryForList(
                "SELECT length FROM tenant_quota WHERE tenant_id = ?", Integer.class, tenantId));
        if (!existing.containsAll(wanted.keySet())) {
            jdbc.execute("LOCK TABLE prefix_reservation IN SHARE MODE");
        }
        List<Integer> removed = existing.stream().filter(length -> !wanted.containsKey(length)).toList();
        for (Integer length : removed) {
            jdbc.update("DELETE FROM tenant_quota WHERE tenant_id = ? AND length = ?", tenantId, length);
        }
        wanted.forEach((length, limit) -> {
            if (existing.contains(length)) {
                jdbc.update("UPDATE tenant_quota SET max_held = ? WHERE tenant_id = ? AND length = ?",
                        limit, tenantId, length);
            } else {
                jdbc.update("""
                        INSERT INTO tenant_quota (tenant_id, length, max_held, held)
                        SELECT ?, ?, ?, count(*) FROM prefix_reservation
                        WHERE pool_id IN (SELECT pool_id FROM pool_registry WHERE tenant_id = ?)
                          AND tenant_id = ? AND (? = 0 OR masklen(prefix) = ?)
                        ON CONFLICT (tenant_id, length) DO UPDATE SET max_held = excluded.max_held""",
                        tenantId, length, limit, tenantId, tenantId, length, length);
            }
        });
        return of(tenantId);
    }

    /** The tenant's quotas, the total first, then by length; empty when it has none. */
    public List<Quota> of(String tenantId) {
        return jdbc.query("SELECT tenant_id, length, max_held, held FROM tenant_quota WHERE tenant_id = ? ORDER BY length",
                (rs, i) -> quota(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)), tenantId);
    }

    /** Every quota of every tenant, for the gauges. */
    public List<Quota> all() {
        return jdbc.query("SELECT tenant_id, length, max_held, held FROM tenant_quota ORDER BY tenant_id, length",
                (rs, i) -> quota(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
    }

    private static Quota quota(String tenantId, int length, long limit, long used) {
        return new Quota(tenantId, length == TOTAL ? null : length, limit, used);
    }
}

\timing on
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SELECT count(*) FROM (SELECT tenant_id, pool_id, masklen(prefix) AS length, delegated_lengths FROM pool_view) a;
SELECT count(*) FROM (SELECT tenant_id, pool_id, state, count(*) AS n FROM delegation_view GROUP BY tenant_id, pool_id, state) a;
SELECT count(*) FROM (SELECT tenant_id, pool_id, utilization_percent FROM pool_utilization) a;
SELECT count(*) FROM (SELECT pool_id, length, count(*) AS n FROM held_prefix GROUP BY pool_id, length) a;
SELECT count(*) FROM (SELECT p.pool_id, l.length, count(DISTINCT set_masklen(h.prefix, l.length)) AS blocks
                FROM pool_view p
                CROSS JOIN LATERAL unnest(p.delegated_lengths) AS l(length)
                JOIN held_prefix h ON h.pool_id = p.pool_id AND h.length > l.length
                GROUP BY p.pool_id, l.length) a;
COMMIT;

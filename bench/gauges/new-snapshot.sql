\timing on
BEGIN;
WITH moved AS (DELETE FROM delegation_count_delta RETURNING tenant_id, pool_id, state, delta)
INSERT INTO delegation_count AS total (tenant_id, pool_id, state, n)
SELECT tenant_id, pool_id, state, sum(delta) FROM moved GROUP BY tenant_id, pool_id, state ORDER BY tenant_id, pool_id, state
ON CONFLICT (tenant_id, pool_id, state) DO UPDATE SET n = total.n + excluded.n;
SELECT count(*) FROM (SELECT tenant_id, pool_id, masklen(prefix) AS length, delegated_lengths FROM pool_view ORDER BY created_at, pool_id) a;
SELECT count(*) FROM (SELECT tenant_id, pool_id, state, n FROM delegation_count) a;
COMMIT;
SELECT count(*) FROM (SELECT r.tenant_id, r.pool_id, masklen(r.prefix) AS pool_length, b.length, b.blocks,
       (100 * (power(2::numeric, 128 - masklen(r.prefix))
               - coalesce(sum(b.blocks * power(2::numeric, 128 - b.length)) OVER (PARTITION BY r.pool_id), 0))
            / power(2::numeric, 128 - masklen(r.prefix)))::float8 AS utilization_percent
FROM pool_registry r
LEFT JOIN (SELECT pool_id, length, count(*) AS blocks FROM free_block GROUP BY pool_id, length) b ON b.pool_id = r.pool_id) a;

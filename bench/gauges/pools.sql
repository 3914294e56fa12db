INSERT INTO pool_view (pool_id, tenant_id, name, prefix, delegated_lengths, default_length, quarantine, stale_after, state, created_at, state_changed_at, last_sequence)
SELECT md5('pool' || p)::uuid, 'isp-' || (p % 3), 'pool ' || p, ('2001:db8:' || lpad(to_hex(p), 2, '0') || '00::/40')::cidr, '{48,56,64}', 56, '1 day', '24 hours', 'ACTIVE', now(), now(), 0
FROM generate_series(0, 99) AS p;
INSERT INTO pool_registry (pool_id, tenant_id, prefix, delegated_lengths, default_length, quarantine, state, created_at)
SELECT pool_id, tenant_id, prefix, delegated_lengths, default_length, quarantine, state, created_at FROM pool_view;
-- A free space of 16 blocks per pool (what a buddy system keeps: a few per level).
INSERT INTO free_block (pool_id, prefix, length)
SELECT p.pool_id, set_masklen(p.prefix, 40 + l) , 40 + l FROM pool_registry p, generate_series(1, 16) AS l;

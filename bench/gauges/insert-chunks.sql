-- 200,000 delegations, 2,000 per pool, inserted as 128-row statements (what reWriteBatchedInserts sends).
\timing on
DO $$
DECLARE k int;
BEGIN
  FOR k IN 0 .. 1562 LOOP
    INSERT INTO delegation_view (delegation_id, tenant_id, subscriber_id, pool_id, prefix, state, allocated_at, state_changed_at, last_sequence)
    SELECT md5('d' || i)::uuid, 'isp-' || ((i % 100) % 3), 'sub-' || i, md5('pool' || (i % 100))::uuid,
           ('2001:db8:' || to_hex((i % 100) * 256 + ((i / 100) >> 8)) || ':' || to_hex(((i / 100) & 255) << 8) || '::/56')::cidr,
           (ARRAY['ALLOCATED','ACTIVE','ACTIVE','ACTIVE','SUSPENDED','REVOKING','REVOKED','FAILED'])[1 + i % 8], now(), now(), 1
    FROM generate_series(k * 128, least(k * 128 + 127, 199999)) AS i;
  END LOOP;
END $$;

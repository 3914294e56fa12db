-- The benchmark's large data set, written straight into the event store: :pools pools (PoolCreatedEvent)
-- and :per_pool delegations in each (PrefixAllocatedEvent), :big_pool in the first one (a pool page at a
-- million delegations), byte for byte what Axon's JacksonSerializer
-- stores for these events (compare with rows the service writes; the harness replays them through the
-- service, so a row it could not read would fail the run). Pool p is 2a01:p::/32 in tenant "default",
-- its delegation j the j-th /56, allocated to subscriber seed-p-j. Times run up to now, one per second.
-- The command side's tables get what the service's subscribing handlers would have written for the
-- same events (pool_registry, free_block, subscriber_affinity, and prefix_reservation when asked, see
-- below): a later allocation from a seeded pool takes the next free /56.
-- Usage: psql -v pools=100 -v per_pool=1000 -v big_pool=1000000 -v reservations=0 -f bench/seed.sql
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE seed_pool ON COMMIT DROP AS
SELECT p,
       gen_random_uuid()                                       AS pool_id,
       format('2a01:%s::/32', to_hex(p))::cidr                 AS prefix,
       CASE WHEN p = 0 THEN :big_pool ELSE :per_pool END      AS delegations,
       now() - make_interval(secs => (:pools * greatest(:per_pool, :big_pool) + 1000)) AS created_at
FROM generate_series(0, :pools - 1) AS p;

CREATE TEMP TABLE seed_delegation ON COMMIT DROP AS
SELECT n,
       s.p,
       j,
       s.pool_id,
       gen_random_uuid()                                                              AS delegation_id,
       format('2a01:%s:%s:%s::/56', to_hex(s.p), to_hex(j >> 8), to_hex((j & 255) << 8))::cidr AS prefix,
       format('seed-%s-%s', s.p, j)                                                   AS subscriber_id,
       now() - make_interval(secs => (:pools * greatest(:per_pool, :big_pool) - n))  AS allocated_at
FROM seed_pool s
CROSS JOIN LATERAL generate_series(0, s.delegations - 1) AS j
CROSS JOIN LATERAL (SELECT j * :pools + s.p AS n) AS o;

CREATE FUNCTION pg_temp.iso_micros(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;
CREATE FUNCTION pg_temp.iso_millis(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
CREATE FUNCTION pg_temp.meta() RETURNS bytea LANGUAGE sql VOLATILE AS
$$ SELECT convert_to(format('{"actor":"bench-seed","traceId":"%s","correlationId":"%1$s"}', gen_random_uuid()), 'UTF8') $$;

INSERT INTO domain_event_entry (global_index, event_identifier, meta_data, payload, payload_revision, payload_type,
                                time_stamp, aggregate_identifier, sequence_number, type)
SELECT nextval('domain_event_entry_seq'), gen_random_uuid()::text, pg_temp.meta(),
       convert_to(format('{"poolId":"%s","tenantId":"default","name":"seed-%s","prefix":"%s","delegatedLengths":[48,56,64],'
                             || '"defaultLength":56,"quarantine":"PT24H","staleAfter":"PT24H","createdAt":"%s"}',
                         pool_id, p, prefix, pg_temp.iso_micros(created_at)), 'UTF8'),
       '1', 'dev.ipv6lifecycle.api.pool.PoolCreatedEvent', pg_temp.iso_millis(created_at), pool_id::text, 0, 'Pool'
FROM seed_pool ORDER BY p;

INSERT INTO domain_event_entry (global_index, event_identifier, meta_data, payload, payload_revision, payload_type,
                                time_stamp, aggregate_identifier, sequence_number, type)
SELECT nextval('domain_event_entry_seq'), gen_random_uuid()::text, pg_temp.meta(),
       convert_to(format('{"delegationId":"%s","tenantId":"default","subscriberId":"%s","poolId":"%s","prefix":"%s",'
                             || '"placement":"BEST_FIT","reclaimedFrom":null,"quarantine":"PT24H","activationRequested":false,'
                             || '"nas":null,"allocatedAt":"%s"}',
                         delegation_id, subscriber_id, pool_id, prefix, pg_temp.iso_micros(allocated_at)), 'UTF8'),
       '1', 'dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent', pg_temp.iso_millis(allocated_at),
       delegation_id::text, 0, 'Delegation'
FROM seed_delegation ORDER BY n;

-- The command side, as PoolRegistryProjector and ReservationProjector would have left it.
INSERT INTO pool_registry (pool_id, tenant_id, prefix, delegated_lengths, default_length, quarantine, state, created_at)
SELECT pool_id, 'default', prefix, '{48,56,64}', 56, '24 hours', 'ACTIVE', created_at FROM seed_pool;

-- With -v reservations=1 (bench/run.sh's default): the exclusion constraint's GiST index over the prefixes'
-- upper 64 bits (V11) costs about 130 us a row here, two and a half minutes for a million. Without them the
-- seeded delegations hold no reservation: fine for the read-side figures, but the sweep, which compares the two
-- sides, finds every one of them a leak.
SELECT :'reservations' = '1' AS seed_reservations \gset
\if :seed_reservations
INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id)
SELECT 'default', pool_id, prefix, delegation_id, subscriber_id FROM seed_delegation;
\endif

INSERT INTO subscriber_affinity (pool_id, subscriber_id, prefix)
SELECT pool_id, subscriber_id, prefix FROM seed_delegation;

-- The free space after the first :per_pool (or :big_pool) /56 of each /32: maximal aligned blocks (the buddy system's tiling).
INSERT INTO free_block (pool_id, prefix, length)
WITH RECURSIVE block(pool_id, p, x, size) AS (
    SELECT pool_id, p, delegations::bigint, NULL::bigint FROM seed_pool
    UNION ALL
    SELECT pool_id, p, x + s, s
    FROM block,
         LATERAL (SELECT CASE WHEN x = 0 THEN 16777216 ELSE least(x & -x, 16777216 - x) END AS a) AS f,
         -- the largest power of two that both aligns with x and fits before the end of the pool
         LATERAL (SELECT (2 ^ floor(log(2, a::numeric)))::bigint AS s) AS g
    WHERE x < 16777216
)
SELECT pool_id,
       format('2a01:%s:%s:%s::/%s', to_hex(p), to_hex(x >> 8), to_hex((x & 255) << 8), 56 - round(log(2, size::numeric))::int)::cidr,
       56 - round(log(2, size::numeric))::int
FROM (SELECT pool_id, p, x - size AS x, size FROM block WHERE size IS NOT NULL) AS b;

-- The seeded history is history every event processor has handled already: the tokens the live phase left
-- (at the old head) move to the new head. Without this the sagas' processors (which start at the head on a
-- fresh database, and are not part of the harness's replay) work through the million seeded events after
-- the restart, one transaction per event, for hours, and every later figure is measured beside them. The
-- projections are rebuilt by the harness's replay, which resets their tokens anyway. A processor that has
-- not seen an event yet (ONLY_REBUILD=1 seeds an empty store) holds no token at all, and moves too.
UPDATE token_entry
SET token = convert_to(format('{"index":%s,"gaps":[]}', (SELECT max(global_index) FROM domain_event_entry)), 'UTF8'),
    token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken'
WHERE token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken' OR token IS NULL;

COMMIT;
ANALYZE;

-- Two things that let a request skip work proportional to the data (docs/architecture.md, "Where rules live"):
--
-- 1. GET /api/v1/pools/{id} and GET /api/v1/pools no longer scan a pool's delegations.
--    * Free prefixes per length and utilisation come from the command side's free_block (V3): the buddy
--      system's maximal free blocks, kept in the same transaction as each event, a handful per pool. The
--      pool API may read this command-side table because it is the authority on free space (allocation
--      decides from it), it is exact (free blocks and held prefixes tile the pool), and reading it costs
--      O(blocks) per pool instead of O(delegations). It is read, never written, by the query side, and
--      only for this. Free space is therefore current: never behind the event store.
--    * The live and quarantined prefixes per length come from held_count and held_count_reclaim below:
--      what the held_prefix view (V4) counts, without scanning. These counts follow the read side as the
--      other read models do (milliseconds behind the events), so an answer may show a new allocation as no
--      longer free before it shows it as allocated.
--
-- 2. api_key changes are announced with NOTIFY, so that every node can cache keys and drop them at once on
--    a revocation (docs/security.md).

-- Held prefixes per (pool, length, quarantined), in two parts whose difference is what held_prefix counts:
--
-- * held_count: every row whose quarantine has not ended, counted by statement-level triggers on
--   delegation_view in the projections' own transactions, as insert-only deltas, exactly as V8 counts the
--   states and for the same reason: the pooled processors' batches commit concurrently, and an
--   "UPDATE ... SET n = n + 1" on a hot row would make them queue or deadlock. A row's part depends on that
--   row alone, so concurrent batches can never miscount.
-- * held_count_reclaim: which rows reclaimed which (reclaimed_from), because held_prefix leaves a
--   reclaimed row out. Whether a row is reclaimed depends on another row, which another segment may be
--   writing at the same time, each transaction unable to see the other's row until it commits (a replay or
--   a catch-up often has both in flight). So the triggers do not decide it: each reclaimer's row adds its
--   own entry here, and leaves with its row; a read subtracts the reclaimed rows as they are when it reads
--   (those still counted in held_count: quarantine not ended), one primary-key lookup each. The table stays
--   small: an entry also leaves when the reclaimed row's quarantine ends (the fold, HeldCounts) or that row
--   is deleted, so it holds about the reclaims of one quarantine period, never the pool's history.
--
-- The query side folds the deltas into the totals with the gauges' refresh (HeldCounts); a read adds the
-- deltas not folded yet, so it never waits for a fold.
CREATE TABLE held_count_delta (
    pool_id     UUID     NOT NULL,
    length      SMALLINT NOT NULL,
    quarantined BOOLEAN  NOT NULL,
    delta       BIGINT   NOT NULL
);

CREATE TABLE held_count (
    pool_id     UUID     NOT NULL,
    length      SMALLINT NOT NULL,
    quarantined BOOLEAN  NOT NULL,
    n           BIGINT   NOT NULL,
    CONSTRAINT held_count_pkey PRIMARY KEY (pool_id, length, quarantined)
);

-- A reclaim stays in its pool (the subscriber takes back its own quarantined prefix there), so the
-- reclaimer's pool_id is the reclaimed row's. reclaimed_from is written once, with the row.
CREATE TABLE held_count_reclaim (
    reclaimer_id UUID NOT NULL,
    reclaimed_id UUID NOT NULL,
    pool_id      UUID NOT NULL,
    CONSTRAINT held_count_reclaim_pkey PRIMARY KEY (reclaimer_id)
);
CREATE INDEX held_count_reclaim_pool_idx ON held_count_reclaim (pool_id);
CREATE INDEX held_count_reclaim_reclaimed_idx ON held_count_reclaim (reclaimed_id);

-- PostgreSQL allows transition tables only on triggers with a single event: one function per event.
CREATE FUNCTION held_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO held_count_delta (pool_id, length, quarantined, delta)
    SELECT pool_id, masklen(prefix), state IN ('REVOKED', 'FAILED'), count(*)
    FROM held_count_new WHERE quarantine_ended_at IS NULL
    GROUP BY pool_id, masklen(prefix), state IN ('REVOKED', 'FAILED');
    INSERT INTO held_count_reclaim (reclaimer_id, reclaimed_id, pool_id)
    SELECT delegation_id, reclaimed_from, pool_id FROM held_count_new WHERE reclaimed_from IS NOT NULL;
    RETURN NULL;
END
$$;

-- Most updates change neither the state's kind nor the quarantine's end (or no row at all): they add nothing.
CREATE FUNCTION held_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO held_count_delta (pool_id, length, quarantined, delta)
    SELECT pool_id, length, quarantined, sum(delta)
    FROM (SELECT pool_id, masklen(prefix) AS length, state IN ('REVOKED', 'FAILED') AS quarantined, 1 AS delta
          FROM held_count_new WHERE quarantine_ended_at IS NULL
          UNION ALL
          SELECT pool_id, masklen(prefix), state IN ('REVOKED', 'FAILED'), -1
          FROM held_count_old WHERE quarantine_ended_at IS NULL) AS changed
    GROUP BY pool_id, length, quarantined
    HAVING sum(delta) <> 0;
    RETURN NULL;
END
$$;

-- Also the projection's reset (DELETE FROM delegation_view before a replay) and the sweep's purge. A
-- deleted reclaimer reclaims no more, and a deleted reclaimed row no longer counts anywhere; a reset, which
-- empties the table, empties held_count_reclaim whole rather than look up millions of ids in it.
CREATE FUNCTION held_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO held_count_delta (pool_id, length, quarantined, delta)
    SELECT pool_id, masklen(prefix), state IN ('REVOKED', 'FAILED'), -count(*)
    FROM held_count_old WHERE quarantine_ended_at IS NULL
    GROUP BY pool_id, masklen(prefix), state IN ('REVOKED', 'FAILED');
    IF EXISTS (SELECT 1 FROM delegation_view) THEN
        DELETE FROM held_count_reclaim r
        WHERE r.reclaimer_id IN (SELECT delegation_id FROM held_count_old)
           OR r.reclaimed_id IN (SELECT delegation_id FROM held_count_old);
    ELSE
        DELETE FROM held_count_reclaim;
    END IF;
    RETURN NULL;
END
$$;

-- As V8's: TRUNCATE fires no DML trigger, and its ACCESS EXCLUSIVE lock waited for every writer.
CREATE FUNCTION held_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM held_count_delta;
    DELETE FROM held_count;
    DELETE FROM held_count_reclaim;
    RETURN NULL;
END
$$;

CREATE TRIGGER held_count_insert AFTER INSERT ON delegation_view
    REFERENCING NEW TABLE AS held_count_new
    FOR EACH STATEMENT EXECUTE FUNCTION held_count_inserted();
CREATE TRIGGER held_count_update AFTER UPDATE ON delegation_view
    REFERENCING OLD TABLE AS held_count_old NEW TABLE AS held_count_new
    FOR EACH STATEMENT EXECUTE FUNCTION held_count_updated();
CREATE TRIGGER held_count_delete AFTER DELETE ON delegation_view
    REFERENCING OLD TABLE AS held_count_old
    FOR EACH STATEMENT EXECUTE FUNCTION held_count_deleted();
CREATE TRIGGER held_count_truncate AFTER TRUNCATE ON delegation_view
    FOR EACH STATEMENT EXECUTE FUNCTION held_count_truncated();

-- An installation upgrading with data starts from its rows; CREATE TRIGGER has locked delegation_view
-- against writes until this migration commits, so no row is counted twice or missed.
INSERT INTO held_count (pool_id, length, quarantined, n)
SELECT pool_id, masklen(prefix), state IN ('REVOKED', 'FAILED'), count(*)
FROM delegation_view WHERE quarantine_ended_at IS NULL
GROUP BY pool_id, masklen(prefix), state IN ('REVOKED', 'FAILED');
INSERT INTO held_count_reclaim (reclaimer_id, reclaimed_id, pool_id)
SELECT r.delegation_id, r.reclaimed_from, r.pool_id
FROM delegation_view r
WHERE r.reclaimed_from IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM delegation_view d WHERE d.delegation_id = r.reclaimed_from AND d.quarantine_ended_at IS NOT NULL);

-- The pool reads look up free blocks per pool and length; free_block_best_fit_idx (pool_id, length DESC,
-- prefix) already serves "WHERE pool_id = ANY (...) GROUP BY pool_id, length".

-- Every change of a key (created, revoked, renamed, deleted) is announced on channel api_key_changed, in
-- the changing transaction: PostgreSQL delivers a NOTIFY when, and only if, that transaction commits, and
-- no code path can change the table without it. The payload is the key's id (the cache is keyed by digest
-- and is dropped whole, so the id only serves logs and tests). A statement-level trigger would do as well;
-- key changes are rare and come one row at a time.
CREATE FUNCTION api_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_key_changed', coalesce(NEW.id, OLD.id)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER api_key_changed AFTER INSERT OR UPDATE OR DELETE ON api_key
    FOR EACH ROW EXECUTE FUNCTION api_key_changed();
CREATE FUNCTION api_key_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_key_changed', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER api_key_truncated AFTER TRUNCATE ON api_key
    FOR EACH STATEMENT EXECUTE FUNCTION api_key_truncated();

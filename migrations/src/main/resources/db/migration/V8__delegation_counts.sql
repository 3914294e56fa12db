-- Delegations per (tenant, pool, state) for the gauge ipv6_lifecycle_prefixes (docs/monitoring.md), kept by the
-- database in the same transaction as delegation_view's rows, so that the counts can never drift from the
-- table and a scrape never counts a million rows.
--
-- Statement-level triggers on delegation_view append aggregated deltas to delegation_count_delta, which is
-- insert-only on purpose: the pooled processors' work packages commit concurrently, and an
-- "UPDATE ... SET n = n + 1" on a hot (pool, state) row would make them queue behind each other, or deadlock
-- when two batches touch the counters in different orders. The gauges' refresher folds the deltas into
-- delegation_count (DELETE ... RETURNING, so that two nodes folding at once each move a delta row once) and
-- reads those totals: O(pools x states).
--
-- A JDBC batch that the driver rewrites into multi-row INSERTs (reWriteBatchedInserts) fires one trigger
-- per statement, with every row of the statement in the transition table.

-- No key and no index: appending is all the projections pay for.
CREATE TABLE delegation_count_delta (
    tenant_id TEXT   NOT NULL,
    pool_id   UUID   NOT NULL,
    state     TEXT   NOT NULL,
    delta     BIGINT NOT NULL
);

CREATE TABLE delegation_count (
    tenant_id TEXT   NOT NULL,
    pool_id   UUID   NOT NULL,
    state     TEXT   NOT NULL,
    n         BIGINT NOT NULL,
    CONSTRAINT delegation_count_pkey PRIMARY KEY (tenant_id, pool_id, state)
);

-- PostgreSQL allows transition tables only on triggers with a single event: one function per event.
CREATE FUNCTION delegation_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delegation_count_delta (tenant_id, pool_id, state, delta)
    SELECT tenant_id, pool_id, state, count(*) FROM delegation_count_new GROUP BY tenant_id, pool_id, state;
    RETURN NULL;
END
$$;

-- Most updates keep the state (or change no row at all: a redelivered event): they add nothing.
CREATE FUNCTION delegation_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delegation_count_delta (tenant_id, pool_id, state, delta)
    SELECT tenant_id, pool_id, state, sum(delta)
    FROM (SELECT tenant_id, pool_id, state, 1 AS delta FROM delegation_count_new
          UNION ALL
          SELECT tenant_id, pool_id, state, -1 AS delta FROM delegation_count_old) AS changed
    GROUP BY tenant_id, pool_id, state
    HAVING sum(delta) <> 0;
    RETURN NULL;
END
$$;

-- Also the projection's reset (DELETE FROM delegation_view before a replay) and the sweep's purge.
CREATE FUNCTION delegation_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delegation_count_delta (tenant_id, pool_id, state, delta)
    SELECT tenant_id, pool_id, state, -count(*) FROM delegation_count_old GROUP BY tenant_id, pool_id, state;
    RETURN NULL;
END
$$;

-- TRUNCATE fires no DML trigger: should anyone empty the table that way, the counts empty with it. Its
-- ACCESS EXCLUSIVE lock has waited for every transaction that wrote delegation_view, so no delta of the
-- truncated rows is still to come.
CREATE FUNCTION delegation_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM delegation_count_delta;
    DELETE FROM delegation_count;
    RETURN NULL;
END
$$;

CREATE TRIGGER delegation_count_insert AFTER INSERT ON delegation_view
    REFERENCING NEW TABLE AS delegation_count_new
    FOR EACH STATEMENT EXECUTE FUNCTION delegation_count_inserted();
CREATE TRIGGER delegation_count_update AFTER UPDATE ON delegation_view
    REFERENCING OLD TABLE AS delegation_count_old NEW TABLE AS delegation_count_new
    FOR EACH STATEMENT EXECUTE FUNCTION delegation_count_updated();
CREATE TRIGGER delegation_count_delete AFTER DELETE ON delegation_view
    REFERENCING OLD TABLE AS delegation_count_old
    FOR EACH STATEMENT EXECUTE FUNCTION delegation_count_deleted();
CREATE TRIGGER delegation_count_truncate AFTER TRUNCATE ON delegation_view
    FOR EACH STATEMENT EXECUTE FUNCTION delegation_count_truncated();

-- An installation upgrading with data starts from its rows. CREATE TRIGGER has locked delegation_view
-- against writes until this migration commits, so no row is counted twice or missed.
INSERT INTO delegation_count (tenant_id, pool_id, state, n)
SELECT tenant_id, pool_id, state, count(*) FROM delegation_view GROUP BY tenant_id, pool_id, state;

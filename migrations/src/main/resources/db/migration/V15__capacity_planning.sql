-- Capacity planning (docs/architecture.md, "Tenant quotas"; docs/monitoring.md, "Capacity").
--
-- Tenant quotas: the most prefixes a tenant may hold, live or in quarantine, in total (length 0) and
-- optionally per delegated length. A quarantined prefix counts: it is held for its subscriber and nobody
-- else may have it. held is kept by row triggers on prefix_reservation, the command side's record of held
-- prefixes, in the transaction that reserves or releases the prefix. An allocation that would take held
-- above max_held is refused by PostgreSQL in that same transaction: the UPDATE locks the tenant's quota
-- rows until the allocation commits or rolls back, so concurrent allocations of the tenant take turns on
-- them and none can see a count that another is about to change. A tenant without a quota pays one
-- primary-key probe that finds no row, and takes no lock.
--
-- A reclaim (the subscriber takes back its quarantined prefix) updates its reservation's row and changes
-- no count; a release at the end of quarantine, a leak repaired by the sweep and any other delete give the
-- prefix back. Lowering max_held below held refuses the next allocations and keeps what is held.
CREATE TABLE tenant_quota (
    tenant_id TEXT     NOT NULL,
    length    SMALLINT NOT NULL,
    max_held  BIGINT   NOT NULL,
    held      BIGINT   NOT NULL,
    CONSTRAINT tenant_quota_pkey PRIMARY KEY (tenant_id, length),
    CONSTRAINT tenant_quota_length CHECK (length = 0 OR length BETWEEN 48 AND 64),
    CONSTRAINT tenant_quota_max CHECK (max_held >= 0)
);

-- SQLSTATE QT001: the command side (ReservationLedger) turns it into a business refusal, which no one
-- retries. The message is read by that code: keep its shape.
CREATE FUNCTION tenant_quota_taken() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    quota record;
BEGIN
    FOR quota IN UPDATE tenant_quota SET held = held + 1
                 WHERE tenant_id = NEW.tenant_id AND length IN (0, masklen(NEW.prefix))
                 RETURNING length, max_held, held LOOP
        IF quota.held > quota.max_held THEN
            RAISE EXCEPTION USING ERRCODE = 'QT001',
                MESSAGE = format('tenant quota exceeded: length=%s limit=%s used=%s',
                                 quota.length, quota.max_held, quota.held - 1);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE FUNCTION tenant_quota_given_back() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant_quota SET held = held - 1
    WHERE tenant_id = OLD.tenant_id AND length IN (0, masklen(OLD.prefix));
    RETURN NULL;
END
$$;

CREATE TRIGGER tenant_quota_insert AFTER INSERT ON prefix_reservation
    FOR EACH ROW EXECUTE FUNCTION tenant_quota_taken();
CREATE TRIGGER tenant_quota_delete AFTER DELETE ON prefix_reservation
    FOR EACH ROW EXECUTE FUNCTION tenant_quota_given_back();

-- TRUNCATE fires no row trigger: whatever was held is gone.
CREATE FUNCTION tenant_quota_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant_quota SET held = 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER tenant_quota_truncate AFTER TRUNCATE ON prefix_reservation
    FOR EACH STATEMENT EXECUTE FUNCTION tenant_quota_truncated();

-- The capacity trend: per pool, length and UTC day, the prefixes taken (a delegation recorded, reclaims
-- included) and returned to free space (a quarantine ended), for the exhaustion forecast of the pool API
-- and the gauges. Kept by statement triggers on delegation_view, in the projection's own transactions,
-- never in an allocation's. A reclaim is counted as taken and the reclaimed prefix's quarantine end as
-- returned: the two cancel out, within one quarantine period. Insert-only deltas, as V14's held counts and
-- for the same reason (concurrent batches never queue on a hot row); the gauges' refresh folds them into
-- one row per day (CapacityTrend), and a read adds the deltas not folded yet.
CREATE TABLE capacity_trend (
    pool_id  UUID     NOT NULL,
    length   SMALLINT NOT NULL,
    day      DATE     NOT NULL,
    taken    BIGINT   NOT NULL,
    returned BIGINT   NOT NULL,
    CONSTRAINT capacity_trend_pkey PRIMARY KEY (pool_id, length, day)
);

CREATE TABLE capacity_trend_delta (
    pool_id  UUID     NOT NULL,
    length   SMALLINT NOT NULL,
    day      DATE     NOT NULL,
    taken    BIGINT   NOT NULL,
    returned BIGINT   NOT NULL
);
CREATE INDEX capacity_trend_delta_pool_idx ON capacity_trend_delta (pool_id);

CREATE FUNCTION capacity_trend_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO capacity_trend_delta (pool_id, length, day, taken, returned)
    SELECT pool_id, length, day, sum(taken), sum(returned)
    FROM (SELECT pool_id, masklen(prefix) AS length, (allocated_at AT TIME ZONE 'UTC')::date AS day,
                 1 AS taken, 0 AS returned
          FROM capacity_trend_new
          UNION ALL
          SELECT pool_id, masklen(prefix), (quarantine_ended_at AT TIME ZONE 'UTC')::date, 0, 1
          FROM capacity_trend_new WHERE quarantine_ended_at IS NOT NULL) AS changed
    GROUP BY pool_id, length, day;
    RETURN NULL;
END
$$;

-- Only an update that ends a quarantine adds something; most add nothing.
CREATE FUNCTION capacity_trend_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO capacity_trend_delta (pool_id, length, day, taken, returned)
    SELECT n.pool_id, masklen(n.prefix), (n.quarantine_ended_at AT TIME ZONE 'UTC')::date, 0, count(*)
    FROM capacity_trend_new n JOIN capacity_trend_old o ON o.delegation_id = n.delegation_id
    WHERE n.quarantine_ended_at IS NOT NULL AND o.quarantine_ended_at IS NULL
    GROUP BY n.pool_id, masklen(n.prefix), (n.quarantine_ended_at AT TIME ZONE 'UTC')::date;
    RETURN NULL;
END
$$;

-- The sweep's purge removes old rows and keeps their history; the projection's reset (a replay) empties the
-- table, and the replay records the history again from the events.
CREATE FUNCTION capacity_trend_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM delegation_view) THEN
        DELETE FROM capacity_trend_delta;
        DELETE FROM capacity_trend;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION capacity_trend_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM capacity_trend_delta;
    DELETE FROM capacity_trend;
    RETURN NULL;
END
$$;

CREATE TRIGGER capacity_trend_insert AFTER INSERT ON delegation_view
    REFERENCING NEW TABLE AS capacity_trend_new
    FOR EACH STATEMENT EXECUTE FUNCTION capacity_trend_inserted();
CREATE TRIGGER capacity_trend_update AFTER UPDATE ON delegation_view
    REFERENCING OLD TABLE AS capacity_trend_old NEW TABLE AS capacity_trend_new
    FOR EACH STATEMENT EXECUTE FUNCTION capacity_trend_updated();
CREATE TRIGGER capacity_trend_delete AFTER DELETE ON delegation_view
    FOR EACH STATEMENT EXECUTE FUNCTION capacity_trend_deleted();
CREATE TRIGGER capacity_trend_truncate AFTER TRUNCATE ON delegation_view
    FOR EACH STATEMENT EXECUTE FUNCTION capacity_trend_truncated();

-- An installation upgrading with data starts from its history; CREATE TRIGGER has locked delegation_view
-- against writes until this migration commits.
INSERT INTO capacity_trend (pool_id, length, day, taken, returned)
SELECT pool_id, length, day, sum(taken), sum(returned)
FROM (SELECT pool_id, masklen(prefix) AS length, (allocated_at AT TIME ZONE 'UTC')::date AS day, 1 AS taken, 0 AS returned
      FROM delegation_view
      UNION ALL
      SELECT pool_id, masklen(prefix), (quarantine_ended_at AT TIME ZONE 'UTC')::date, 0, 1
      FROM delegation_view WHERE quarantine_ended_at IS NOT NULL) AS history
GROUP BY pool_id, length, day;

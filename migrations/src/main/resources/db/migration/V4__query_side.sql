-- Query-side read models. Only the query side's projections write them, from events alone (never from
-- the command side's tables), in pooled streaming processors whose tokens commit in the same transaction.
-- Each table belongs to one processing group, whose @ResetHandler empties it before a replay rebuilds it.
-- Times are timestamptz at PostgreSQL's microsecond precision: the projections truncate event times to
-- the microsecond, so a boundary such as "revoked at" compares equal wherever it is used.

-- Processing group "delegations": one row per delegation, as GET /api/v1/delegations shows it.
-- last_sequence is the aggregate sequence number of the latest event applied to the row. A handler only
-- touches rows below its event's sequence number, so a redelivered (or late) event changes nothing.
CREATE TABLE delegation_view (
    delegation_id       UUID        NOT NULL,
    tenant_id           TEXT        NOT NULL,
    subscriber_id       TEXT        NOT NULL,
    pool_id             UUID        NOT NULL,
    prefix              CIDR        NOT NULL,
    state               TEXT        NOT NULL,
    allocated_at        TIMESTAMPTZ NOT NULL,
    activated_at        TIMESTAMPTZ,
    suspended_at        TIMESTAMPTZ,
    revoked_at          TIMESTAMPTZ,
    failed_at           TIMESTAMPTZ,
    -- When the latest transition happened (e.g. when REVOKING began): what the sweep's thresholds need.
    state_changed_at    TIMESTAMPTZ NOT NULL,
    reason              TEXT,
    quarantine_until    TIMESTAMPTZ,
    -- Set by PrefixQuarantineEndedEvent: the prefix no longer occupies pool space.
    quarantine_ended_at TIMESTAMPTZ,
    -- The earlier delegation whose quarantined prefix this one took back (QUARANTINE_RECLAIM). Kept on the
    -- new row, so that no handler writes another delegation's row: the earlier row stops counting as held
    -- through held_prefix below, whatever order the two delegations' events are processed in.
    reclaimed_from      UUID,
    last_sequence       BIGINT      NOT NULL,
    CONSTRAINT delegation_view_pkey PRIMARY KEY (delegation_id),
    CONSTRAINT delegation_view_ipv6 CHECK (family(prefix) = 6),
    CONSTRAINT delegation_view_state
        CHECK (state IN ('ALLOCATED', 'ACTIVE', 'SUSPENDED', 'REVOKING', 'REVOKED', 'FAILED'))
);
-- Lists are newest allocation first, with or without each filter.
CREATE INDEX delegation_view_tenant_idx ON delegation_view (tenant_id, allocated_at DESC, delegation_id DESC);
CREATE INDEX delegation_view_subscriber_idx
    ON delegation_view (tenant_id, subscriber_id, allocated_at DESC, delegation_id DESC);
CREATE INDEX delegation_view_pool_idx ON delegation_view (tenant_id, pool_id, allocated_at DESC, delegation_id DESC);
CREATE INDEX delegation_view_state_idx ON delegation_view (tenant_id, state, allocated_at DESC, delegation_id DESC);
-- The prefix filter (delegation prefix <<= the given one).
CREATE INDEX delegation_view_prefix_idx ON delegation_view USING gist (tenant_id, prefix inet_ops);
CREATE INDEX delegation_view_reclaimed_from_idx ON delegation_view (reclaimed_from) WHERE reclaimed_from IS NOT NULL;
-- Capacity reads only rows that may still occupy space: live ones and those whose quarantine has not ended.
CREATE INDEX delegation_view_pool_held_idx ON delegation_view (pool_id, prefix) WHERE quarantine_ended_at IS NULL;

-- The prefixes that occupy pool space: live delegations, and ended ones (REVOKED, FAILED) whose quarantine
-- has not ended and whose subscriber has not taken the prefix back. A reclaimed row is excluded in every
-- state: its holding passed to the new delegation, even before its own PrefixRevokedEvent is processed.
-- Held prefixes never overlap (the command side's exclusion constraint), which makes capacity exact.
CREATE VIEW held_prefix AS
SELECT d.tenant_id,
       d.pool_id,
       d.delegation_id,
       d.prefix,
       masklen(d.prefix)                AS length,
       d.state IN ('REVOKED', 'FAILED') AS quarantined
FROM delegation_view d
WHERE d.quarantine_ended_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM delegation_view r WHERE r.reclaimed_from = d.delegation_id);

-- Processing group "pools": one row per pool, as GET /api/v1/pools shows it (capacity is computed at query
-- time from held_prefix). last_sequence as in delegation_view.
CREATE TABLE pool_view (
    pool_id           UUID        NOT NULL,
    tenant_id         TEXT        NOT NULL,
    name              TEXT        NOT NULL,
    prefix            CIDR        NOT NULL,
    delegated_lengths SMALLINT[]  NOT NULL,
    default_length    SMALLINT    NOT NULL,
    quarantine        INTERVAL    NOT NULL,
    stale_after       INTERVAL    NOT NULL,
    state             TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    state_changed_at  TIMESTAMPTZ NOT NULL,
    last_sequence     BIGINT      NOT NULL,
    CONSTRAINT pool_view_pkey PRIMARY KEY (pool_id),
    CONSTRAINT pool_view_ipv6 CHECK (family(prefix) = 6),
    CONSTRAINT pool_view_state CHECK (state IN ('ACTIVE', 'DRAINING', 'RETIRED'))
);
-- Pools are listed oldest first.
CREATE INDEX pool_view_tenant_idx ON pool_view (tenant_id, created_at, pool_id);

-- The held share of each pool's address space, in percent: sum of 2^(128 - length) over held prefixes,
-- over 2^(128 - pool length). Exact numeric until the final conversion; one definition for the pool
-- views and the stats. Grouped by every column it shows, so that a filter on tenant_id or pool_id is pushed
-- down into the aggregation instead of applied after computing every pool.
CREATE VIEW pool_utilization AS
SELECT p.tenant_id,
       p.pool_id,
       p.name,
       p.created_at,
       (100 * coalesce(sum(power(2::numeric, 128 - h.length)), 0)
            / power(2::numeric, 128 - masklen(p.prefix)))::float8 AS utilization_percent
FROM pool_view p
LEFT JOIN held_prefix h ON h.pool_id = p.pool_id AND h.tenant_id = p.tenant_id
GROUP BY p.tenant_id, p.pool_id, p.name, p.created_at;

-- Processing group "assignment-history": who held which prefix when, kept for good (the sweep's purge of
-- old delegation_view rows never touches it). A holding runs from the allocation until the revocation
-- completed or the activation failed; a quarantine is no holding. held_until is NULL while it lasts.
CREATE TABLE assignment_history (
    delegation_id UUID        NOT NULL,
    tenant_id     TEXT        NOT NULL,
    prefix        CIDR        NOT NULL,
    subscriber_id TEXT        NOT NULL,
    pool_id       UUID        NOT NULL,
    held_from     TIMESTAMPTZ NOT NULL,
    held_until    TIMESTAMPTZ,
    -- Upper bound exclusive: at the instant a holding ends, it is over.
    held_during   TSTZRANGE GENERATED ALWAYS AS (tstzrange(held_from, held_until, '[)')) STORED,
    CONSTRAINT assignment_history_pkey PRIMARY KEY (delegation_id),
    CONSTRAINT assignment_history_ipv6 CHECK (family(prefix) = 6)
);
-- "Who held the prefix covering X at T" is one lookup in this index:
-- tenant_id = ? AND prefix >>= X AND held_during @> T (btree_gist, from V3, provides the equality part).
CREATE INDEX assignment_history_attribution_idx
    ON assignment_history USING gist (tenant_id, prefix inet_ops, held_during);

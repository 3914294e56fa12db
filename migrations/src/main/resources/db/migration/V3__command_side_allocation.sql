-- Command-side tables: written only by subscribing event handlers, in the same transaction as the events
-- that change them, so they are never behind the event store. The query side never reads them.

-- The equality part (tenant_id WITH =) of the exclusion constraints needs btree_gist.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Every pool, as allocations need it. Pools of one tenant never overlap: enforced here, not by a read model.
CREATE TABLE pool_registry (
    pool_id           UUID        NOT NULL,
    tenant_id         TEXT        NOT NULL,
    prefix            CIDR        NOT NULL,
    delegated_lengths SMALLINT[]  NOT NULL,
    default_length    SMALLINT    NOT NULL,
    quarantine        INTERVAL    NOT NULL,
    state             TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT pool_registry_pkey PRIMARY KEY (pool_id),
    CONSTRAINT pool_registry_ipv6 CHECK (family(prefix) = 6),
    CONSTRAINT pool_registry_state CHECK (state IN ('ACTIVE', 'DRAINING', 'RETIRED')),
    CONSTRAINT pool_registry_no_overlap EXCLUDE USING gist (tenant_id WITH =, prefix inet_ops WITH &&)
);
CREATE INDEX pool_registry_tenant_idx ON pool_registry (tenant_id, created_at);

-- Every prefix that is held: by a live delegation (quarantined_until IS NULL) or in quarantine for the
-- subscriber of an ended one. THE invariant of the service: no two held prefixes of a tenant overlap,
-- whatever their lengths or pools. A conflicting insert fails the command and nothing is stored.
CREATE TABLE prefix_reservation (
    tenant_id         TEXT        NOT NULL,
    pool_id           UUID        NOT NULL,
    prefix            CIDR        NOT NULL,
    delegation_id     UUID        NOT NULL,
    subscriber_id     TEXT        NOT NULL,
    quarantined_until TIMESTAMPTZ,
    CONSTRAINT prefix_reservation_pkey PRIMARY KEY (delegation_id),
    CONSTRAINT prefix_reservation_pool_fkey FOREIGN KEY (pool_id) REFERENCES pool_registry (pool_id),
    CONSTRAINT prefix_reservation_no_overlap EXCLUDE USING gist (tenant_id WITH =, prefix inet_ops WITH &&)
);
CREATE INDEX prefix_reservation_pool_idx ON prefix_reservation (pool_id);
CREATE INDEX prefix_reservation_quarantine_idx ON prefix_reservation (pool_id, subscriber_id)
    WHERE quarantined_until IS NOT NULL;

-- The free space of each pool as maximal aligned blocks (a binary buddy system). Allocation takes the
-- smallest block that fits (best fit, lowest address first) and splits it; a release merges buddies back.
-- Free blocks and held prefixes tile each pool exactly, which makes capacity per length exact.
CREATE TABLE free_block (
    pool_id UUID     NOT NULL,
    prefix  CIDR     NOT NULL,
    length  SMALLINT NOT NULL,
    CONSTRAINT free_block_pkey PRIMARY KEY (pool_id, prefix),
    CONSTRAINT free_block_pool_fkey FOREIGN KEY (pool_id) REFERENCES pool_registry (pool_id),
    CONSTRAINT free_block_length CHECK (length = masklen(prefix))
);
CREATE INDEX free_block_best_fit_idx ON free_block (pool_id, length DESC, prefix);

-- The last prefix each subscriber held in a pool, so a returning subscriber gets it back when it is free.
CREATE TABLE subscriber_affinity (
    pool_id       UUID NOT NULL,
    subscriber_id TEXT NOT NULL,
    prefix        CIDR NOT NULL,
    CONSTRAINT subscriber_affinity_pkey PRIMARY KEY (pool_id, subscriber_id),
    CONSTRAINT subscriber_affinity_pool_fkey FOREIGN KEY (pool_id) REFERENCES pool_registry (pool_id)
);

-- The AAA path: FreeRADIUS asks, for each Access-Request, which prefix the subscriber holds. The answer must
-- never come from the read models, which follow the events by milliseconds: a revoked prefix could then be
-- handed out again after its revocation committed. So this command-side table is written by an in-transaction
-- handler, in the same transaction as the delegation's events, like prefix_reservation.

-- One row per live delegation (ALLOCATED, ACTIVE, SUSPENDED). The row goes in the transaction that leaves
-- those states (REVOKING, FAILED), so whoever reads after that commit finds no prefix.
CREATE TABLE radius_authorization (
    delegation_id    UUID        NOT NULL,
    tenant_id        TEXT        NOT NULL,
    radius_user_name TEXT        NOT NULL,
    prefix           CIDR        NOT NULL,
    state            TEXT        NOT NULL,
    allocated_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT radius_authorization_pkey PRIMARY KEY (delegation_id),
    CONSTRAINT radius_authorization_state CHECK (state IN ('ALLOCATED', 'ACTIVE', 'SUSPENDED'))
);

-- The lookup of every Access-Request: the tenant of the caller's key and the User-Name.
CREATE INDEX radius_authorization_user_idx ON radius_authorization (tenant_id, radius_user_name);

-- Pools from which an Access-Request of a subscriber without a live delegation allocates. Off unless the
-- pool's creation asked for it; pools created before keep it off.
ALTER TABLE pool_registry ADD COLUMN allocate_on_first_sight BOOLEAN NOT NULL DEFAULT FALSE;

-- Keys of FreeRADIUS servers: they may only ask the AAA endpoints.
ALTER TABLE api_key DROP CONSTRAINT api_key_role;
ALTER TABLE api_key ADD CONSTRAINT api_key_role CHECK (role IN ('viewer', 'operator', 'admin', 'aaa'));

-- API keys of machine clients. Only the SHA-256 of a key is kept: a leaked table lets nobody in, and the
-- key itself is shown once, in the answer that created it. Each key acts for one tenant with one role.

CREATE TABLE api_key (
    id          UUID        NOT NULL,
    tenant_id   TEXT        NOT NULL,
    role        TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    key_hash    BYTEA       NOT NULL,
    -- Created by the service itself (IPV6_ADMIN_API_KEY or the first start), not through the API.
    seeded      BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT        NOT NULL,
    -- A revoked key is kept (who had access, and until when, stays answerable) but never accepted again.
    revoked_at  TIMESTAMPTZ,
    revoked_by  TEXT,
    CONSTRAINT api_key_pkey PRIMARY KEY (id),
    CONSTRAINT api_key_hash_unique UNIQUE (key_hash),
    CONSTRAINT api_key_hash_length CHECK (length(key_hash) = 32),
    CONSTRAINT api_key_role CHECK (role IN ('viewer', 'operator', 'admin')),
    CONSTRAINT api_key_name_length CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT api_key_tenant_length CHECK (length(tenant_id) BETWEEN 1 AND 63),
    CONSTRAINT api_key_revoked CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- The listing of a tenant's keys, oldest first.
CREATE INDEX api_key_tenant_idx ON api_key (tenant_id, created_at);

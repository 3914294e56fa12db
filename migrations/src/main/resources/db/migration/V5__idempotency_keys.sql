-- Answers to POST requests that carried an Idempotency-Key, so that a client retrying after a lost
-- response gets the first answer instead of a second allocation. Written outside Axon's transactions by the
-- REST layer's filter: a row is claimed before the request runs and completed (or deleted) after it.

CREATE TABLE idempotent_request (
    tenant_id             TEXT        NOT NULL,
    idempotency_key       TEXT        NOT NULL,
    -- SHA-256 of method, path and body: the same key with another request is refused, not replayed.
    request_hash          BYTEA       NOT NULL,
    -- Who holds the claim; completing or releasing it checks this, so a request whose claim was taken
    -- over after it went stale cannot overwrite the answer of the request that took it.
    claim_token           UUID        NOT NULL,
    -- NULL while the first request is still being processed.
    response_status       SMALLINT,
    response_content_type TEXT,
    response_location     TEXT,
    response_body         BYTEA,
    created_at            TIMESTAMPTZ NOT NULL,
    completed_at          TIMESTAMPTZ,
    CONSTRAINT idempotent_request_pkey PRIMARY KEY (tenant_id, idempotency_key),
    CONSTRAINT idempotent_request_key_length CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    CONSTRAINT idempotent_request_hash_length CHECK (length(request_hash) = 32),
    CONSTRAINT idempotent_request_completed CHECK ((response_status IS NULL) = (completed_at IS NULL))
);

-- Keys expire (24 hours by default): the purge of expired rows looks them up by age.
CREATE INDEX idempotent_request_created_idx ON idempotent_request (created_at);

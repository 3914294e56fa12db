-- Every sweep run, manual or scheduled: when it ran and what it found. The sweep's last-success gauge is
-- restored from here at start-up, so a restart does not look like a sweep that stopped running.
CREATE TABLE sweep_run (
    run_id          UUID        NOT NULL,
    trigger         TEXT        NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ NOT NULL,
    revoked_purged  BIGINT      NOT NULL,
    allocated_stale BIGINT      NOT NULL,
    revoking_stuck  BIGINT      NOT NULL,
    leaks_detected  BIGINT      NOT NULL,
    leaks_repaired  BIGINT      NOT NULL,
    errors          BIGINT      NOT NULL,
    CONSTRAINT sweep_run_pkey PRIMARY KEY (run_id),
    CONSTRAINT sweep_run_trigger CHECK (trigger IN ('SCHEDULE', 'API'))
);
CREATE INDEX sweep_run_finished_idx ON sweep_run (finished_at DESC);

-- The sweep selects by state and by how long a delegation has been in it, across tenants.
CREATE INDEX delegation_view_state_changed_idx ON delegation_view (state, state_changed_at);

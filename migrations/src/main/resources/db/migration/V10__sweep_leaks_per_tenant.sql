-- What each sweep run found per tenant, so that GET /api/v1/stats can report a tenant's open leaks: those
-- the latest run detected and did not repair. Written in the same statement as the run's sweep_run row
-- (one atomic write), and only for tenants with at least one leak in that run.
CREATE TABLE sweep_run_tenant (
    run_id         UUID   NOT NULL,
    tenant_id      TEXT   NOT NULL,
    leaks_detected BIGINT NOT NULL,
    leaks_repaired BIGINT NOT NULL,
    CONSTRAINT sweep_run_tenant_pkey PRIMARY KEY (run_id, tenant_id),
    CONSTRAINT sweep_run_tenant_run_fkey FOREIGN KEY (run_id) REFERENCES sweep_run (run_id),
    CONSTRAINT sweep_run_tenant_repaired CHECK (leaks_repaired BETWEEN 0 AND leaks_detected)
);

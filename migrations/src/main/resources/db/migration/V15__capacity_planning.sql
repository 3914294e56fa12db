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

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

-- Delegations that are live when this migration runs get their row from the event store, the source of truth
-- (the read models may be behind): the allocation gives tenant, prefix and user name (the NAS session's
-- username, else the subscriber id), the latest lifecycle event the state. Events are UTF-8 JSON.
INSERT INTO radius_authorization (delegation_id, tenant_id, radius_user_name, prefix, state, allocated_at)
SELECT allocated.aggregate_identifier::uuid,
       allocated.body ->> 'tenantId',
       coalesce(allocated.body ->> 'radiusUserName', allocated.body -> 'nas' ->> 'username',
                allocated.body ->> 'subscriberId'),
       (allocated.body ->> 'prefix')::cidr,
       latest.state,
       (allocated.body ->> 'allocatedAt')::timestamptz
FROM (SELECT aggregate_identifier, convert_from(payload, 'UTF8')::jsonb AS body
      FROM domain_event_entry
      WHERE payload_type = 'dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent') allocated
JOIN (SELECT DISTINCT ON (aggregate_identifier) aggregate_identifier,
             CASE payload_type
                 WHEN 'dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent' THEN 'ALLOCATED'
                 WHEN 'dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent' THEN 'ACTIVE'
                 WHEN 'dev.ipv6lifecycle.api.delegation.PrefixResumedEvent' THEN 'ACTIVE'
                 WHEN 'dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent' THEN 'SUSPENDED'
             END AS state
      FROM domain_event_entry
      WHERE payload_type IN ('dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent',
                             'dev.ipv6lifecycle.api.delegation.PrefixActivatedEvent',
                             'dev.ipv6lifecycle.api.delegation.PrefixResumedEvent',
                             'dev.ipv6lifecycle.api.delegation.PrefixSuspendedEvent',
                             'dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent',
                             'dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent',
                             'dev.ipv6lifecycle.api.delegation.PrefixActivationFailedEvent')
      ORDER BY aggregate_identifier, sequence_number DESC) latest
  ON latest.aggregate_identifier = allocated.aggregate_identifier
WHERE latest.state IS NOT NULL;

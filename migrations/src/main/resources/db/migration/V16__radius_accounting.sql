-- RADIUS accounting: what the network says it holds (docs/architecture.md, "RADIUS accounting").
--
-- One row per accounting session, as FreeRADIUS's rlm_rest delivers Start, Interim-Update and Stop. The rows are
-- the evidence "this prefix was on session X of NAS Y from 10:02 to 14:37", so they are never deleted and never
-- rebuilt: they are observations of the network, not decisions of the service, and no event store holds them
-- (an event per record would make the store grow with every BNG's accounting traffic, thousands a second). A
-- projection replay therefore neither empties nor needs this table; it is backed up with the database.
--
-- Interim updates rewrite last_seen_at (and the prefix when one appears late, as after DHCPv6-PD), nothing else.
CREATE TABLE radius_session (
    session_id          UUID        NOT NULL,
    tenant_id           TEXT        NOT NULL,
    -- Which session of which NAS: Acct-Unique-Session-Id when FreeRADIUS computed one, else the NAS and its
    -- Acct-Session-Id. The same key may recur (a NAS reusing ids after a reboot); one row per occurrence.
    session_key         TEXT        NOT NULL,
    nas                 TEXT        NOT NULL,
    nas_ip              TEXT,
    nas_identifier      TEXT,
    acct_session_id     TEXT,
    acct_unique_id      TEXT,
    user_name           TEXT,
    prefix              CIDR,
    started_at          TIMESTAMPTZ,
    last_seen_at        TIMESTAMPTZ NOT NULL,
    stopped_at          TIMESTAMPTZ,
    -- Why it ended: the Acct-Terminate-Cause of a Stop, or accounting-on / accounting-off / stale.
    stop_cause          TEXT,
    interim_interval_s  INTEGER,
    -- The records this row has taken, for the audit: the first record that opened it.
    opened_by           TEXT        NOT NULL,
    CONSTRAINT radius_session_pkey PRIMARY KEY (session_id),
    CONSTRAINT radius_session_opened_by CHECK (opened_by IN ('start', 'interim', 'stop')),
    CONSTRAINT radius_session_prefix CHECK (prefix IS NULL OR (family(prefix) = 6 AND masklen(prefix) BETWEEN 32 AND 64))
);

-- At most one open occurrence of a session: a retransmitted Start can never open a second one, whatever the
-- interleaving of concurrent deliveries.
CREATE UNIQUE INDEX radius_session_open_key ON radius_session (tenant_id, session_key) WHERE stopped_at IS NULL;
-- Every occurrence of a key, newest first: what a late Interim or Stop is matched against.
CREATE INDEX radius_session_key_idx ON radius_session (tenant_id, session_key, last_seen_at DESC);
-- Accounting-On/Off closes a NAS's open sessions.
CREATE INDEX radius_session_open_nas_idx ON radius_session (tenant_id, nas) WHERE stopped_at IS NULL;
-- The live sessions of a prefix (CoA/Disconnect targets, duplicates) and the evidence for an attribution at an
-- instant, by the same span arithmetic as prefix_reservation (V11).
CREATE INDEX radius_session_span_idx ON radius_session USING gist (tenant_id, prefix_span(prefix))
    WHERE prefix IS NOT NULL;
-- The sweep's stale sessions.
CREATE INDEX radius_session_open_seen_idx ON radius_session (last_seen_at) WHERE stopped_at IS NULL;

-- The JDBC event storage engine (server: AxonEventStoreConfiguration) inserts events without a global index
-- and lets the column's default take the next value of the sequence V1 created for JPA: the same
-- increment-1 sequence, so commit order and gap handling stay as they were, and one round trip less per append.
ALTER TABLE domain_event_entry ALTER COLUMN global_index SET DEFAULT nextval('domain_event_entry_seq');
ALTER SEQUENCE domain_event_entry_seq OWNED BY domain_event_entry.global_index;

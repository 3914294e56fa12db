-- Sagas are stored with plain JDBC statements from this version on (Axon's JdbcSagaStore; the service's
-- AxonSagaStoreConfiguration explains why), on the same two tables. That store inserts an association without
-- its id, so the id comes from the sequence Hibernate used until now.
--
-- No row moves and no id can repeat, even while nodes of the previous build still write: Hibernate's pooled
-- generator took each value the sequence gave it as the top of a block of 50 ids for itself alone, and the
-- sequence's values are 50 apart, so a value it gives here is the top of nobody's block.
ALTER TABLE association_value_entry ALTER COLUMN id SET DEFAULT nextval('association_value_entry_seq');

-- The read side's prefix lookups on B-trees instead of GiST indexes over inet.
--
-- A GiST index over inet costs much more to keep than a B-tree, and more the more it holds in address order,
-- which is how the allocator hands prefixes out (V11 says so for the command side). A replay writes its rows
-- in that order too: inserting 300,000 history rows of a replay took 6.4 s with the GiST index, 2.0 s with
-- the B-tree below and 0.9 s with neither (BENCHMARKS.md, 2026-12-03 evening).
--
-- Neither lookup needs a GiST index:
-- * the delegation list's prefix filter (prefix <<= X) is a range of a B-tree over the prefixes: PostgreSQL
--   turns it into prefix >= X AND prefix <= the last address of X, as it does for free_block's primary key;
-- * "who held X at T" asks for a held prefix that contains X. Delegated prefixes are /48 to /64 (the
--   check below, as prefix_reservation has since V11), so the only prefixes that can contain X are X's own
--   supernets of those lengths: at most 17 equality lookups in a B-tree, then the time range on the few
--   holdings of each.
--
-- On an existing installation the two indexes are built while the migration runs, before the service starts
-- answering.

ALTER TABLE assignment_history
    ADD CONSTRAINT assignment_history_delegated CHECK (masklen(prefix) BETWEEN 48 AND 64);

DROP INDEX assignment_history_attribution_idx;
CREATE INDEX assignment_history_prefix_idx ON assignment_history (tenant_id, prefix, held_from);

DROP INDEX delegation_view_prefix_idx;
CREATE INDEX delegation_view_prefix_idx ON delegation_view (tenant_id, prefix);

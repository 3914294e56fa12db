-- The exhaustion forecast's two windows (docs/architecture.md, "Pool capacity"), kept per pool and length so that
-- a pool page reads one row per pool and length instead of summing 30 days of capacity_trend each time (a page of
-- 50 pools with three lengths summed 4,500 rows per request).
--
-- A row holds the net change (taken less returned) over the 7 and the 30 complete UTC days before as_of, as
-- capacity_trend held them when the row was written. The gauges' refresh (CapacityTrend.fold) writes the rows of
-- every pool that has none for the current day, after folding the deltas. A read uses a pool's rows only when
-- their as_of is its current day, and otherwise sums capacity_trend as before; either way it adds the deltas not
-- folded yet. So the rows are a shortcut, never a source: the answer is the same with or without them.
--
-- They stay exact because any change to capacity_trend inside a pool's windows (a day before as_of) deletes that
-- pool's rows in the changing transaction (the triggers below), and the fold's new rows and those deletions take
-- turns on one advisory lock ("ipv6trnd" as 8 bytes): a fold computes its rows after every earlier change has
-- committed, and a later change deletes them. The everyday fold only adds to the current day, which is outside
-- every window, and deletes nothing.
CREATE TABLE capacity_trend_window (
    pool_id   UUID     NOT NULL,
    length    SMALLINT NOT NULL,
    as_of     DATE     NOT NULL,
    net_short BIGINT   NOT NULL,
    net_long  BIGINT   NOT NULL,
    CONSTRAINT capacity_trend_window_pkey PRIMARY KEY (pool_id, length)
);

-- PostgreSQL allows transition tables only on triggers with a single event: one function per event.
CREATE FUNCTION capacity_trend_window_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7597702547627994724);
    DELETE FROM capacity_trend_window w
    WHERE EXISTS (SELECT 1 FROM capacity_trend_window_new c
                  WHERE c.pool_id = w.pool_id AND c.day >= w.as_of - 30 AND c.day < w.as_of);
    RETURN NULL;
END
$$;

CREATE FUNCTION capacity_trend_window_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7597702547627994724);
    DELETE FROM capacity_trend_window w
    WHERE EXISTS (SELECT 1 FROM capacity_trend_window_new c
                  WHERE c.pool_id = w.pool_id AND c.day >= w.as_of - 30 AND c.day < w.as_of)
       OR EXISTS (SELECT 1 FROM capacity_trend_window_old c
                  WHERE c.pool_id = w.pool_id AND c.day >= w.as_of - 30 AND c.day < w.as_of);
    RETURN NULL;
END
$$;

-- A window covers the 30 days before as_of (LengthForecast.LONG_WINDOW_DAYS): the prune, which removes older
-- days, deletes no row; a projection's reset (capacity_trend_deleted, V15) deletes every row of the pools.
CREATE FUNCTION capacity_trend_window_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7597702547627994724);
    DELETE FROM capacity_trend_window w
    WHERE EXISTS (SELECT 1 FROM capacity_trend_window_old c
                  WHERE c.pool_id = w.pool_id AND c.day >= w.as_of - 30 AND c.day < w.as_of);
    RETURN NULL;
END
$$;

CREATE FUNCTION capacity_trend_window_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7597702547627994724);
    DELETE FROM capacity_trend_window;
    RETURN NULL;
END
$$;

CREATE TRIGGER capacity_trend_window_insert AFTER INSERT ON capacity_trend
    REFERENCING NEW TABLE AS capacity_trend_window_new
    FOR EACH STATEMENT EXECUTE FUNCTION capacity_trend_window_inserted();
CREATE TRIGGER capacity_trend_window_update AFTER UPDATE ON capacity_trend
    REFERENCING OLD TABLE AS capacity_trend_window_old NEW TABLE AS capacity_trend_window_new
    FOR EACH STATEMENT EXECUTE FUNCTION capacity_trend_window_updated();
CREATE TRIGGER capacity_trend_window_delete AFTER DELETE ON capacity_trend
    REFERENCING OLD TABLE AS capacity_trend_window_old
    FOR EACH STATEMENT EXECUTE FUNCTION capacity_trend_window_deleted();
CREATE TRIGGER capacity_trend_window_truncate AFTER TRUNCATE ON capacity_trend
    FOR EACH STATEMENT EXECUTE FUNCTION capacity_trend_window_truncated();

-- An installation upgrading starts with no rows: its reads sum capacity_trend, as before, until the first fold.

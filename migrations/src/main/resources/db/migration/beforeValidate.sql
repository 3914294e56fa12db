-- Flyway runs this before it validates the applied migrations against these files.
--
-- V8's first comment line once named a design document outside the repository; it now names
-- docs/monitoring.md. Only that comment changed, but Flyway's checksum covers comments, so an installation
-- that applied V8 before would refuse to start. This accepts exactly that one earlier checksum of V8 and no
-- other: any other difference still fails validation, as it must.
DO $$
BEGIN
    IF to_regclass('flyway_schema_history') IS NOT NULL THEN
        UPDATE flyway_schema_history SET checksum = 68170689 WHERE version = '8' AND checksum = -1240600109;
    END IF;
END
$$;

-- 20,000 single-row state updates, one statement each (a JDBC batch of UPDATEs is not rewritten).
\timing on
DO $$
DECLARE i int;
BEGIN
  FOR i IN 0 .. 19999 LOOP
    UPDATE delegation_view SET state = CASE WHEN state = 'ACTIVE' THEN 'SUSPENDED' ELSE 'ACTIVE' END, last_sequence = last_sequence + 1
    WHERE delegation_id = md5('d' || (i * 10))::uuid;
  END LOOP;
END $$;

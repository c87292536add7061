-- The batch event log is written here, by triggers, so every writer (gateway, worker, reconciler, a
-- manual UPDATE) records its status changes with no code path forgotten. Statement-level triggers with
-- transition tables write one INSERT per statement, however many rows it changed.
CREATE FUNCTION flotilla_execution_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO batch_events (batch_id, type, data)
  SELECT n.batch_id, 'execution', jsonb_build_object(
    'executionId', n.id, 'deviceId', n.device_id, 'deviceName', n.device_name, 'seq', n.seq,
    'from', o.status, 'to', n.status, 'exitCode', n.exit_code)
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE o.status IS DISTINCT FROM n.status
  ORDER BY n.batch_id, n.seq;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER executions_status_events AFTER UPDATE ON executions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION flotilla_execution_events();
--> statement-breakpoint
CREATE FUNCTION flotilla_batch_status_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO batch_events (batch_id, type, data)
  SELECT n.id, 'batch', jsonb_build_object('from', o.status, 'to', n.status)
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE o.status IS DISTINCT FROM n.status;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER batches_status_events AFTER UPDATE ON batches
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION flotilla_batch_status_events();
--> statement-breakpoint
-- Wakes the API processes following a batch: one NOTIFY per batch per statement, sent at commit.
CREATE FUNCTION flotilla_batch_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('flotilla_batch_events', b.batch_id::text) FROM (SELECT DISTINCT batch_id FROM new_rows) b;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER batch_events_notify AFTER INSERT ON batch_events
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION flotilla_batch_events_notify();

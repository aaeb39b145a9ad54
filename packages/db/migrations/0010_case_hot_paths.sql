-- Two reads every case request made, found by the intake bench's CPU figures (ADR 0006).
--
-- 1. Every case detail lists the duplicates merged into it (WHERE merged_into = $1). Without an
--    index that was a scan of the whole cases table on each detail read, growing with the table.
--    Partial: only merged cases carry the column.
CREATE INDEX cases_merged_into_idx ON cases (merged_into) WHERE merged_into IS NOT NULL;
--> statement-breakpoint
-- 2. The working calendar's stamp, read on every intake and transition to know whether the
--    in-memory calendar is current, was count(*) and max(updated_at) over all of calendar_days.
--    Now a second number in reference_epoch (migration 0007), bumped by the same trigger function
--    on any change to calendar_days: the function bumps the column its trigger names.
ALTER TABLE reference_epoch ADD COLUMN calendar bigint NOT NULL DEFAULT 0;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_reference_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_NARGS > 0 AND TG_ARGV[0] = 'calendar' THEN
    UPDATE reference_epoch SET calendar = calendar + 1 WHERE id = 1;
  ELSE
    UPDATE reference_epoch SET epoch = epoch + 1 WHERE id = 1;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER calendar_days_reference_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_epoch('calendar');

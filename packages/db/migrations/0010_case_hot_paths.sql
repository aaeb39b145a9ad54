-- Two reads every case request made, found by the intake bench's CPU figures (ADR 0006).
--
-- 1. Every case detail lists the duplicates merged into it (WHERE merged_into = $1). Without an
--    index that was a scan of the whole cases table on each detail read, growing with the table.
--    Partial: only merged cases carry the column.
CREATE INDEX cases_merged_into_idx ON cases (merged_into) WHERE merged_into IS NOT NULL;
--> statement-breakpoint
-- 2. The working calendar's stamp, read on every intake and transition to know whether the
--    in-memory calendar is current, was count(*) and max(updated_at) over all of calendar_days.
--    Now one number bumped by a statement trigger on any change to the table, as reference_epoch
--    is for categories, rules, units and areas (migration 0007).
CREATE TABLE calendar_epoch (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  epoch bigint NOT NULL DEFAULT 0
);
--> statement-breakpoint
INSERT INTO calendar_epoch (id, epoch) VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION bump_calendar_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE calendar_epoch SET epoch = epoch + 1 WHERE id = 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER calendar_days_calendar_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_epoch();

-- 1. Audit rows are appended unsealed and chained afterwards by a sealer (ADR 0005): a writer no
-- longer takes the chain's lock, so writers stop queueing behind each other's COMMIT. `seq` is a
-- row's place in the chain, given when it is sealed; rows sealed before this migration keep their
-- id order. prev_hash and hash stay NULL until the row is sealed, and come together with seq.
ALTER TABLE audit_log ADD COLUMN seq bigint;
--> statement-breakpoint
UPDATE audit_log SET seq = id;
--> statement-breakpoint
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE audit_log ADD CONSTRAINT audit_sealed_whole CHECK ((seq IS NULL) = (hash IS NULL) AND (hash IS NULL) = (prev_hash IS NULL));
--> statement-breakpoint
CREATE UNIQUE INDEX audit_seq_idx ON audit_log (seq);
--> statement-breakpoint
CREATE INDEX audit_unsealed_idx ON audit_log (id) WHERE seq IS NULL;
--> statement-breakpoint
-- One number that changes whenever the reference data a case intake reads changes (categories,
-- routing rules, handling units, areas), so a server can keep that data in memory and check it
-- with one read per request (cases.repo `referenceStamp`). Bumped by statement triggers: no
-- writer has to remember to.
CREATE TABLE reference_epoch (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  epoch bigint NOT NULL DEFAULT 0
);
--> statement-breakpoint
INSERT INTO reference_epoch (id, epoch) VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION bump_reference_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE reference_epoch SET epoch = epoch + 1 WHERE id = 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER case_categories_reference_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON case_categories FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_epoch();
--> statement-breakpoint
CREATE TRIGGER routing_rules_reference_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON routing_rules FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_epoch();
--> statement-breakpoint
CREATE TRIGGER handling_units_reference_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON handling_units FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_epoch();
--> statement-breakpoint
CREATE TRIGGER areas_reference_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON areas FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_epoch();

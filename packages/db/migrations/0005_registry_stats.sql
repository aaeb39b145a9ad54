-- Live registry counters (grid_stats), kept by statement-level triggers with transition tables:
-- one INSERT … ON CONFLICT per statement, whatever the number of rows (imports write thousands at once).
-- The figures each ledger row counts toward are defined here, once, by the *_metrics functions.
-- A person counts while living here (status empty or 1 在住); age bands are summed from birth years.
CREATE FUNCTION registry_metrics_persons(p persons) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p.status IS NOT NULL AND p.status <> '1' THEN ARRAY[]::text[] ELSE
    array_remove(ARRAY['people', 'pop:' || p.pop_type, 'sex:' || p.sex,
      CASE WHEN p.political IN ('01', '02') THEN 'party' END,
      'birth:' || extract(year FROM p.birth_date)::int::text], NULL) END
$$;
--> statement-breakpoint
CREATE FUNCTION registry_metrics_households(h households) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_remove(ARRAY['households', 'hhkind:' || h.kind], NULL)
$$;
--> statement-breakpoint
CREATE FUNCTION registry_metrics_houses(h houses) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_remove(ARRAY['houses', CASE WHEN h.rented THEN 'houses_rented' END, 'house_use:' || h.use], NULL)
$$;
--> statement-breakpoint
CREATE FUNCTION registry_metrics_organisations(o organisations) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_remove(ARRAY['orgs', 'org:' || o.kind], NULL)
$$;
--> statement-breakpoint
CREATE FUNCTION registry_metrics_compounds(c compounds) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['compounds']
$$;
--> statement-breakpoint
CREATE FUNCTION registry_metrics_buildings(b buildings) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['buildings']
$$;
--> statement-breakpoint
CREATE FUNCTION registry_metrics_facilities(f facilities) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_remove(ARRAY['facilities', 'facility:' || f.facility_class], NULL)
$$;
--> statement-breakpoint
CREATE FUNCTION registry_metrics_person_tags(t person_tags) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN t.ended_at IS NULL AND t.counted THEN ARRAY['tag:' || t.tag] ELSE ARRAY[]::text[] END
$$;
--> statement-breakpoint
-- TG_ARGV[0] names the metrics function. Rows without a grid (a building outside every grid) count nowhere.
CREATE FUNCTION registry_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  f text := TG_ARGV[0];
  upsert text := ' GROUP BY grid_id, m HAVING sum(d) <> 0 ORDER BY grid_id, m'
    ' ON CONFLICT (grid_id, metric) DO UPDATE SET n = grid_stats.n + excluded.n';
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO grid_stats (grid_id, metric, n) SELECT grid_id, m, sum(d)::bigint FROM ('
      'SELECT r.grid_id, unnest(%I(r)) AS m, 1 AS d FROM new_rows r WHERE r.grid_id IS NOT NULL) x', f) || upsert;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('INSERT INTO grid_stats (grid_id, metric, n) SELECT grid_id, m, sum(d)::bigint FROM ('
      'SELECT r.grid_id, unnest(%I(r)) AS m, -1 AS d FROM old_rows r WHERE r.grid_id IS NOT NULL) x', f) || upsert;
  ELSE
    EXECUTE format('INSERT INTO grid_stats (grid_id, metric, n) SELECT grid_id, m, sum(d)::bigint FROM ('
      'SELECT r.grid_id, unnest(%I(r)) AS m, 1 AS d FROM new_rows r WHERE r.grid_id IS NOT NULL'
      ' UNION ALL SELECT r.grid_id, unnest(%I(r)) AS m, -1 AS d FROM old_rows r WHERE r.grid_id IS NOT NULL) x', f, f) || upsert;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER persons_stats_ins AFTER INSERT ON persons REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_persons');
--> statement-breakpoint
CREATE TRIGGER persons_stats_upd AFTER UPDATE ON persons REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_persons');
--> statement-breakpoint
CREATE TRIGGER persons_stats_del AFTER DELETE ON persons REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_persons');
--> statement-breakpoint
CREATE TRIGGER households_stats_ins AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_households');
--> statement-breakpoint
CREATE TRIGGER households_stats_upd AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_households');
--> statement-breakpoint
CREATE TRIGGER households_stats_del AFTER DELETE ON households REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_households');
--> statement-breakpoint
CREATE TRIGGER houses_stats_ins AFTER INSERT ON houses REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_houses');
--> statement-breakpoint
CREATE TRIGGER houses_stats_upd AFTER UPDATE ON houses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_houses');
--> statement-breakpoint
CREATE TRIGGER houses_stats_del AFTER DELETE ON houses REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_houses');
--> statement-breakpoint
CREATE TRIGGER organisations_stats_ins AFTER INSERT ON organisations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_organisations');
--> statement-breakpoint
CREATE TRIGGER organisations_stats_upd AFTER UPDATE ON organisations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_organisations');
--> statement-breakpoint
CREATE TRIGGER organisations_stats_del AFTER DELETE ON organisations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_organisations');
--> statement-breakpoint
CREATE TRIGGER compounds_stats_ins AFTER INSERT ON compounds REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_compounds');
--> statement-breakpoint
CREATE TRIGGER compounds_stats_upd AFTER UPDATE ON compounds REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_compounds');
--> statement-breakpoint
CREATE TRIGGER compounds_stats_del AFTER DELETE ON compounds REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_compounds');
--> statement-breakpoint
CREATE TRIGGER buildings_stats_ins AFTER INSERT ON buildings REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_buildings');
--> statement-breakpoint
CREATE TRIGGER buildings_stats_upd AFTER UPDATE ON buildings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_buildings');
--> statement-breakpoint
CREATE TRIGGER buildings_stats_del AFTER DELETE ON buildings REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_buildings');
--> statement-breakpoint
CREATE TRIGGER facilities_stats_ins AFTER INSERT ON facilities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_facilities');
--> statement-breakpoint
CREATE TRIGGER facilities_stats_upd AFTER UPDATE ON facilities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_facilities');
--> statement-breakpoint
CREATE TRIGGER facilities_stats_del AFTER DELETE ON facilities REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_facilities');
--> statement-breakpoint
CREATE TRIGGER person_tags_stats_ins AFTER INSERT ON person_tags REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_person_tags');
--> statement-breakpoint
CREATE TRIGGER person_tags_stats_upd AFTER UPDATE ON person_tags REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_person_tags');
--> statement-breakpoint
CREATE TRIGGER person_tags_stats_del AFTER DELETE ON person_tags REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_stats_trigger('registry_metrics_person_tags');
--> statement-breakpoint
-- A tag lies in its person's grid and counts while the person does: copied on insert, kept in step when the person moves, moves out or dies.
CREATE FUNCTION person_tags_follow_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT p.grid_id, (p.status IS NULL OR p.status = '1') INTO NEW.grid_id, NEW.counted FROM persons p WHERE p.id = NEW.person_id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER person_tags_follow_person BEFORE INSERT ON person_tags FOR EACH ROW EXECUTE FUNCTION person_tags_follow_person();
--> statement-breakpoint
CREATE FUNCTION persons_move_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE person_tags t SET grid_id = n.grid_id, counted = (n.status IS NULL OR n.status = '1')
  FROM new_rows n
  WHERE t.person_id = n.id AND (t.grid_id <> n.grid_id OR t.counted <> (n.status IS NULL OR n.status = '1'));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER persons_move_tags AFTER UPDATE ON persons REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION persons_move_tags();

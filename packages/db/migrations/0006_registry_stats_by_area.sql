-- The live counters are kept for every area above a record too (grid → community → street →
-- district → city → province), not only for its grid: a roll-up of any node is then a read of that
-- node's own rows (~130), not a sum over the counters of all the grids below it. grid_stats.grid_id
-- now names any area. The statement triggers of 0005 stay; only the function they call changes.
CREATE OR REPLACE FUNCTION registry_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  f text := TG_ARGV[0];
  deltas text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    deltas := format('SELECT r.grid_id, unnest(%I(r)) AS m, 1 AS d FROM new_rows r WHERE r.grid_id IS NOT NULL', f);
  ELSIF TG_OP = 'DELETE' THEN
    deltas := format('SELECT r.grid_id, unnest(%I(r)) AS m, -1 AS d FROM old_rows r WHERE r.grid_id IS NOT NULL', f);
  ELSE
    deltas := format('SELECT r.grid_id, unnest(%I(r)) AS m, 1 AS d FROM new_rows r WHERE r.grid_id IS NOT NULL'
      ' UNION ALL SELECT r.grid_id, unnest(%I(r)) AS m, -1 AS d FROM old_rows r WHERE r.grid_id IS NOT NULL', f, f);
  END IF;
  EXECUTE 'INSERT INTO grid_stats (grid_id, metric, n)'
    ' SELECT anc.id, x.m, sum(x.d)::bigint FROM (SELECT grid_id, m, sum(d) AS d FROM (' || deltas || ') y GROUP BY grid_id, m) x'
    ' JOIN areas g ON g.id = x.grid_id JOIN areas anc ON anc.path @> g.path'
    ' GROUP BY anc.id, x.m HAVING sum(x.d) <> 0 ORDER BY 1, 2'
    ' ON CONFLICT (grid_id, metric) DO UPDATE SET n = grid_stats.n + excluded.n';
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Recomputes every counter from the ledgers (this migration, and a repair after areas are moved in the tree).
CREATE FUNCTION registry_stats_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t text;
BEGIN
  DELETE FROM grid_stats;
  FOREACH t IN ARRAY ARRAY['persons', 'households', 'houses', 'organisations', 'compounds', 'buildings', 'facilities', 'person_tags'] LOOP
    EXECUTE format('INSERT INTO grid_stats (grid_id, metric, n)'
      ' SELECT anc.id, x.m, sum(x.d)::bigint FROM (SELECT r.grid_id, unnest(%I(r)) AS m, count(*) AS d FROM %I r WHERE r.grid_id IS NOT NULL GROUP BY 1, 2) x'
      ' JOIN areas g ON g.id = x.grid_id JOIN areas anc ON anc.path @> g.path'
      ' GROUP BY anc.id, x.m'
      ' ON CONFLICT (grid_id, metric) DO UPDATE SET n = grid_stats.n + excluded.n', 'registry_metrics_' || t, t);
  END LOOP;
END
$$;
--> statement-breakpoint
SELECT registry_stats_rebuild();

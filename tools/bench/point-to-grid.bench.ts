/**
 * Point → innermost basic grid, ours against PostGIS.
 *
 * Data: a convex district outline of ~16 km around 107.03 E, 33.07 N, tiled into 12 streets ×
 * 7 communities × 60 grids with the demo's seamless Voronoi tilings (5,040 convex grids).
 * Ours: (a) GridLocator in memory; (b) the service path LocatorCache.get + locate, whose epoch
 * check is one real query per lookup on PostgreSQL; (c) the index build. Baseline: the same
 * polygons in a PostGIS table with a GiST index, one ST_Contains query per lookup, through the
 * same node-postgres pool. Correctness first: 1,000 points must get the same grid from both.
 */
import type { Polygon } from 'geojson';
import type pg from 'pg';
import type { GridRow } from '@wangge/core';
import { LocatorCache } from '@wangge/core';
import { GridLocator } from '../../packages/core/src/areas/locator.ts';
import { mulberry32, streetPolygon, tilePolygon } from '../../packages/db/src/demo/synthetic-geometry.ts';
import { fmt, median, summarize, table, timeAsync, timed, timeSync, type BenchModule, type BenchResult, type Pass } from './harness.ts';
import { POSTGIS_PACKAGE, versions, withBenchDatabase } from './pg.ts';

const CENTER: [number, number] = [107.03, 33.07];
const SEED = 20260501;
const [STREETS, COMMUNITIES, GRIDS] = [12, 7, 60];
const GRID_DEPTH = 5; // province 0 … community 4, grid 5
const POINTS = 10_000;
const CHECKS = 1_000;
/** 1e-7° is at most 1.12 cm on the ground here; nearBoundary at this radius excludes a superset. */
const EDGE_M = 0.012;
const CONCURRENCY = 16;
/** Each round: SLICE lookups per side and concurrency, walking through the points (twice over). */
const [ROUNDS, SLICE] = [10, 2_000];

const EPOCH_SQL = 'SELECT epoch::int AS epoch FROM grid_epoch WHERE id = 1'; // as grids.repo.ts epoch()
const POSTGIS_SQL =
  'SELECT id FROM grid_poly WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY depth DESC LIMIT 1';

interface Data {
  grids: GridRow[];
  lon: Float64Array;
  lat: Float64Array;
}

function buildData(): Data {
  const grids: GridRow[] = [];
  const district = streetPolygon(CENTER, 16, SEED);
  tilePolygon(district, STREETS, SEED + 1).forEach((street, s) => {
    tilePolygon(street, COMMUNITIES, SEED + 100 + s).forEach((community, c) => {
      const communityId = String(1000 + s * COMMUNITIES + c);
      const path = `1.${100 + s}.${communityId}`;
      tilePolygon(community, GRIDS, SEED + 1000 + s * COMMUNITIES + c).forEach((geometry) => {
        const id = String(100_000 + grids.length);
        grids.push({
          id, parentId: communityId, path: `${path}.${id}`, depth: GRID_DEPTH, level: 'grid', code: id, nameZh: `网格${id}`,
          gridType: 'basic', geometry, version: 1, validFrom: new Date(0), districtId: '1', retired: false,
        });
      });
    });
  });
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of grids) for (const [x = 0, y = 0] of g.geometry!.coordinates[0]!) {
    [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
  }
  const rnd = mulberry32(SEED + 7);
  const lon = new Float64Array(POINTS);
  const lat = new Float64Array(POINTS);
  for (let i = 0; i < POINTS; i++) [lon[i], lat[i]] = [minX + rnd() * (maxX - minX), minY + rnd() * (maxY - minY)];
  return { grids, lon, lat };
}

const toLocatorGrid = (g: GridRow) => ({ id: g.id, path: g.path, level: g.depth, gridType: 'basic' as const, polygon: g.geometry as Polygon });
const innermost = (locator: GridLocator, lon: number, lat: number) => locator.locate(lon, lat).basic.at(-1)?.id ?? null;

async function loadPostgis(pool: pg.Pool, grids: GridRow[]): Promise<{ indexMs: number; plan: string }> {
  await pool.query('CREATE TABLE grid_poly (id bigint PRIMARY KEY, depth int NOT NULL, geom geometry(Polygon, 4326) NOT NULL)');
  const json = JSON.stringify(grids.map((g) => ({ id: g.id, depth: g.depth, g: g.geometry })));
  await pool.query(
    `INSERT INTO grid_poly SELECT (e->>'id')::bigint, (e->>'depth')::int, ST_SetSRID(ST_GeomFromGeoJSON((e->'g')::text), 4326)
     FROM jsonb_array_elements($1::jsonb) e`,
    [json],
  );
  const [, indexMs] = await timed(() => pool.query('CREATE INDEX grid_poly_geom ON grid_poly USING gist (geom)'));
  await pool.query('VACUUM ANALYZE grid_poly');
  const explain = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${POSTGIS_SQL.replace('$1', '107.03').replace('$2', '33.07')}`);
  const plan = explain.rows.map((r) => r['QUERY PLAN']).find((l) => /Index|Seq Scan/.test(l))?.trim() ?? '?';
  return { indexMs, plan };
}

/** Points 0…CHECKS-1, skipping those within 1e-7° of an edge: our innermost basic grid vs PostGIS's. */
async function check(locator: GridLocator, query: (i: number) => Promise<string | null>, data: Data) {
  let [agreed, excluded, outside] = [0, 0, 0];
  const disagreements: string[] = [];
  for (let i = 0; i < CHECKS; i++) {
    const [x, y] = [data.lon[i]!, data.lat[i]!];
    if (locator.nearBoundary(x, y, EDGE_M).length > 0) {
      excluded++;
      continue;
    }
    const [ours, theirs] = [innermost(locator, x, y), await query(i)];
    if (ours === theirs) agreed++;
    else disagreements.push(`(${x}, ${y}): ours ${ours}, PostGIS ${theirs}`);
    if (ours === null) outside++;
  }
  return { points: CHECKS, excluded, compared: CHECKS - excluded, agreed, outsideAllGrids: outside, disagreements };
}

async function run(): Promise<BenchResult> {
  const [data, genMs] = await timed(buildData);
  const locator = new GridLocator(data.grids.map(toLocatorGrid));
  const hits = Array.from(data.lon, (x, i) => innermost(locator, x, data.lat[i]!)).filter((id) => id !== null).length;
  console.log(`data: ${data.grids.length.toLocaleString('en-US')} grids (${STREETS} streets × ${COMMUNITIES} communities × ${GRIDS}), ` +
    `${POINTS.toLocaleString('en-US')} query points in the bbox (${hits.toLocaleString('en-US')} inside a grid); generated in ${fmt(genMs)} ms`);

  // (c) index build and (a) in memory: no database involved.
  const builds: number[] = [];
  for (let r = 0; r < 5; r++) builds.push((await timed(() => new GridLocator(data.grids.map(toLocatorGrid))))[1]);
  timeSync(POINTS, (i) => innermost(locator, data.lon[i]!, data.lat[i]!)); // warm-up (JIT)
  const memory = summarize(Array.from({ length: 5 }, () => timeSync(POINTS, (i) => innermost(locator, data.lon[i]!, data.lat[i]!))));

  return withBenchDatabase(async (db) => {
    const pool = db.pool(CONCURRENCY); // one pool, shared by ours and the baseline
    await pool.query('CREATE TABLE grid_epoch (id integer PRIMARY KEY, epoch bigint NOT NULL DEFAULT 0)');
    await pool.query('INSERT INTO grid_epoch (id, epoch) VALUES (1, 0)');
    if (db.postgisAvailable) await pool.query('CREATE EXTENSION postgis');
    const { postgres: pgVersion, postgis: postgisVersion } = await versions(pool, db.postgisAvailable);

    // Unnamed statements are what drizzle sends in production; named ones are prepared once per
    // connection (no parse/plan per query) — both sides get measured both ways.
    const q = (text: string, name: string | null) => (values: unknown[]) => pool.query(name ? { name, text, values } : { text, values });
    const cache = new LocatorCache();
    const ours = (named: boolean) => {
      const epoch = q(EPOCH_SQL, named ? 'epoch' : null);
      const port = { epoch: async () => ((await epoch([])).rows[0] as { epoch: number } | undefined)?.epoch ?? 0, allLiveGrids: async () => data.grids };
      return async (i: number) => innermost(await cache.get(port), data.lon[i]!, data.lat[i]!);
    };
    const postgis = (named: boolean) => {
      const query = q(POSTGIS_SQL, named ? 'point_in_grid' : null);
      return async (i: number) => ((await query([data.lon[i], data.lat[i]])).rows[0] as { id: string } | undefined)?.id ?? null;
    };

    let load: { indexMs: number; plan: string } | null = null;
    let agreement: Awaited<ReturnType<typeof check>> | null = null;
    if (db.postgisAvailable) {
      load = await loadPostgis(pool, data.grids);
      agreement = await check(locator, postgis(false), data);
      console.log(`check: ${agreement.agreed}/${agreement.compared} points agree with PostGIS ` +
        `(${agreement.excluded} of ${CHECKS} excluded within 1e-7° of an edge; ${agreement.outsideAllGrids} outside every grid)`);
      if (agreement.disagreements.length > 0) {
        for (const d of agreement.disagreements.slice(0, 10)) console.error(`  disagree ${d}`);
        throw new Error(`${agreement.disagreements.length} of ${agreement.compared} points disagree with PostGIS`);
      }
    } else {
      console.log(`PostGIS is not installed on this server: skipping the PostGIS baseline and check.\n` +
        `  install it with: apt-get update && apt-get install -y ${POSTGIS_PACKAGE}`);
    }

    const sides: Record<string, (i: number) => Promise<unknown>> = {
      ours: ours(false), oursPrepared: ours(true), ...(load ? { postgis: postgis(false), postgisPrepared: postgis(true) } : {}),
    };
    for (const fn of Object.values(sides)) await timeAsync(1000, CONCURRENCY, fn); // fills the pool, builds the cache, prepares
    // Short interleaved passes with the order rotated each round: drift on a noisy machine hits every side alike.
    const passes: Record<string, Pass[]> = {};
    const names = Object.keys(sides);
    for (let r = 0; r < ROUNDS; r++) for (const conc of [1, CONCURRENCY]) for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length]!;
      const offset = (r * SLICE) % POINTS;
      (passes[`${name}/${conc}`] ??= []).push(await timeAsync(SLICE, conc, (i) => sides[name]!(offset + i)));
    }
    const sum = (k: string) => (passes[k] ? summarize(passes[k]) : null);
    const paired = (a: string, b: string) => (passes[a] && passes[b] ? median(passes[a].map((p, r) => p.opsPerSec / passes[b]![r]!.opsPerSec)) : null);
    const C = CONCURRENCY;
    const comparisons = ([
      ['sequential lookups/s', 'ours/1', 'postgis/1', 'ops'],
      [`concurrent lookups/s (${C} in flight)`, `ours/${C}`, `postgis/${C}`, 'ops'],
      ['sequential p99 (ms)', 'ours/1', 'postgis/1', 'p99'],
      ['concurrent p99 (ms)', `ours/${C}`, `postgis/${C}`, 'p99'],
      ['sequential lookups/s, both prepared', 'oursPrepared/1', 'postgisPrepared/1', 'ops'],
      [`concurrent lookups/s, both prepared`, `oursPrepared/${C}`, `postgisPrepared/${C}`, 'ops'],
    ] as const).map(([figure, a, b, stat]): Comparison => {
      const [o, t] = [sum(a), sum(b)];
      return stat === 'ops'
        ? { figure, ours: o?.opsPerSec ?? null, postgis: t?.opsPerSec ?? null, ratio: paired(a, b) }
        : { figure, ours: o?.p99Ms ?? null, postgis: t?.p99Ms ?? null, ratio: ratio(t?.p99Ms, o?.p99Ms) };
    });
    const pgSeq = sum('postgis/1')?.opsPerSec;
    const buildMs = median(builds);
    comparisons.push(
      { figure: 'in-memory lookups/s (vs PostGIS sequential)', ours: memory.opsPerSec, postgis: pgSeq ?? null, ratio: ratio(memory.opsPerSec, pgSeq) },
      { figure: `index build, ${data.grids.length} grids (ms)`, ours: buildMs, postgis: load?.indexMs ?? null, ratio: ratio(load?.indexMs, buildMs) },
    );

    console.log(`\nPostgreSQL ${pgVersion}; PostGIS ${postgisVersion ?? `not installed (${POSTGIS_PACKAGE})`}${load ? `; plan: ${load.plan}` : ''}\n` +
      `${ROUNDS} interleaved rounds × ${SLICE.toLocaleString('en-US')} lookups per side; lookups/s = median round, p99 over all rounds; ` +
      `one pg.Pool of ${C} for both sides.\nratio > 1 = ours faster; for lookups/s it is the median of the per-round ratios.\n`);
    const rows = comparisons.map((c) => [c.figure, fmt(c.ours), fmt(c.postgis), c.ratio === null ? 'n/a' : `${fmt(c.ratio)}×`]);
    rows.splice(-1, 0, ['in-memory p50 / p99 (µs)', `${fmt(memory.p50Ms * 1000)} / ${fmt(memory.p99Ms * 1000)}`, '', '']);
    console.log(table(['figure', 'ours', 'PostGIS', 'ratio'], rows));

    return {
      ...(load ? {} : { skipped: `PostGIS not installed (${POSTGIS_PACKAGE})` }),
      json: {
        grids: data.grids.length, points: POINTS, pointsInsideAGrid: hits, rounds: ROUNDS, lookupsPerRound: SLICE, concurrency: C, poolSize: C,
        postgres: pgVersion, postgis: postgisVersion, postgisPlan: load?.plan ?? null,
        check: agreement && { ...agreement, disagreements: agreement.disagreements.length },
        comparisons, inMemory: memory, indexBuildMs: { ours: buildMs, oursRounds: builds, postgisGist: load?.indexMs ?? null },
        passes: Object.fromEntries(Object.keys(passes).map((k) => [k, sum(k)])),
      },
    };
  });
}

interface Comparison {
  figure: string;
  ours: number | null;
  postgis: number | null;
  /** > 1 = ours faster. */
  ratio: number | null;
}

const ratio = (a?: number | null, b?: number | null) => (a && b ? a / b : null);

export const pointToGrid: BenchModule = {
  name: 'point-to-grid',
  description: 'point → innermost basic grid: GridLocator / LocatorCache vs PostGIS ST_Contains',
  run,
};

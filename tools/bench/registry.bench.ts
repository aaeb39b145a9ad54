/**
 * The registry at district scale (registry-gen.ts: 成华区, 11 streets, 83 communities, ~400 grids;
 * --scale 1 ≈ 1.4M people in ≈ 550k households; default 0.1). Engine: the PostgreSQL database named
 * by DATABASE_URL (it must be empty: create it for the run and drop it after), else PGlite in a
 * temporary directory, through the application's own connection code either way.
 *
 * Figures, each beside a baseline measured in the same run on the same data:
 * 1. Roll-up (分类汇总) of a street through the registry port's `rollup` (grid_stats, kept by the
 *    statement triggers) vs a GROUP BY over the rows under the street's area path computing the
 *    same figures; and the summary page's shape (the street and each of its communities).
 *    Goal: p95 ≤ 5 ms and ≥ 10× the naive query.
 * 2. People search through the port's `search` (district scope, top 20) for two- and three-character
 *    names, pinyin initials, ID numbers and phones vs the same query without its index: `name LIKE
 *    '%张伟%'` without the grams, and the pinyin/blind-index conditions written so no index serves
 *    them. Goal: p95 ≤ 20 ms.
 * 3. Completeness (区不漏房、房不漏户、户不漏项) of a street's grids and of the whole district (the
 *    grid map) through the port vs one GROUP BY pass per table; and writing people through the
 *    port's `insert`.
 * 4. What the report's proposals would give, measured on the same throw-away data (the repository is
 *    unchanged): per-area counters, the grid map from counters, smaller
 *    GIN pending lists or none.
 * Correctness first: the roll-up must equal the GROUP BY for the district, every street and every
 * community, and grid_stats must sum to the rows; every search must return the same people in the
 * same order as its baseline; completeness must agree. When a goal is missed the report shows
 * EXPLAIN ANALYZE of the port's own statement (taken from the port on a recorder).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import { LEDGER_SPECS, columnOf, type GridCompleteness } from '@wangge/contracts';
import { nameLikePattern, pinyinInitials, registry as registryUseCases, type AreaScope, type NewRecord, type RegistryPort, type SearchKind } from '@wangge/core';
import { FieldCrypto, openDatabase, registryRepo, rows, type Database, type Db } from '@wangge/db';
import { civilToday } from '../../packages/db/src/demo/demo-registry.ts';
import { fmt, interrupt, table, type BenchModule, type BenchResult } from './harness.ts';
import { generateDistrict } from './registry-gen.ts';

const GOALS = { rollupP95Ms: 5, rollupRatio: 10, searchP95Ms: 20 };
const TZ = 'Asia/Shanghai';
const LIMIT = 20;

// ── Options and the database ──────────────────────────────────────────────────

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const raw = i >= 0 ? process.argv[i + 1] : inline ?? process.env[`BENCH_${name.toUpperCase()}`];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return v;
}

interface Engine {
  database: Database;
  kind: 'postgres' | 'pglite';
  version: string;
  close(): Promise<void>;
}

async function openEngine(): Promise<Engine> {
  const url = process.env.DATABASE_URL;
  const common = { timeZone: TZ, queryTimeoutMs: 3_600_000, poolSize: 4 };
  if (url) {
    const database = await openDatabase({ ...common, databaseUrl: url, dataDir: null });
    const [n] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM areas`);
    if ((n?.n ?? 0) > 0) {
      await database.close();
      throw new Error('DATABASE_URL names a database that is not empty: create one for the benchmark (and drop it afterwards)');
    }
    const [v] = await rows<{ v: string }>(database.db, sql`SELECT current_setting('server_version') AS v`);
    return { database, kind: 'postgres', version: `PostgreSQL ${v!.v}`, close: () => database.close() };
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'wangge-bench-registry-'));
  const database = await openDatabase({ ...common, dataDir: dir });
  const [v] = await rows<{ v: string }>(database.db, sql`SELECT current_setting('server_version') AS v`);
  return {
    database, kind: 'pglite', version: `PGlite (PostgreSQL ${v!.v}) in ${dir}`,
    close: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ── Timing ────────────────────────────────────────────────────────────────────

interface Stat {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

function stat(ms: number[]): Stat {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { n: s.length, p50: q(0.5), p95: q(0.95), max: s.at(-1)! };
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  if (interrupt.signal.aborted) throw new Error('interrupted');
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

interface Figure {
  figure: string;
  ours: Stat;
  baseline: Stat | null;
  /** Baseline p50 / ours p50 (> 1 = ours faster). */
  ratio: number | null;
  goal?: string;
  met?: boolean;
  plan?: string;
}

const ratioOf = (ours: Stat, base: Stat | null) => (base ? base.p50 / ours.p50 : null);

// ── The baselines ─────────────────────────────────────────────────────────────

/** The roll-up's figures straight from the rows under `path`: one GROUP BY per ledger over the area path. */
async function naiveRollup(db: Db, path: string): Promise<Record<string, number>> {
  const under = (alias: string) => sql`JOIN areas g ON g.id = ${sql.raw(alias)}.grid_id WHERE g.path <@ ${path}::ltree`;
  const r = await rows<{ t: string; a: string | null; b: string | null; c: string | null; d: string | null; n: number }>(db, sql`
    SELECT 'p' AS t, p.pop_type AS a, p.sex AS b, (p.political IN ('01', '02'))::text AS c, extract(year FROM p.birth_date)::int::text AS d, count(*)::int AS n
      FROM persons p ${under('p')} AND (p.status IS NULL OR p.status = '1') GROUP BY 2, 3, 4, 5
    UNION ALL SELECT 'h', x.kind, NULL, NULL, NULL, count(*)::int FROM households x ${under('x')} GROUP BY 2
    UNION ALL SELECT 'o', h.use, h.rented::text, NULL, NULL, count(*)::int FROM houses h ${under('h')} GROUP BY 2, 3
    UNION ALL SELECT 'g', o.kind, NULL, NULL, NULL, count(*)::int FROM organisations o ${under('o')} GROUP BY 2
    UNION ALL SELECT 'f', f.facility_class, NULL, NULL, NULL, count(*)::int FROM facilities f ${under('f')} GROUP BY 2
    UNION ALL SELECT 'c', NULL, NULL, NULL, NULL, count(*)::int FROM compounds c ${under('c')}
    UNION ALL SELECT 'b', NULL, NULL, NULL, NULL, count(*)::int FROM buildings b ${under('b')}
    UNION ALL SELECT 't', t.tag, NULL, NULL, NULL, count(*)::int FROM person_tags t JOIN persons p ON p.id = t.person_id ${under('p')}
      AND t.ended_at IS NULL AND (p.status IS NULL OR p.status = '1') GROUP BY 2`);
  const m: Record<string, number> = {};
  const add = (k: string, n: number) => (m[k] = (m[k] ?? 0) + n);
  for (const x of r) {
    switch (x.t) {
      case 'p':
        add('people', x.n);
        if (x.a) add(`pop:${x.a}`, x.n);
        if (x.b) add(`sex:${x.b}`, x.n);
        if (x.c === 'true') add('party', x.n);
        if (x.d) add(`birth:${x.d}`, x.n);
        break;
      case 'h': add('households', x.n); if (x.a) add(`hhkind:${x.a}`, x.n); break;
      case 'o': add('houses', x.n); if (x.b === 'true') add('houses_rented', x.n); if (x.a) add(`house_use:${x.a}`, x.n); break;
      case 'g': add('orgs', x.n); if (x.a) add(`org:${x.a}`, x.n); break;
      case 'f': add('facilities', x.n); if (x.a) add(`facility:${x.a}`, x.n); break;
      case 'c': add('compounds', x.n); break;
      case 'b': add('buildings', x.n); break;
      case 't': add(`tag:${x.a}`, x.n); break;
    }
  }
  return m;
}

const nonZero = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b)));

function sameFigures(a: Record<string, number>, b: Record<string, number>): string | null {
  const [x, y] = [nonZero(a), nonZero(b)];
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (x[k] !== y[k]) return `${k}: roll-up ${x[k] ?? 0}, GROUP BY ${y[k] ?? 0}`;
  return null;
}

/** The port's search without the index that serves it (same joins, output, order and limit). */
async function naiveSearch(db: Db, crypto: FieldCrypto, scope: AreaScope, kind: SearchKind, value: string): Promise<string[]> {
  const cond: SQL = kind === 'name' ? sql`t.name LIKE ${nameLikePattern(value)}`
    : kind === 'pinyin' ? sql`(t.name_py || '') LIKE ${value.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`
      : kind === 'id' ? sql`(t.id_no_bidx || '') = ${crypto.blindIndex(value)}`
        : sql`(t.phone_bidx || '') = ${crypto.blindIndex(value)}`;
  // The port's order (registry.repo searchOrder), the pinyin one written so that the index holding it cannot serve it.
  const order = kind === 'pinyin' ? sql`(t.name_py || '') USING ~<~, t.name, t.id` : sql`(t.name = ${value}) DESC, t.name, t.id`;
  const r = await rows<{ id: string }>(db, sql`SELECT t.id::text, t.name, t.sex, t.birth_date::text AS birth_date, t.id_no_masked AS id_no, t.phone_masked AS phone,
      t.current_address AS address, t.pop_type, t.grid_id::text, g.name_zh AS grid_name, t.household_id::text,
      (SELECT array_agg(pt.tag ORDER BY pt.tag) FROM person_tags pt JOIN tag_defs d ON d.code = pt.tag WHERE pt.person_id = t.id AND pt.ended_at IS NULL) AS tags
    FROM persons t JOIN areas g ON g.id = t.grid_id
    WHERE ${cond} AND g.path <@ ${scope.paths[0]!}::ltree
    ORDER BY ${order} LIMIT ${LIMIT}`);
  return r.map((x) => x.id);
}

/** Completeness in one GROUP BY pass per table over the grids (the port runs correlated counts per grid). */
async function groupedCompleteness(db: Db, gridIds: string[]): Promise<Map<string, Omit<GridCompleteness, 'code' | 'name' | 'houseShare' | 'householdShare' | 'fieldShare' | 'score'>>> {
  const ids = sql.raw(gridIds.map(Number).join(', '));
  const fill = LEDGER_SPECS.persons.fields.filter((f) => f.fill && !f.derived)
    .map((f) => sql.raw(`p."${columnOf(f.key)}${f.type === 'idno' || f.type === 'phone' ? '_bidx' : ''}" IS NOT NULL`));
  const r = await rows<{ id: string; houses: number; hw: number; hh: number; hhm: number; people: number; complete: number }>(db, sql`
    WITH h AS (SELECT h.grid_id, count(*)::int AS houses, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM households x WHERE x.house_id = h.id))::int AS hw
        FROM houses h WHERE h.grid_id IN (${ids}) AND (h.use IS NULL OR h.use = '10') GROUP BY 1),
      x AS (SELECT x.grid_id, count(*)::int AS hh, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM persons p WHERE p.household_id = x.id))::int AS hhm
        FROM households x WHERE x.grid_id IN (${ids}) GROUP BY 1),
      p AS (SELECT p.grid_id, count(*)::int AS people, count(*) FILTER (WHERE ${sql.join(fill, sql` AND `)})::int AS complete
        FROM persons p WHERE p.grid_id IN (${ids}) AND (p.status IS NULL OR p.status = '1') GROUP BY 1)
    SELECT a.id::text, coalesce(h.houses, 0) AS houses, coalesce(h.hw, 0) AS hw, coalesce(x.hh, 0) AS hh, coalesce(x.hhm, 0) AS hhm,
      coalesce(p.people, 0) AS people, coalesce(p.complete, 0) AS complete
    FROM areas a LEFT JOIN h ON h.grid_id = a.id LEFT JOIN x ON x.grid_id = a.id LEFT JOIN p ON p.grid_id = a.id WHERE a.id IN (${ids})`);
  return new Map(r.map((x) => [x.id, { gridId: x.id, houses: x.houses, housesWithHouseholds: x.hw, households: x.hh, householdsWithMembers: x.hhm, people: x.people, peopleComplete: x.complete }]));
}

// ── EXPLAIN of the port's own statements ──────────────────────────────────────

/** The port's statement for `call`, taken on a recorder, then EXPLAIN (ANALYZE, BUFFERS) on the real database. */
async function explainPort(db: Db, crypto: FieldCrypto, call: (port: RegistryPort) => Promise<unknown>): Promise<string> {
  const dialect = new PgDialect();
  let taken: { sql: string; params: unknown[] } | null = null;
  const recorder = { execute: async (q: SQL) => ((taken ??= dialect.sqlToQuery(q)), { rows: [] }) };
  await call(registryRepo(recorder as unknown as Db, crypto)).catch(() => undefined);
  if (!taken) return '(no statement)';
  const q = taken as { sql: string; params: unknown[] };
  const client = (db as unknown as { $client: { query(text: string, params: unknown[]): Promise<{ rows: Record<string, string>[] }> } }).$client;
  const r = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params.map((v) => (v instanceof Date ? v.toISOString() : v)));
  return r.rows.map((x) => Object.values(x)[0]).join('\n');
}

// ── The run ───────────────────────────────────────────────────────────────────

async function run(): Promise<BenchResult> {
  const scale = option('scale', 0.1);
  const seed = option('seed', 20261201);
  const engine = await openEngine();
  const log = (s: string) => console.log(s);
  console.log(`scale ${scale} (--scale 1 ≈ 1.4M people; default 0.1); engine: ${engine.version}`);
  try {
    const crypto = new FieldCrypto(randomBytes(32));
    const at = new Date();
    const db = engine.database.db;
    const port = registryRepo(db, crypto);
    const gen = await generateDistrict(engine.database, { scale, seed, crypto, at, today: civilToday(at, TZ), log });
    const figures: Figure[] = [];
    const checks: string[] = [];
    const loadBefore = os.loadavg();
    const roundTrip: number[] = [];
    for (let i = 0; i < 200; i++) roundTrip.push((await time(() => db.execute(sql`SELECT 1`)))[1]);

    // ── Correctness: grid_stats against the rows ──
    const [totals] = await rows<{ people: number; stats: number }>(db, sql`SELECT (SELECT count(*)::int FROM persons WHERE status IS NULL OR status = '1') AS people,
      (SELECT coalesce(sum(n), 0)::int FROM grid_stats WHERE metric = 'people' AND grid_id = ${Number(gen.districtId)}) AS stats`);
    if (totals!.people !== totals!.stats) throw new Error(`grid_stats people ${totals!.stats} ≠ ${totals!.people} people in the rows`);
    const nodes = [{ id: gen.districtId, path: gen.districtPath }, ...gen.streets.flatMap((s) => [{ id: s.id, path: s.path }, ...s.communities])];
    for (const n of nodes) {
      const [ours, naive] = [(await port.rollup([n.id])).get(n.id)!, await naiveRollup(db, n.path)];
      const diff = sameFigures(ours, naive);
      if (diff) throw new Error(`roll-up of area ${n.id} disagrees with the GROUP BY: ${diff}`);
    }
    checks.push(`roll-up = GROUP BY for the district, ${gen.streets.length} streets and ${nodes.length - 1 - gen.streets.length} communities (every figure); grid_stats people = ${totals!.people.toLocaleString('en-US')} rows`);
    log(`check: ${checks.at(-1)}`);

    // ── 1. Roll-up of a street ──
    const [, naiveOnce] = await time(() => naiveRollup(db, gen.streets[0]!.path));
    const rounds = Math.max(3, Math.min(15, Math.floor(40_000 / (naiveOnce * gen.streets.length))));
    const rollOurs: number[] = [];
    const rollNaive: number[] = [];
    const sumOurs: number[] = [];
    const sumNaive: number[] = [];
    for (const s of gen.streets) for (let i = 0; i < 5; i++) await port.rollup([s.id]); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const s of gen.streets) {
        const ours = async () => {
          for (let k = 0; k < 10; k++) rollOurs.push((await time(() => port.rollup([s.id])))[1]);
        };
        const naive = async () => rollNaive.push((await time(() => naiveRollup(db, s.path)))[1]);
        if (r % 2 === 0) { await ours(); await naive(); } else { await naive(); await ours(); }
      }
    }
    // The summary page: the street and each community below it, in one call; naive = one GROUP BY per node.
    for (let r = 0; r < Math.max(2, Math.floor(rounds / 2)); r++) {
      for (const s of gen.streets) {
        const ids = [s.id, ...s.communities.map((c) => c.id)];
        for (let k = 0; k < 5; k++) sumOurs.push((await time(() => port.rollup(ids)))[1]);
        sumNaive.push((await time(async () => { for (const p of [s.path, ...s.communities.map((c) => c.path)]) await naiveRollup(db, p); }))[1]);
      }
    }
    const roll = { ours: stat(rollOurs), base: stat(rollNaive) };
    const rollMet = roll.ours.p95 <= GOALS.rollupP95Ms && roll.base.p50 / roll.ours.p50 >= GOALS.rollupRatio;
    figures.push({
      figure: 'roll-up of a street (ms)', ours: roll.ours, baseline: roll.base, ratio: ratioOf(roll.ours, roll.base),
      goal: `p95 ≤ ${GOALS.rollupP95Ms} ms, ≥ ${GOALS.rollupRatio}×`, met: rollMet,
      ...(rollMet ? {} : { plan: await explainPort(db, crypto, (p) => p.rollup([gen.streets[0]!.id])) }),
    });
    const sum = { ours: stat(sumOurs), base: stat(sumNaive) };
    figures.push({ figure: 'summary page: street + its communities (ms)', ours: sum.ours, baseline: sum.base, ratio: ratioOf(sum.ours, sum.base) });

    // ── 2. People search ──
    const district: AreaScope = { paths: [gen.districtPath] };
    const common = await rows<{ name: string }>(db, sql`SELECT name FROM persons WHERE char_length(name) = 2 GROUP BY name ORDER BY count(*) DESC, name LIMIT 10`);
    const rnd = (() => { let a = seed >>> 0; return () => ((a = (a * 1664525 + 1013904223) >>> 0) / 4294967296); })();
    const sample = <T>(xs: T[], n: number) => { const c = [...xs]; const out: T[] = []; while (out.length < n && c.length) out.push(c.splice(Math.floor(rnd() * c.length), 1)[0]!); return out; };
    const s2 = [...new Set(gen.samples.map((s) => s.name).filter((n) => [...n].length === 2))];
    const s3 = [...new Set(gen.samples.map((s) => s.name).filter((n) => [...n].length === 3))];
    const kinds: { label: string; kind: SearchKind; values: string[] }[] = [
      { label: 'two-character name (10 most common + 20 sampled)', kind: 'name', values: [...common.map((c) => c.name), ...sample(s2, 20)] },
      { label: 'three-character name', kind: 'name', values: sample(s3, 20) },
      { label: 'pinyin initials (2–3 letters)', kind: 'pinyin', values: [...new Set(sample(gen.samples, 40).map((s) => pinyinInitials(s.name)).filter((p) => p.length >= 2).map((p) => p.slice(0, 2 + Math.floor(rnd() * 2))))].slice(0, 20) },
      { label: 'ID number (blind index)', kind: 'id', values: sample(gen.samples, 20).map((s) => s.idNo) },
      { label: 'phone (blind index)', kind: 'phone', values: sample(gen.samples, 20).map((s) => s.phone) },
    ];
    const timeSearch = async (k: (typeof kinds)[number]) => {
      const ours: number[] = [];
      for (let r = 0; r < 3; r++) for (const v of k.values) for (let i = 0; i < 3; i++) ours.push((await time(() => port.search(district, k.kind, v, LIMIT, true)))[1]);
      return stat(ours);
    };
    const searchFigure = async (k: (typeof kinds)[number], o: Stat, base: Stat, label: string): Promise<Figure> => {
      const met = o.p95 <= GOALS.searchP95Ms;
      let plan: string | undefined;
      if (!met) {
        // The slowest value's plan.
        let worst = k.values[0]!;
        let worstMs = 0;
        for (const v of k.values) { const [, ms] = await time(() => port.search(district, k.kind, v, LIMIT, true)); if (ms > worstMs) [worst, worstMs] = [v, ms]; }
        plan = `${k.kind} "${worst}":\n` + (await explainPort(db, crypto, (p) => p.search(district, k.kind, worst, LIMIT, true)));
      }
      return { figure: `search: ${label} (ms)`, ours: o, baseline: base, ratio: ratioOf(o, base), goal: `p95 ≤ ${GOALS.searchP95Ms} ms`, met, ...(plan ? { plan } : {}) };
    };
    const baselines = new Map<string, Stat>();
    for (const k of kinds) {
      const base: number[] = [];
      for (const v of k.values) {
        const [expect, ms] = await time(() => naiveSearch(db, crypto, district, k.kind, v));
        base.push(ms);
        const got = (await port.search(district, k.kind, v, LIMIT, true)).map((h) => h.id);
        if (got.join() !== expect.join()) throw new Error(`search ${k.kind} "${v}": the port found ${got.length} people, the baseline ${expect.length} (or in another order)`);
        if (got.length === 0 && k.kind !== 'pinyin') throw new Error(`search ${k.kind} "${v}" found nobody: the sample should exist`);
      }
      baselines.set(k.label, stat(base));
      figures.push(await searchFigure(k, await timeSearch(k), stat(base), k.label));
    }
    checks.push(`${kinds.reduce((s, k) => s + k.values.length, 0)} searches: the port and the index-free baseline return the same people in the same order`);
    log(`check: ${checks.at(-1)}`);
    // The GIN indexes keep new entries in a pending list (fastupdate) that every search reads in full
    // until VACUUM, autovacuum or gin_clean_pending_list merges it; PGlite has no autovacuum at all.
    const gin = await rows<{ name: string }>(db, sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'persons' AND indexdef ILIKE '%USING gin%' ORDER BY 1`);
    let pendingPages = 0;
    for (const i of gin) pendingPages += Number((await rows<{ n: string }>(db, sql`SELECT gin_clean_pending_list(${i.name}::regclass)::text AS n`))[0]!.n);
    log(`GIN pending lists of ${gin.map((i) => i.name).join(', ')} merged: ${pendingPages} pages (${fmt((pendingPages * 8) / 1024)} MB) had been read by every search`);
    for (const k of kinds.filter((x) => x.kind === 'name')) {
      figures.push(await searchFigure(k, await timeSearch(k), baselines.get(k.label)!, `${k.label}, GIN pending list merged`));
    }

    // ── 3a. Completeness ──
    const compOurs: number[] = [];
    const compBase: number[] = [];
    for (let r = 0; r < 3; r++) {
      for (const s of gen.streets) {
        const [a, ms] = await time(() => port.completeness(s.grids));
        const [b, msb] = await time(() => groupedCompleteness(db, s.grids));
        compOurs.push(ms);
        compBase.push(msb);
        if (r === 0) {
          for (const c of a) {
            const x = b.get(c.gridId)!;
            const mine = { gridId: c.gridId, houses: c.houses, housesWithHouseholds: c.housesWithHouseholds, households: c.households, householdsWithMembers: c.householdsWithMembers, people: c.people, peopleComplete: c.peopleComplete };
            if (JSON.stringify(mine) !== JSON.stringify(x)) throw new Error(`completeness of grid ${c.gridId} disagrees: ${JSON.stringify(mine)} vs ${JSON.stringify(x)}`);
          }
        }
      }
    }
    checks.push('completeness: the port and the GROUP BY agree for every grid');
    log(`check: ${checks.at(-1)}`);
    const comp = { ours: stat(compOurs), base: stat(compBase) };
    figures.push({ figure: "completeness of a street's grids (ms)", ours: comp.ours, baseline: comp.base, ratio: ratioOf(comp.ours, comp.base) });
    const allGrids = gen.streets.flatMap((s) => s.grids);
    const mapOurs: number[] = [];
    const mapBase: number[] = [];
    for (let r = 0; r < 3; r++) {
      mapOurs.push((await time(() => registryUseCases.gridFigures({ registry: port }, allGrids)))[1]);
      mapBase.push((await time(async () => { await groupedCompleteness(db, allGrids); await port.rollup(allGrids); }))[1]);
    }
    const map = { ours: stat(mapOurs), base: stat(mapBase) };
    figures.push({
      figure: `grid-map figures of the district, ${allGrids.length} grids (ms)`, ours: map.ours, baseline: map.base, ratio: ratioOf(map.ours, map.base),
      plan: await explainPort(db, crypto, (p) => p.completeness(gen.streets[0]!.grids)),
    });

    // ── 4. What the proposals in the report would give, on this throw-away database (the repository is unchanged) ──
    // (a) Counters per area (one row per figure for a street's roll-up) are what the port reads since migration 0006.
    // (b) The grid map from counters: completeness kept in grid_stats (three more metrics) and only the map's
    // metrics read, instead of every metric of every grid (birth years are most of them) plus the completeness scans.
    const compAll: number[] = [];
    const mapFromCounters: number[] = [];
    const gridList = sql.raw(allGrids.map(Number).join(', '));
    for (let r = 0; r < 3; r++) {
      compAll.push((await time(() => registryUseCases.gridFigures({ registry: port }, allGrids)))[1]);
      for (let k = 0; k < 3; k++) {
        mapFromCounters.push((await time(() => rows(db, sql`SELECT grid_id::text, metric, n::float8 AS n FROM grid_stats
          WHERE grid_id IN (${gridList}) AND (metric IN ('people', 'households', 'party', 'houses') OR metric LIKE 'tag:%')`)))[1]);
      }
    }
    figures.push({ figure: `proposal: grid-map figures of ${allGrids.length} grids from counters (ms; baseline = the port today)`, ours: stat(mapFromCounters), baseline: stat(compAll), ratio: ratioOf(stat(mapFromCounters), stat(compAll)) });

    // ── 5. Writing people through the port's insert (new rows in one grid, after every check), with the GIN settings proposed ──
    const [g] = await rows<{ id: string; district: string }>(db, sql`SELECT id::text, district_id::text AS district FROM areas WHERE id = ${Number(gen.streets[0]!.grids[0])}`);
    const names = gen.samples.map((x) => x.name);
    const newPeople = (n: number, from: number): NewRecord[] => Array.from({ length: n }, (_, i) => ({
      gridId: g!.id, districtId: g!.district,
      values: { name: names[(from + i) % names.length]!, popType: '1', sex: i % 2 ? '1' : '2', phone: `139${String(from + i).padStart(8, '0')}`,
        currentAddress: `成华区压测街道压测社区压测花园${(from + i) % 40}栋${(i % 3) + 1}单元${(i % 30) + 1}01室`, status: '1' },
    }));
    const N = 20_000; // enough for the default 4 MB pending lists to be flushed on the way
    const write = async (from: number) => {
      const recs = newPeople(N, from);
      for (let i = 0; i < N; i += 2_000) await port.insert('persons', recs.slice(i, i + 2_000), at, null);
    };
    // The pending lists were merged above: each write starts from an empty one.
    const [, defaultMs] = await time(() => write(0));
    for (const i of gin) await db.execute(sql`SELECT gin_clean_pending_list(${i.name}::regclass)`);
    for (const i of gin) await db.execute(sql`ALTER INDEX ${sql.raw(`"${i.name}"`)} SET (gin_pending_list_limit = 256)`);
    const [, smallMs] = await time(() => write(N));
    for (const i of gin) await db.execute(sql`ALTER INDEX ${sql.raw(`"${i.name}"`)} SET (fastupdate = off)`);
    const [, offMs] = await time(() => write(2 * N));
    const perRow = (ms: number): Stat => ({ n: N, p50: (ms / N) * 1000, p95: (ms / N) * 1000, max: (ms / N) * 1000 });
    figures.push({ figure: `write ${N} people through the port's insert, µs per row (GIN pending list ≤ 4 MB, the default)`, ours: perRow(defaultMs), baseline: null, ratio: null });
    figures.push({ figure: 'proposal: the same with GIN pending lists ≤ 256 kB (baseline = default)', ours: perRow(smallMs), baseline: perRow(defaultMs), ratio: defaultMs / smallMs });
    figures.push({ figure: 'proposal: the same with GIN fastupdate off (baseline = default)', ours: perRow(offMs), baseline: perRow(defaultMs), ratio: defaultMs / offMs });

    // ── Report ──
    console.log(`\n${engine.version}; ${gen.grids} grids; ${Object.entries(gen.counts).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ')}`);
    console.log(`load: areas ${fmt(gen.seconds.areas)} s, registry ${fmt(gen.seconds.registry)} s (${fmt((gen.counts.persons ?? 0) / gen.seconds.registry)} people/s; planning ${fmt(gen.seconds.planning)} s of it, overlapped with the writes), ANALYZE ${fmt(gen.seconds.analyze)} s; peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
    console.log(`machine load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (at the start of the measurements ${loadBefore.map((x) => x.toFixed(1)).join(' ')}); ` +
      `one round trip (SELECT 1) p50 ${fmt(stat(roundTrip).p50)} ms, p95 ${fmt(stat(roundTrip).p95)} ms`);
    console.log(`roll-up: ${rounds} rounds × ${gen.streets.length} streets (10 port calls and 1 GROUP BY each); search: district scope, top ${LIMIT}; ratio = baseline p50 / ours p50\n`);
    console.log(table(['figure', 'ours p50', 'ours p95', 'baseline p50', 'baseline p95', 'ratio', 'goal'], figures.map((x) => [
      x.figure, fmt(x.ours.p50), fmt(x.ours.p95), fmt(x.baseline?.p50), fmt(x.baseline?.p95), x.ratio === null ? 'n/a' : `${fmt(x.ratio)}×`,
      x.goal ? `${x.met ? 'met' : 'MISSED'} (${x.goal})` : '',
    ])));
    for (const x of figures) if (x.plan && (x.met === false || x.figure.startsWith('grid-map'))) console.log(`\n-- ${x.figure}: EXPLAIN ANALYZE of the port's statement\n${x.plan}`);
    for (const c of checks) console.log(`check: ${c}`);

    return {
      json: {
        scale, engine: engine.kind, version: engine.version, counts: gen.counts, grids: gen.grids, streets: gen.streets.length,
        loadSeconds: gen.seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, rollupRounds: rounds, goals: GOALS, checks,
        loadAverage: { start: loadBefore, end: os.loadavg() }, roundTripMs: stat(roundTrip), ginPendingPages: pendingPages,
        figures: figures.map(({ plan, ...f }) => ({ ...f, ...(plan && f.met === false ? { plan } : {}) })),
      },
    };
  } finally {
    await engine.close();
  }
}

export const registryBench: BenchModule = {
  name: 'registry',
  description: 'registry at district scale (成华区): street roll-up via grid_stats vs GROUP BY, people search vs unindexed, completeness, writes',
  run,
};

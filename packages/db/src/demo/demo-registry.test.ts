import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { LEDGER_SPECS, type LedgerKey } from '@wangge/contracts';
import {
  codeLookup, FakeClock, maskIdNumber, parseIdNumber, parseUscc, validateValues, type PasswordHasher, type RegistryPort, type ValueContext, type Values,
} from '@wangge/core';
import { openTestDatabase } from '../testing.ts';
import { rows } from '../connection/open.ts';
import { FieldCrypto } from '../crypto/field-crypto.ts';
import { idAreaChecker } from '../areas/division-source.ts';
import { loadDicts, seedRegistryReference } from '../registry/registry-seed.ts';
import { portsOn } from '../repos/store.ts';
import { DEMO, loadDemo } from './demo.ts';
import { addDays, civilToday, demoRegistryInput, demoRegistryPlan, loadDemoRegistry, type DemoRegistryInput, type DemoRegistryPlan, type DemoRegistryResult } from './demo-registry.ts';

const crypto = new FieldCrypto(randomBytes(32));
const hasher: PasswordHasher = { hash: async (p) => 'h:' + p, verify: async (h, p) => h === 'h:' + p };
const clock = new FakeClock('2026-03-02T02:00:00.000Z');
const TZ = 'Asia/Shanghai';
const today = civilToday(clock.now(), TZ);

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let reg: RegistryPort;
let result: DemoRegistryResult;
let loadMs: number;
let input: DemoRegistryInput;
let plan: DemoRegistryPlan;
let gridIds: string[];
let streetPath: string;

const one = async <T>(q: ReturnType<typeof sql>) => (await rows<T>(database.db, q))[0]!;
const count = async (q: ReturnType<typeof sql>) => (await one<{ n: number }>(q)).n;

beforeAll(async () => {
  database = await openTestDatabase({ queryTimeoutMs: 120_000 });
  await loadDemo(database, { hasher, clock, crypto });
  await seedRegistryReference(database.db);
  input = await demoRegistryInput(database.db, today);
  plan = demoRegistryPlan(input);
  const t = performance.now();
  result = await loadDemoRegistry(database, { crypto, clock, timeZone: TZ });
  loadMs = performance.now() - t;
  reg = portsOn(database.db, crypto).registry;
  gridIds = input.grids.map((g) => g.id);
  streetPath = (await one<{ path: string }>(sql`SELECT path::text FROM areas WHERE code = ${DEMO.streetCode}`)).path;
});
afterAll(async () => {
  await database?.drop();
});

describe('loadDemoRegistry', () => {
  it('writes houses in every demo building, households in most homes and 2–4 people in most households', async () => {
    expect(await count(sql`SELECT count(*)::int AS n FROM buildings b WHERE NOT EXISTS (SELECT 1 FROM houses h WHERE h.building_id = b.id)`)).toBe(0);
    expect(result.houses).toBeGreaterThan(3000);
    expect(result.households).toBeGreaterThan(2000);
    expect(result.persons).toBeGreaterThan(5000);
    expect(result.compounds).toBeGreaterThan(2);
    expect(result.units).toBe(input.buildings.length);
    expect(result.organisations).toBeGreaterThan(50);
    expect(result.facilities).toBeGreaterThanOrEqual(38 * 4);
    expect(result.tags).toBeGreaterThan(100);
    // What it reports is what is stored.
    const stored = await one<Record<string, number>>(sql`SELECT (SELECT count(*)::int FROM compounds) AS compounds, (SELECT count(*)::int FROM building_units) AS units,
      (SELECT count(*)::int FROM houses) AS houses, (SELECT count(*)::int FROM households) AS households, (SELECT count(*)::int FROM persons) AS persons,
      (SELECT count(*)::int FROM person_tags) AS tags, (SELECT count(*)::int FROM organisations) AS organisations, (SELECT count(*)::int FROM facilities) AS facilities`);
    expect(stored).toEqual(result);
    // Homes without a household exist (房不漏户 is not 100%), but they are the minority.
    const homes = await one<{ all: number; lived: number }>(sql`SELECT count(*)::int AS all, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM households x WHERE x.house_id = h.id))::int AS lived FROM houses h WHERE h.use = '10'`);
    expect(homes.lived / homes.all).toBeGreaterThan(0.6);
    expect(homes.lived / homes.all).toBeLessThan(0.98);
    // Sizes: 2–4 in most households; one-person households are elderly people living alone.
    const sizes = await rows<{ n: number; households: number }>(database.db, sql`SELECT n, count(*)::int AS households FROM
      (SELECT count(*)::int AS n FROM persons GROUP BY household_id) s GROUP BY n ORDER BY n`);
    const total = sizes.reduce((s, x) => s + x.households, 0);
    expect(sizes.every((s) => s.n >= 1 && s.n <= 4)).toBe(true);
    expect(sizes.filter((s) => s.n >= 2).reduce((s, x) => s + x.households, 0) / total).toBeGreaterThan(0.9);
    const alone = await rows<{ age: number; tagged: boolean }>(database.db, sql`SELECT extract(year FROM age(${today}::date, p.birth_date))::int AS age,
        EXISTS (SELECT 1 FROM person_tags t WHERE t.person_id = p.id AND t.tag = 'elderly_alone') AS tagged
      FROM persons p WHERE (SELECT count(*) FROM persons q WHERE q.household_id = p.household_id) = 1`);
    expect(alone.every((a) => a.age >= 70 && a.tagged)).toBe(true);
    expect(loadMs).toBeLessThan(60_000); // ~6–10 s on a quiet 2-core machine; a guard against a regression, not a benchmark
  });

  it('plans only values the registry’s own validation accepts unchanged', async () => {
    const knownArea = await idAreaChecker();
    const ctx: ValueContext = { codes: codeLookup(await loadDicts(database.db)), today, timeZone: TZ, knownIdArea: knownArea };
    const uuid = '00000000-0000-4000-8000-000000000000';
    const check = (ledger: LedgerKey, values: Values) => {
      const filled: Values = { ...values };
      // References are given when written (the parent's new id): any well-formed id here.
      for (const f of LEDGER_SPECS[ledger].fields) if (f.type === 'ref' && filled[f.key] === undefined) filled[f.key] = uuid;
      const { values: out, errors } = validateValues(ledger, filled, ctx, 'create');
      expect(errors, `${ledger} ${JSON.stringify(values)}`).toEqual([]);
      for (const [k, v] of Object.entries(filled)) expect(out[k], `${ledger}.${k}`).toEqual(v);
    };
    const records: [LedgerKey, Values][] = [
      ...plan.compounds.map((c) => ['compounds', c.values] as [LedgerKey, Values]),
      ...plan.units.map((u) => ['units', u.values] as [LedgerKey, Values]),
      ...plan.houses.flatMap((h) => [
        ['houses', h.values] as [LedgerKey, Values],
        ...(h.household ? [['households', { householdNo: h.household.householdNo, kind: h.household.kind, address: h.values.address ?? null }] as [LedgerKey, Values]] : []),
        ...(h.household?.members ?? []).map((m) => ['persons', m.values] as [LedgerKey, Values]),
      ]),
      ...plan.organisations.map((o) => ['organisations', o.values] as [LedgerKey, Values]),
      ...plan.facilities.map((f) => ['facilities', f.values] as [LedgerKey, Values]),
    ];
    for (const [ledger, values] of records) check(ledger, values);
    expect(records.length).toBeGreaterThan(10_000);
  });

  it('is deterministic: the same street gives the same registry', () => {
    const strip = (p: DemoRegistryPlan) => JSON.stringify(p);
    expect(strip(demoRegistryPlan(input))).toBe(strip(plan));
  });

  it('gives every household with members exactly one head (户主)', async () => {
    const heads = await rows<{ heads: number }>(database.db, sql`SELECT count(*) FILTER (WHERE relation = '02')::int AS heads FROM persons GROUP BY household_id`);
    expect(heads.length).toBeGreaterThan(2000);
    expect(heads.every((h) => h.heads === 1)).toBe(true);
    // Some households were registered without their members yet (户不漏项 lags behind).
    const empty = await count(sql`SELECT count(*)::int AS n FROM households x WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.household_id = x.id)`);
    expect(empty).toBeGreaterThan(0);
    expect(empty / result.households).toBeLessThan(0.1);
    // The head is in residence and named in the household list.
    expect((await reg.list('households', { paths: [streetPath] }, { equals: {}, page: 1, pageSize: 5 })).items.some((h) => typeof h.values.headName === 'string')).toBe(true);
  });

  it('stores valid GB 11643 ID numbers, encrypted with their blind index and mask, unique in the district', async () => {
    const knownArea = await idAreaChecker();
    const people = await rows<{ id_type: string | null; enc: string | null; bidx: string | null; masked: string | null; birth: string; sex: string; pop: string }>(database.db, sql`
      SELECT id_type, id_no_enc AS enc, id_no_bidx AS bidx, id_no_masked AS masked, birth_date::text AS birth, sex, pop_type AS pop FROM persons`);
    const seen = new Set<string>();
    let resident = 0;
    for (const p of people) {
      if (p.enc === null) {
        expect(p.bidx).toBeNull();
        continue;
      }
      const v = crypto.decrypt(p.enc);
      expect(crypto.blindIndex(v)).toBe(p.bidx);
      expect(seen.has(v)).toBe(false);
      seen.add(v);
      if (p.id_type !== '111') {
        expect(p.pop).toBe('3'); // passports of foreign nationals
        continue;
      }
      resident++;
      const parsed = parseIdNumber(v, { today, timeZone: TZ, knownAreaPrefix: knownArea });
      expect(parsed.ok, v).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.birthDate).toBe(p.birth);
      expect(parsed.sex).toBe(p.sex);
      expect(p.masked).toBe(maskIdNumber(v));
    }
    expect(resident / people.length).toBeGreaterThan(0.97);
    // Registered residents mostly from 汉中 (6107xx); floating residents from other provinces too.
    const areas = people.filter((p) => p.id_type === '111').map((p) => crypto.decrypt(p.enc!).slice(0, 6));
    expect(areas.filter((a) => a.startsWith('6107')).length / areas.length).toBeGreaterThan(0.7);
    expect(new Set(areas.map((a) => a.slice(0, 2))).size).toBeGreaterThan(5);
  });

  it('puts everyone in a demo grid: the grid of their household, house and building', async () => {
    const wrong = await count(sql`SELECT count(*)::int AS n FROM persons p JOIN households x ON x.id = p.household_id JOIN houses h ON h.id = x.house_id AND h.id = p.house_id
      JOIN buildings b ON b.id = h.building_id WHERE NOT (p.grid_id = x.grid_id AND x.grid_id = h.grid_id AND h.grid_id = b.grid_id)`);
    expect(wrong).toBe(0);
    expect(await count(sql`SELECT count(*)::int AS n FROM persons p WHERE NOT EXISTS (SELECT 1 FROM households x WHERE x.id = p.household_id)`)).toBe(0);
    for (const t of ['compounds', 'building_units', 'houses', 'households', 'persons', 'organisations', 'facilities', 'person_tags']) {
      const outside = await count(sql`SELECT count(*)::int AS n FROM ${sql.raw(t)} t WHERE t.grid_id::text NOT IN (SELECT id::text FROM areas WHERE level = 'grid' AND path <@ ${streetPath}::ltree)`);
      expect(outside, t).toBe(0);
    }
    // Facilities lie inside their grid's polygon.
    const facilities = await rows<{ grid_id: string; lon: number; lat: number }>(database.db, sql`SELECT grid_id::text, lon, lat FROM facilities`);
    const byId = new Map(input.grids.map((g) => [g.id, g] as const));
    expect(facilities.every((f) => booleanPointInPolygon([f.lon, f.lat], byId.get(f.grid_id)!.geometry as never))).toBe(true);
  });

  it('keeps grid_stats equal to what the rows say, grid by grid', async () => {
    const stats = await rows<{ grid_id: string; metric: string; n: number }>(database.db, sql`SELECT grid_id::text, metric, n::int FROM grid_stats WHERE metric IN ('people', 'households', 'houses', 'party', 'orgs')`);
    const stat = (g: string, m: string) => stats.find((s) => s.grid_id === g && s.metric === m)?.n ?? 0;
    const actual = await rows<{ grid_id: string; people: number; party: number }>(database.db, sql`SELECT grid_id::text, count(*)::int AS people,
      count(*) FILTER (WHERE political IN ('01', '02'))::int AS party FROM persons WHERE status IS NULL OR status = '1' GROUP BY grid_id`);
    expect(actual).toHaveLength(38);
    for (const a of actual) {
      expect(stat(a.grid_id, 'people'), a.grid_id).toBe(a.people);
      expect(stat(a.grid_id, 'party'), a.grid_id).toBe(a.party);
    }
    const hh = await rows<{ grid_id: string; n: number }>(database.db, sql`SELECT grid_id::text, count(*)::int AS n FROM households GROUP BY grid_id`);
    for (const h of hh) expect(stat(h.grid_id, 'households')).toBe(h.n);
    // People who moved out or died are in the registry but not counted.
    expect(await count(sql`SELECT count(*)::int AS n FROM persons WHERE status IN ('2', '3')`)).toBeGreaterThan(0);
    // The street's summary rolls the grids up.
    const street = (await one<{ id: string }>(sql`SELECT id::text FROM areas WHERE code = ${DEMO.streetCode}`)).id;
    const sums = (await reg.rollup([street])).get(street)!;
    expect(sums.people).toBe(actual.reduce((s, a) => s + a.people, 0));
    expect(sums.households).toBe(result.households);
    expect(sums.orgs).toBe(result.organisations);
  });

  it('gives each grid a completeness between 0 and 1, and not the same everywhere', async () => {
    const items = await reg.completeness(gridIds);
    expect(items).toHaveLength(38);
    for (const c of items) {
      for (const v of [c.houseShare, c.householdShare, c.fieldShare, c.score]) {
        expect(v).not.toBeNull();
        expect(v!).toBeGreaterThan(0);
        expect(v!).toBeLessThanOrEqual(1);
      }
    }
    const scores = items.map((c) => c.score!);
    expect(new Set(scores.map((s) => s.toFixed(3))).size).toBeGreaterThan(20);
    expect(Math.max(...scores) - Math.min(...scores)).toBeGreaterThan(0.1);
    // 户不漏项 is below 100% somewhere: some people miss a field.
    expect(items.some((c) => c.fieldShare! < 0.9)).toBe(true);
    expect(items.every((c) => c.fieldShare! < 1)).toBe(true);
  });

  it('looks like a real street: party members, ethnic groups, floating and foreign residents, common names', async () => {
    const s = await one<{ n: number; party: number; han: number; floating: number; foreign: number; left: number; two: number }>(sql`SELECT count(*)::int AS n,
      count(*) FILTER (WHERE political IN ('01', '02'))::int AS party, count(*) FILTER (WHERE ethnicity = '01')::int AS han,
      count(*) FILTER (WHERE pop_type = '2')::int AS floating, count(*) FILTER (WHERE pop_type = '3')::int AS foreign,
      count(*) FILTER (WHERE pop_type = '4')::int AS left, count(*) FILTER (WHERE char_length(name) = 2)::int AS two FROM persons`);
    expect(s.party / s.n).toBeGreaterThan(0.06);
    expect(s.party / s.n).toBeLessThan(0.085);
    expect(s.han / s.n).toBeGreaterThan(0.95);
    expect(s.floating / s.n).toBeGreaterThan(0.08);
    expect(s.floating / s.n).toBeLessThan(0.3);
    expect(s.foreign).toBeGreaterThan(0);
    expect(s.foreign / s.n).toBeLessThan(0.02);
    expect(s.left).toBeGreaterThan(0);
    expect(s.two / s.n).toBeGreaterThan(0.25);
    // Floating residents say why they came and where they live.
    expect(await count(sql`SELECT count(*)::int AS n FROM persons WHERE pop_type = '2' AND (inflow_reason IS NULL OR residence_type IS NULL)`)).toBe(0);
    // Namesakes: many two-character names are shared, and the search finds them all (张伟-like).
    const shared = await rows<{ name: string; n: number }>(database.db, sql`SELECT name, count(*)::int AS n FROM persons WHERE char_length(name) = 2 GROUP BY name HAVING count(*) >= 3 ORDER BY n DESC, name`);
    expect(shared.length).toBeGreaterThan(50);
    const top = shared[0]!;
    const hits = await reg.search({ paths: [streetPath] }, 'name', top.name, 100, true);
    expect(hits.filter((h) => h.name === top.name)).toHaveLength(Math.min(100, top.n));
  });

  it('tags people who need care with visits due around today, and a few special groups', async () => {
    const tags = await rows<{ tag: string; kind: string; n: number; min: string | null; max: string | null }>(database.db, sql`SELECT t.tag, d.kind, count(*)::int AS n,
      min(t.next_visit_on)::text AS min, max(t.next_visit_on)::text AS max FROM person_tags t JOIN tag_defs d ON d.code = t.tag GROUP BY t.tag, d.kind ORDER BY t.tag`);
    const care = tags.filter((t) => t.kind === 'care');
    const special = tags.filter((t) => t.kind === 'special');
    expect(care.map((t) => t.tag)).toEqual(expect.arrayContaining(['elderly_alone', 'disabled', 'low_income', 'left_behind_child']));
    const specialCount = special.reduce((s, t) => s + t.n, 0);
    expect(special.length).toBeGreaterThanOrEqual(3);
    expect(specialCount).toBeLessThan(care.reduce((s, t) => s + t.n, 0) / 5);
    for (const t of tags) {
      expect(t.min! >= addDays(today, -10), t.tag).toBe(true);
      expect(t.max! <= addDays(today, 90), t.tag).toBe(true);
    }
    // The worker's due list has visits for this week, some overdue.
    const due = await reg.dueVisits({ paths: [streetPath] }, addDays(today, 7), care.map((t) => t.tag), 1, 50);
    expect(due.total).toBeGreaterThan(20);
    expect(due.items.some((d) => d.nextVisitOn < today)).toBe(true);
  });

  it('registers organisations with valid unified social credit codes and facilities with unique codes', async () => {
    const orgs = await rows<{ uscc: string | null; kind: string }>(database.db, sql`SELECT uscc, kind FROM organisations`);
    expect(orgs.every((o) => o.uscc !== null && parseUscc(o.uscc).ok)).toBe(true);
    expect(new Set(orgs.map((o) => o.kind))).toEqual(new Set(['1', '2', '3']));
    const codes = await rows<{ code: string }>(database.db, sql`SELECT code FROM facilities`);
    expect(codes.every((c) => /^610702\d{10}$/.test(c.code))).toBe(true);
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
    // Some buildings belong to a compound.
    expect(await count(sql`SELECT count(*)::int AS n FROM buildings WHERE compound_id IS NOT NULL`)).toBeGreaterThan(10);
  });
});

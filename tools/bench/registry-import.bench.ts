/**
 * Registry import: N valid person rows (default 50,000; `--rows N`) imported through the import
 * engine (core + db, no HTTP), as .xlsx and as .csv, each beside a baseline measured in the same run.
 *
 * Data: N/3 households (户号 B000001…) imported first (timed, as context), then N people in them,
 * three per household (户主, 配偶, 子), with valid ID numbers of the demo district (birth date and
 * sex derived), codes written as labels (户籍人口, 汉族, 大学本科, 群众), a phone, an address and the
 * household as its 户号 — every row validated (GB 11643, code tables, the one-head rule, duplicates
 * in the file), matched against the ledger (by ID number, else name + birth date + household),
 * its ref resolved, its ID number and phone encrypted with blind indexes, written 1,000 per
 * transaction with the live per-grid counters (statement triggers) and one audit row per batch.
 *
 * Baselines: xlsx — exceljs' streaming reader alone over the same file (every row's values
 * touched); CSV — on PGlite, `COPY … FROM '/dev/blob'` of the same CSV into a plain table of text
 * columns in an in-process PGlite of the same version; on PostgreSQL (`--pg`), pg-copy-streams is
 * not installed, so the baseline is a multi-row INSERT (1,000 rows per statement) of the same rows
 * into a plain table through node-postgres — said so in the report. Goals from the issue: xlsx
 * ≥ 20,000 rows/s with validation; CSV ≥ 0.3× the raw COPY. Context on PGlite (not a baseline of a
 * goal): COPY of the same people already in their stored form into the real persons table (indexes,
 * foreign key, counters trigger) of an in-process PGlite — what the database alone costs per row.
 *
 * Order: households; people.xlsx (then rolled back: the rollback is timed as context); people.csv
 * (fresh inserts again); people.csv once more (all rows matched, unchanged: context). Checks: every
 * import done with no failed row, the people counted in persons and in the live counters, the
 * rollback leaving none, the audit chain verifying; the counters agree at every level of the area tree
 * (migration 0006 keeps them for every area above a record), and the COPY into persons counts every row.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { audit, checkDigit, maskIdNumber, nameGrams, pinyinInitials, registryImport, systemClock, type Actor, type ImportDeps, type ImportSource, type Store } from '@wangge/core';
import { createStore, FieldCrypto, idAreaChecker, loadDemo, maskPhone, migrationsFolder, openDatabase, rows, seedRegistryReference, type Database } from '@wangge/db';
import { loadConfig } from '../../apps/server/src/config.ts';
import { fastTestHasher } from '../../apps/server/src/hasher.ts';
import { domainDepsOf } from '../../apps/server/src/runtime.ts';
import { inspectXlsx, openCsv, openXlsx } from '../../apps/server/src/routes/registry.xlsx.ts';
import { fmt, interrupt, table, type BenchModule, type BenchResult } from './harness.ts';
import { PG, versions, withBenchDatabase } from './pg.ts';

const GOAL = { xlsxRowsPerSec: 20_000, csvRatio: 0.3 };
const GRID = '610702002001001';
const BATCH = 1_000;

function argValue(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return undefined;
}
const flag = (name: string) => process.argv.slice(2).includes(`--${name}`);

// ── Data ──────────────────────────────────────────────────────────────────────

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰志红梅文辉鹏飞宇浩然欣怡子涵梓轩一诺雨桐思远俊杰佳琪晨阳'];
const EDUCATION = ['大学本科', '研究生', '普通高中毕业', '初中毕业', '小学'];
const HEADER = ['姓名', '证件号码', '人口类型', '民族', '学历', '政治面貌', '联系电话', '所属户', '与户主关系', '现住址', '户籍地'];
const RELATIONS = ['户主', '配偶', '子'];

interface Rows {
  households: string[][];
  people: string[][];
}

function makeRows(n: number): Rows {
  const rnd = seeded(20260501);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const householdCount = Math.ceil(n / 3);
  const households = Array.from({ length: householdCount }, (_, i) => [`B${String(i + 1).padStart(6, '0')}`, '家庭户', `莲湖路 ${1 + (i % 300)} 号 ${1 + Math.floor(i / 300)} 室`]);
  const start = Date.UTC(1940, 0, 1);
  const people = Array.from({ length: n }, (_, i) => {
    const day = i % 27_000;
    const seq = 100 + Math.floor(i / 27_000);
    const d = new Date(start + day * 86_400_000);
    const birth = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
    const first17 = `610702${birth}${String(seq).padStart(3, '0')}`;
    const hh = households[Math.floor(i / 3)]!;
    return [
      pick(SURNAMES) + pick(GIVEN) + (rnd() < 0.5 ? pick(GIVEN) : ''), first17 + checkDigit(first17), '户籍人口', '汉族', pick(EDUCATION), '群众',
      `13${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`, hh[0]!, RELATIONS[i % 3]!, hh[2]!, '陕西省汉中市汉台区',
    ];
  });
  return { households, people };
}

const csvOf = (header: string[], data: string[][]) => [header, ...data].map((r) => r.join(',')).join('\r\n') + '\r\n';

async function writeXlsx(path: string, header: string[], data: string[][]) {
  // Shared strings, as Excel writes them (the reader then caches them and spools the sheet).
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('人口');
  ws.addRow(header).commit();
  for (const r of data) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

// ── Measurements ─────────────────────────────────────────────────────────────

interface Figure { rows: number; seconds: number; rowsPerSec: number }
const figure = (rowsN: number, ms: number): Figure => ({ rows: rowsN, seconds: ms / 1000, rowsPerSec: rowsN / (ms / 1000) });

/** exceljs' streaming reader alone: every row of the first sheet, its values touched. */
async function rawXlsxRead(path: string): Promise<Figure> {
  const t0 = performance.now();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  let n = 0;
  let chars = 0;
  for await (const ws of reader) {
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
      const v = row.values as unknown[];
      chars += v.length;
      n++;
    }
    break;
  }
  if (chars === 0) throw new Error('raw read saw no cells');
  return figure(n - 1, performance.now() - t0);
}

/** COPY of the CSV into a plain table of text columns, in an in-process PGlite. */
async function rawCopyPglite(csv: Buffer): Promise<Figure & { version: string }> {
  const db = await PGlite.create();
  try {
    await db.exec(`CREATE TABLE raw_persons (${HEADER.map((_, i) => `c${i} text`).join(', ')})`);
    const version = (await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;
    const t0 = performance.now();
    await db.query(`COPY raw_persons FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob: new Blob([new Uint8Array(csv)]) });
    const ms = performance.now() - t0;
    const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_persons')).rows[0]!.n;
    return { ...figure(n, ms), version };
  } finally {
    await db.close();
  }
}

/**
 * Context, not a baseline: COPY of the same people, already in their stored form (ID number and phone
 * encrypted with blind indexes and masks, name and address grams, pinyin, codes, birth date and sex
 * from the ID number), into the real persons table — its 10 indexes (2 GIN), the grid foreign key and
 * the counters' statement trigger — of an in-process PGlite with every migration applied, in one
 * statement. What the database alone costs per person row, with nothing validated or matched.
 */
async function copyIntoPersonsPglite(people: string[][]): Promise<Figure & { counted: number }> {
  const { ltree } = await import('@electric-sql/pglite/contrib/ltree');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto');
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const db = await PGlite.create({ extensions: { ltree, pg_trgm, pgcrypto, btree_gist } });
  try {
    await migrate(drizzle({ client: db }) as never, { migrationsFolder });
    let parent: number | null = null;
    let path = '';
    let districtId = 0;
    for (const [i, level] of ['province', 'city', 'district', 'street', 'community', 'grid'].entries()) {
      path = path ? `${path}.a${i}` : 'a0';
      const r: { rows: { id: number }[] } = await db.query(`INSERT INTO areas (parent_id, path, depth, level, code, name_zh) VALUES ($1, $2::ltree, $3, $4, $5, $6) RETURNING id`, [parent, path, i, level, `c${i}`, level]);
      parent = r.rows[0]!.id;
      if (level === 'district') districtId = parent;
    }
    const crypto = new FieldCrypto(randomBytes(32));
    const at = new Date().toISOString();
    const importId = randomUUID();
    const households = new Map<string, string>();
    const pgArray = (xs: string[]) => '{' + xs.map((x) => '"' + x.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"').join(',') + '}';
    const field = (v: string | null) => (v === null ? '' : '"' + v.replace(/"/g, '""') + '"');
    const cols = ['id', 'district_id', 'grid_id', 'import_id', 'created_at', 'updated_at', 'name', 'id_no_enc', 'id_no_bidx', 'id_no_masked', 'sex', 'birth_date', 'ethnicity', 'political', 'education',
      'phone_enc', 'phone_bidx', 'phone_masked', 'pop_type', 'household_id', 'relation', 'current_address', 'hukou_address', 'name_grams', 'name_py', 'address_grams'];
    const csv = people.map(([name, idNo, , , , , phone, hh, rel, address, hukou]) => {
      let household = households.get(hh!);
      if (!household) households.set(hh!, (household = randomUUID()));
      const birth = `${idNo!.slice(6, 10)}-${idNo!.slice(10, 12)}-${idNo!.slice(12, 14)}`;
      return [randomUUID(), String(districtId), String(parent), importId, at, at, name!, crypto.encrypt(idNo!), crypto.blindIndex(idNo!), maskIdNumber(idNo!), Number(idNo![16]) % 2 === 1 ? '1' : '2', birth, '01', '13', '20',
        crypto.encrypt(phone!), crypto.blindIndex(phone!), maskPhone(phone!), '1', household, rel === '户主' ? '02' : rel === '配偶' ? '10' : '20', address!, hukou!,
        pgArray(nameGrams(name!)), pinyinInitials(name!), pgArray(nameGrams(address!))].map(field).join(',');
    }).join('\n') + '\n';
    const t0 = performance.now();
    await db.query(`COPY persons (${cols.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
    const ms = performance.now() - t0;
    const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM persons')).rows[0]!.n;
    const counted = (await db.query<{ n: number }>(`SELECT coalesce(sum(n), 0)::int AS n FROM grid_stats WHERE metric = 'people' AND grid_id = $1`, [parent])).rows[0]!.n;
    return { ...figure(n, ms), counted };
  } finally {
    await db.close();
  }
}

/** The same rows by multi-row INSERT (1,000 per statement) into a plain table through node-postgres (no pg-copy-streams here). */
async function rawInsertPg(database: Database, data: string[][]): Promise<Figure> {
  await database.db.execute(sql.raw(`CREATE TABLE raw_persons (${HEADER.map((_, i) => `c${i} text`).join(', ')})`));
  const pool = (database.db as unknown as { $client: import('pg').Pool }).$client;
  const t0 = performance.now();
  for (let i = 0; i < data.length; i += 1000) {
    const part = data.slice(i, i + 1000);
    const params: string[] = [];
    const tuples = part.map((r) => `(${r.map((v) => { params.push(v); return `$${params.length}`; }).join(',')})`);
    await pool.query(`INSERT INTO raw_persons VALUES ${tuples.join(',')}`, params);
  }
  return figure(data.length, performance.now() - t0);
}

// ── The bench ─────────────────────────────────────────────────────────────────

async function actorOf(store: Store, username: string): Promise<Actor> {
  const u = await store.users.findByUsername(username);
  const grants = await store.users.grants(u!.id);
  return {
    userId: u!.id, username: u!.username, displayName: u!.displayName, locale: 'zh-CN', mustChangePassword: false, sessionId: null, ip: null, requestId: null,
    grants: grants.map((g) => ({ id: g.id, role: g.role, areaId: g.areaId, areaPath: g.areaPath })),
  };
}

async function withDatabase<T>(usePg: boolean, fn: (database: Database, describe: string) => Promise<T>): Promise<T> {
  if (!usePg) {
    const database = await openDatabase({ dataDir: null, timeZone: 'Asia/Shanghai', queryTimeoutMs: 600_000 });
    try {
      return await fn(database, 'PGlite (in memory, worker thread)');
    } finally {
      await database.close();
    }
  }
  return withBenchDatabase(async (b) => {
    const database = await openDatabase({ databaseUrl: `postgres://${PG.user}@${PG.host}:${PG.port}/${b.name}`, dataDir: null, timeZone: 'Asia/Shanghai', queryTimeoutMs: 600_000, poolSize: 4 });
    try {
      const { postgres } = await versions(b.pool(1), false);
      return await fn(database, `PostgreSQL ${postgres} on ${PG.host}:${PG.port}`);
    } finally {
      await database.close();
    }
  });
}

async function run(): Promise<BenchResult> {
  const n = Number(argValue('rows') ?? 50_000);
  if (!Number.isInteger(n) || n < 3) throw new Error(`--rows must be a whole number ≥ 3 (got ${argValue('rows')})`);
  const usePg = flag('pg');
  const tmp = mkdtempSync(join(os.tmpdir(), 'wangge-bench-import-'));
  try {
    const t0 = performance.now();
    const data = makeRows(n);
    const files = { households: join(tmp, 'households.csv'), xlsx: join(tmp, 'people.xlsx'), csv: join(tmp, 'people.csv') };
    writeFileSync(files.households, csvOf(['户号', '户别', '地址'], data.households));
    const csvText = csvOf(HEADER, data.people);
    writeFileSync(files.csv, csvText);
    await writeXlsx(files.xlsx, HEADER, data.people);
    const sizes = { xlsx: statSync(files.xlsx).size, csv: statSync(files.csv).size };
    console.log(`data: ${n.toLocaleString('en-US')} people in ${data.households.length.toLocaleString('en-US')} households; people.xlsx ${fmt(sizes.xlsx / 1e6)} MB, people.csv ${fmt(sizes.csv / 1e6)} MB (made in ${fmt((performance.now() - t0) / 1000)} s)`);

    return await withDatabase(usePg, async (database, engineName) => {
      const crypto = new FieldCrypto(randomBytes(32));
      await loadDemo(database, { hasher: fastTestHasher, clock: systemClock, crypto });
      await seedRegistryReference(database.db);
      const plain = createStore(database, crypto);
      // The same store, with the time spent in the registry port's insert (building and running its statement) counted, for the report.
      const inserts = { ms: 0, calls: 0 };
      const store: Store = {
        ...plain,
        transaction: (fn) => plain.transaction((tx) => fn({
          ...tx,
          registry: {
            ...tx.registry,
            insert: async (...args) => {
              const t = performance.now();
              try {
                return await tx.registry.insert(...args);
              } finally {
                inserts.ms += performance.now() - t;
                inserts.calls++;
              }
            },
          },
        })),
      };
      const config = loadConfig({ LOG_LEVEL: 'silent' });
      const base = domainDepsOf(config, store, systemClock, await idAreaChecker()).registry;
      const deps: ImportDeps = { ...base, store, batchSize: BATCH };
      const actor = await actorOf(store, 'street');
      const [grid] = await rows<{ id: string }>(database.db, sql`SELECT id::text FROM areas WHERE code = ${GRID}`);
      const count = async () => (await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM persons`))[0]!.n;
      // The counters are kept for every area above a record too (migration 0006): the people counted in the grids, after checking
      // that every level of the tree (grid, community, street, district, city, province) counts as many.
      const counted = async () => {
        const levels = await rows<{ level: string; n: number }>(database.db, sql`SELECT a.level, coalesce(sum(s.n), 0)::int AS n
          FROM grid_stats s JOIN areas a ON a.id = s.grid_id WHERE s.metric = 'people' GROUP BY a.level`);
        const grids = levels.find((l) => l.level === 'grid')?.n ?? 0;
        const off = levels.filter((l) => l.n !== grids);
        if (off.length > 0) throw new Error(`counters disagree between levels: ${levels.map((l) => `${l.level} ${l.n}`).join(', ')}`);
        return grids;
      };

      const importOnce = async (name: string, ledger: 'households' | 'persons', open: () => Promise<ImportSource>) => {
        if (interrupt.signal.aborted) throw new Error('interrupted');
        const start = performance.now();
        const cpu0 = process.cpuUsage();
        const insertMs = inserts.ms;
        const source = await open();
        const started = await registryImport.startImport(deps, actor, ledger, { areaId: grid!.id, fileName: name }, source);
        const outcome = await started.run();
        const ms = performance.now() - start;
        // CPU time of the whole process (the main thread and the database's worker thread): steadier than wall time on a shared machine.
        const cpu = process.cpuUsage(cpu0);
        const cpuSeconds = (cpu.user + cpu.system) / 1e6;
        const rec = (await store.registryImports.get(started.record.id, { errors: 'head' }))!;
        if (outcome.status !== 'done' || rec.failed > 0) {
          throw new Error(`${name}: ${outcome.status}, ${rec.failed} failed rows; first: ${JSON.stringify(rec.errors[0] ?? rec.message)}; ${String(outcome.unexpected ?? '')}`);
        }
        const inInsert = inserts.ms - insertMs;
        console.log(`  ${name}: ${rec.rowsDone.toLocaleString('en-US')} rows (${rec.created} created, ${rec.updated} updated, ${rec.unchanged} unchanged) in ${fmt(ms / 1000)} s = ${fmt(rec.rowsDone / (ms / 1000))} rows/s; ${fmt(inInsert / 1000)} s (${fmt((100 * inInsert) / ms)} %) inside the registry port's insert; ${fmt(cpuSeconds)} CPU s (all threads)`);
        return { id: rec.id, rec, fig: { ...figure(rec.rowsDone, ms), insertSeconds: inInsert / 1000, cpuSeconds } };
      };

      console.log(`\nengine: ${engineName}; batches of ${BATCH}; importer: the demo street centre`);
      const hh = await importOnce('households.csv', 'households', () => openCsv(files.households));
      if (hh.rec.created !== data.households.length) throw new Error(`households: ${hh.rec.created} created, want ${data.households.length}`);

      // xlsx, beside exceljs reading the same file.
      const rawXlsx = await rawXlsxRead(files.xlsx);
      console.log(`  baseline, exceljs streaming read of people.xlsx: ${fmt(rawXlsx.rowsPerSec)} rows/s`);
      const xlsx = await importOnce('people.xlsx', 'persons', async () => openXlsx(files.xlsx, await inspectXlsx(files.xlsx)));
      const rawXlsx2 = await rawXlsxRead(files.xlsx);
      console.log(`  baseline again (drift): ${fmt(rawXlsx2.rowsPerSec)} rows/s`);
      const afterXlsx = { persons: await count(), counted: await counted() };
      if (xlsx.rec.created !== n || afterXlsx.persons !== n || afterXlsx.counted !== n) throw new Error(`after xlsx: ${xlsx.rec.created} created, ${afterXlsx.persons} persons, ${afterXlsx.counted} counted; want ${n}`);

      // Roll it back (context), so that the CSV inserts again.
      const rbStart = performance.now();
      await registryImport.rollbackImport(deps, actor, xlsx.id);
      const rollback = figure(n, performance.now() - rbStart);
      console.log(`  rollback of people.xlsx: ${fmt(rollback.seconds)} s = ${fmt(rollback.rowsPerSec)} rows/s`);
      if ((await count()) !== 0 || (await counted()) !== 0) throw new Error('the rollback left people behind');

      // CSV, beside a raw COPY (PGlite) or a multi-row INSERT (node-postgres) of the same rows.
      const csvBuf = await readFile(files.csv);
      const rawCsv = usePg ? await rawInsertPg(database, data.people) : await rawCopyPglite(csvBuf);
      const baselineName = usePg ? 'multi-row INSERT (1,000 rows/statement, node-postgres; pg-copy-streams not installed)' : `COPY FROM '/dev/blob' (in-process PGlite ${(rawCsv as { version?: string }).version ?? ''})`;
      console.log(`  baseline, ${baselineName}: ${fmt(rawCsv.rowsPerSec)} rows/s`);
      const csv = await importOnce('people.csv', 'persons', () => openCsv(files.csv));
      const intoPersons = usePg ? null : await copyIntoPersonsPglite(data.people);
      if (intoPersons && (intoPersons.rows !== n || intoPersons.counted !== n)) throw new Error(`COPY into persons: ${intoPersons.rows} rows, ${intoPersons.counted} counted; want ${n}`);
      if (intoPersons) console.log(`  context, COPY of the rows in stored form into the real persons table (indexes, trigger, FK; in-process PGlite): ${fmt(intoPersons.rowsPerSec)} rows/s`);
      const again = await importOnce('people.csv again (all matched, unchanged)', 'persons', () => openCsv(files.csv));
      if (csv.rec.created !== n || again.rec.unchanged !== n || (await count()) !== n || (await counted()) !== n) throw new Error('CSV imports did not give the expected rows');
      const chain = await audit.verifyAuditChain(store.audit);
      if (!chain.ok) throw new Error(`audit chain broken at ${chain.firstBrokenId}: ${chain.reason}`);
      const batches = (await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.import.batch'`))[0]!.n;

      const xlsxRatio = xlsx.fig.rowsPerSec / rawXlsx.rowsPerSec;
      const csvRatio = csv.fig.rowsPerSec / rawCsv.rowsPerSec;
      const xlsxMet = xlsx.fig.rowsPerSec >= GOAL.xlsxRowsPerSec;
      const csvMet = csvRatio >= GOAL.csvRatio;
      console.log(`\n${engineName}; ${n.toLocaleString('en-US')} people; rows/s = rows / wall time from opening the file to the import's end (reading, validation, matching, writing).\n`);
      console.log(table(['figure', 'rows/s', 'seconds', 'baseline rows/s', 'ratio', 'goal'], [
        ['households.csv import (context)', fmt(hh.fig.rowsPerSec), fmt(hh.fig.seconds), '—', '—', '—'],
        ['people.xlsx import', fmt(xlsx.fig.rowsPerSec), fmt(xlsx.fig.seconds), fmt(rawXlsx.rowsPerSec), `${fmt(xlsxRatio)}×`, `≥ ${fmt(GOAL.xlsxRowsPerSec)} rows/s: ${xlsxMet ? 'MET' : 'MISSED'}`],
        ['people.csv import', fmt(csv.fig.rowsPerSec), fmt(csv.fig.seconds), fmt(rawCsv.rowsPerSec), `${fmt(csvRatio)}×`, `≥ ${GOAL.csvRatio}× ${usePg ? 'INSERT' : 'COPY'}: ${csvMet ? 'MET' : 'MISSED'}`],
        ...(intoPersons ? [['COPY into the real persons table, rows already in stored form (context)', fmt(intoPersons.rowsPerSec), fmt(intoPersons.seconds), '—', `csv import ${fmt(csv.fig.rowsPerSec / intoPersons.rowsPerSec)}× of it`, '—']] : []),
        ['people.csv re-import, unchanged (context)', fmt(again.fig.rowsPerSec), fmt(again.fig.seconds), '—', '—', '—'],
        ['rollback of the xlsx import (context)', fmt(rollback.rowsPerSec), fmt(rollback.seconds), '—', '—', '—'],
      ]));
      console.log(`\nof which inside the registry port's insert (RegistryPort.insert: columns computed with encryption and grams, then one INSERT … SELECT FROM unnest(one array per column) per batch): xlsx ${fmt((100 * xlsx.fig.insertSeconds) / xlsx.fig.seconds)} %, csv ${fmt((100 * csv.fig.insertSeconds) / csv.fig.seconds)} %.`);
      if (intoPersons) console.log(`\nCOPY into persons (context, not the goal's baseline): the same people already encrypted, with their grams, codes and blind indexes, COPYed in one statement into the real persons table (10 indexes, 2 of them GIN; the grid foreign key; the counters' statement trigger) of an in-process PGlite — the database's own cost per person, with nothing read, validated, matched or audited.`);
      console.log(`\nxlsx baseline: exceljs streaming read alone (again after the import: ${fmt(rawXlsx2.rowsPerSec)} rows/s). CSV baseline: ${baselineName}.`);
      console.log(`checks: every import done without a failed row; ${n.toLocaleString('en-US')} people in persons and in the live counters after each import, none after the rollback; ${batches} batch audit rows; audit chain verifies (${chain.checked.toLocaleString('en-US')} rows).`);
      return {
        json: {
          rows: n, households: data.households.length, engine: engineName, batch: BATCH, fileBytes: sizes, goal: GOAL,
          figures: {
            households: hh.fig, xlsx: { ...xlsx.fig, baseline: rawXlsx, baselineAgain: rawXlsx2, ratio: xlsxRatio }, csv: { ...csv.fig, baseline: rawCsv, baselineName, ratio: csvRatio },
            csvUnchanged: again.fig, rollback, ...(intoPersons ? { copyIntoPersons: intoPersons } : {}),
          },
          goalsMet: { xlsx: xlsxMet, csv: csvMet }, auditBatchRows: batches,
        },
      };
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export const registryImportBench: BenchModule = {
  name: 'registry-import',
  description: 'registry import of N people (--rows, default 50,000) as .xlsx and .csv through the engine, vs exceljs reading alone and a raw COPY (PGlite; --pg: PostgreSQL)',
  run,
};

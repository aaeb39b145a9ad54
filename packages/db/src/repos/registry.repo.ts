import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { columnOf, LEDGER_SPECS, LEDGERS, type FieldSpec, type GridCompleteness, type LedgerKey, type PersonSearchHit } from '@wangge/contracts';
import {
  maskIdNumber, nameGrams, searchKindOf as searchKind, nameLikePattern, pinyinInitials, queryGrams, type AreaScope, type ChangeRecord, type DueVisitRecord, type ListFilter,
  type NewRecord, type RegistryPort, type SearchKind, type StoredRecord, type TagRecord, type Value, type Values,
} from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import { maskPhone, type FieldCrypto } from '../crypto/field-crypto.ts';
import { loadDicts, loadTagDefs, saveTagDef } from '../registry/registry-seed.ts';
import { inList, isoZ, likeEscape, tableColumns, underScope } from './sql-helpers.ts';

/** The table of each ledger. */
export const LEDGER_TABLES: Record<LedgerKey, string> = {
  compounds: 'compounds', buildings: 'buildings', units: 'building_units', houses: 'houses', households: 'households',
  persons: 'persons', organisations: 'organisations', facilities: 'facilities',
};

/** A PostgreSQL array literal as one parameter (drizzle would spread a JS array into a list of parameters). */
const pgArray = (xs: readonly string[]) => '{' + xs.map((x) => '"' + x.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"').join(',') + '}';

const ident = (name: string) => sql.raw(`"${name}"`);
const tableOf = (ledger: LedgerKey) => ident(LEDGER_TABLES[ledger]);
const stored = (ledger: LedgerKey) => LEDGER_SPECS[ledger].fields.filter((f) => !f.derived);
const sensitive = (f: FieldSpec) => f.type === 'idno' || f.type === 'phone';
const maskOf = (f: FieldSpec, v: string) => (f.type === 'idno' ? maskIdNumber(v) : maskPhone(v));

/** The SQL of one field's shown value: masked for idno/phone, dates as text, derived fields computed. */
function valueExpr(ledger: LedgerKey, f: FieldSpec): SQL {
  const c = columnOf(f.key);
  if (ledger === 'households' && f.key === 'headName') return sql`(SELECT p.name FROM persons p WHERE p.household_id = t.id AND p.relation = '02' LIMIT 1)`;
  if (ledger === 'households' && f.key === 'memberCount') return sql`(SELECT count(*)::int FROM persons p WHERE p.household_id = t.id AND (p.status IS NULL OR p.status = '1'))`;
  if (sensitive(f)) return sql.raw(`t."${c}_masked"`);
  if (f.type === 'date') return sql.raw(`t."${c}"::text`);
  return sql.raw(`t."${c}"`);
}

function selectOf(ledger: LedgerKey): SQL {
  const spec = LEDGER_SPECS[ledger];
  const values = spec.fields.map((f) => sql`${valueExpr(ledger, f)} AS ${ident('v_' + f.key)}`);
  const refs = spec.fields.filter((f) => f.type === 'ref').map((f) => {
    const target = LEDGER_SPECS[f.ref!];
    return sql`(SELECT r.${ident(columnOf(target.title))}::text FROM ${tableOf(f.ref!)} r WHERE r.id = t.${ident(columnOf(f.key))}) AS ${ident('r_' + f.key)}`;
  });
  return sql`SELECT t.id::text AS id, t.grid_id::text AS grid_id, g.path::text AS grid_path, g.name_zh AS grid_name, g.code AS grid_code,
    t.district_id::text AS district_id, t.version, t.import_id::text AS import_id, ${isoZ(sql`t.created_at`)} AS created_at, ${isoZ(sql`t.updated_at`)} AS updated_at,
    ${sql.join([...values, ...refs], sql`, `)}
    FROM ${tableOf(ledger)} t JOIN areas g ON g.id = t.grid_id`;
}

type Row = Record<string, unknown> & { id: string; grid_id: string; grid_path: string; grid_name: string; grid_code: string; district_id: string | null; version: number; import_id: string | null; created_at: string; updated_at: string };

function toRecord(ledger: LedgerKey, r: Row): StoredRecord {
  const spec = LEDGER_SPECS[ledger];
  const values: Values = {};
  const refs: Record<string, string | null> = {};
  for (const f of spec.fields) values[f.key] = (r['v_' + f.key] ?? null) as Value;
  for (const f of spec.fields) if (f.type === 'ref') refs[f.key] = (r['r_' + f.key] ?? null) as string | null;
  return {
    id: r.id, ledger, gridId: r.grid_id, gridPath: r.grid_path, gridName: r.grid_name, gridCode: r.grid_code, districtId: r.district_id,
    version: r.version, importId: r.import_id, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at), values, refs,
  };
}

function searchCondition(crypto: FieldCrypto | undefined, kind: SearchKind, value: string): SQL {
  switch (kind) {
    case 'id': return crypto ? sql`t.id_no_bidx = ${crypto.blindIndex(value)}` : sql`false`;
    case 'phone': return crypto ? sql`t.phone_bidx = ${crypto.blindIndex(value)}` : sql`false`;
    case 'pinyin': return sql`t.name_py LIKE ${likeEscape(value) + '%'}`;
    case 'name': return sql`t.name_grams @> ${pgArray(queryGrams(value))}::text[] AND t.name LIKE ${nameLikePattern(value)}`;
    case 'address': return sql`t.address_grams @> ${pgArray(queryGrams(value))}::text[] AND t.current_address LIKE ${nameLikePattern(value)}`;
  }
}

/**
 * The order of search results. Pinyin: the initials, then the name, then the id — what the index
 * persons_py_idx holds, so the first page is read from it instead of sorting every person with
 * those initials; exact initials (the shortest) come first. Otherwise an exact name first, then by name.
 */
function searchOrder(kind: SearchKind, value: string): SQL {
  return kind === 'pinyin' ? sql`t.name_py USING ~<~, t.name, t.id` : sql`(t.name = ${value}) DESC, t.name, t.id`;
}

/** Characters that make an array element need quotes (besides an empty string and the word NULL). */
const NEEDS_QUOTES = /[\s,{}"\\]/;
const quoteElement = (s: string) => '"' + (s.includes('"') || s.includes('\\') ? s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : s) + '"';
/** One element of a PostgreSQL array literal, quoted only when it must be (most grams and codes need not). */
const bareOrQuoted = (s: string) => (s === '' || NEEDS_QUOTES.test(s) || s.toUpperCase() === 'NULL' ? quoteElement(s) : s);

/** One element of a PostgreSQL array literal: NULL, or the value quoted (arrays as their own literal, booleans as t/f, objects as JSON). Exported for its test. */
export function arrayElement(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v)) return quoteElement('{' + v.map((x) => bareOrQuoted(String(x))).join(',') + '}');
  return quoteElement(typeof v === 'boolean' ? (v ? 't' : 'f') : typeof v === 'object' ? JSON.stringify(v) : String(v));
}

/** The pinyin initials of recently seen names (the same names recur across a district's registry); cleared when full. */
const pinyinCache = new Map<string, string>();
function cachedPinyin(name: string): string {
  let py = pinyinCache.get(name);
  if (py === undefined) {
    if (pinyinCache.size >= 50_000) pinyinCache.clear();
    py = pinyinInitials(name);
    pinyinCache.set(name, py);
  }
  return py;
}

/**
 * How one stored field becomes columns: plain (its own column), sensitive (encrypted, blind index,
 * masked: three columns) or, for persons, the name and address with their search columns.
 */
interface ColumnPlan {
  f: FieldSpec;
  kind: 'plain' | 'sensitive' | 'name' | 'address';
  columns: string[];
}

const plans = new Map<LedgerKey, ColumnPlan[]>();
/** A ledger's stored fields as columns, worked out once (not per row). */
function planOf(ledger: LedgerKey): ColumnPlan[] {
  let plan = plans.get(ledger);
  if (!plan) {
    plan = stored(ledger).map((f): ColumnPlan => {
      const c = columnOf(f.key);
      if (sensitive(f)) return { f, kind: 'sensitive', columns: [`${c}_enc`, `${c}_bidx`, `${c}_masked`] };
      if (ledger === 'persons' && f.key === 'name') return { f, kind: 'name', columns: [c, 'name_grams', 'name_py'] };
      if (ledger === 'persons' && f.key === 'currentAddress') return { f, kind: 'address', columns: [c, 'address_grams'] };
      return { f, kind: 'plain', columns: [c] };
    });
    plans.set(ledger, plan);
  }
  return plan;
}

/** The values of a non-plain field's columns, in the plan's order. */
function storedForm(c: ColumnPlan, v: Value, crypto: () => FieldCrypto): unknown[] {
  switch (c.kind) {
    case 'sensitive': {
      if (v === null) return [null, null, null];
      const s = String(v);
      return [crypto().encrypt(s), crypto().blindIndex(s), maskOf(c.f, s)];
    }
    case 'name': return [v, nameGrams(String(v ?? '')), cachedPinyin(String(v ?? ''))];
    case 'address': return [v, nameGrams(String(v ?? ''))];
    default: return [v];
  }
}

export function registryRepo(db: Db, crypto?: FieldCrypto): RegistryPort {
  const need = () => {
    if (!crypto) throw new Error('field encryption is not configured');
    return crypto;
  };

  /** Column → SQL value for the given field values (encrypting, indexing and masking idno/phone; grams and pinyin for persons). */
  function columnsOf(ledger: LedgerKey, values: Values): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const c of planOf(ledger)) {
      if (!(c.f.key in values)) continue;
      const v = values[c.f.key] ?? null;
      const x = storedForm(c, v, need);
      c.columns.forEach((col, k) => out.set(col, x[k]));
    }
    return out;
  }

  /** A ledger table's column types (format_type). */
  const columnTypes = async (ledger: LedgerKey) => new Map((await tableColumns(db, LEDGER_TABLES[ledger])).map((c) => [c.name, c.type]));

  const param = (col: string, v: unknown): SQL => (col.endsWith('_grams') ? sql`${pgArray(v as string[])}::text[]` : sql`${v}`);

  async function rawRow(ledger: LedgerKey, id: string, forUpdate: boolean): Promise<Record<string, unknown> | null> {
    const r = await rows<{ j: Record<string, unknown> }>(db, sql`SELECT row_to_json(t) AS j FROM ${tableOf(ledger)} t WHERE t.id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
    return r[0]?.j ?? null;
  }

  function whereOf(ledger: LedgerKey, scope: AreaScope, filter: Omit<ListFilter, 'page' | 'pageSize'>): SQL {
    const conds: SQL[] = [underScope(sql`g.path`, scope)];
    for (const [key, v] of Object.entries(filter.equals)) {
      const f = LEDGER_SPECS[ledger].fields.find((x) => x.key === key)!;
      const col = ident(columnOf(f.key));
      conds.push(f.type === 'ref' ? sql`t.${col} = ${v}::uuid` : sql`t.${col} = ${v}`);
    }
    if (filter.q) {
      if (ledger === 'persons') {
        const kind = searchKind(filter.q);
        conds.push(searchCondition(crypto, kind.kind, kind.value));
      } else {
        const title = ident(columnOf(LEDGER_SPECS[ledger].title));
        conds.push(sql`t.${title}::text ILIKE ${'%' + likeEscape(filter.q) + '%'}`);
      }
    }
    return sql.join(conds, sql` AND `);
  }

  const repo: RegistryPort = {
    dicts: () => loadDicts(db),
    tagDefs: () => loadTagDefs(db),
    saveTagDef: (def) => saveTagDef(db, def),

    async get(ledger, id, opts) {
      const r = await rows<Row>(db, sql`${selectOf(ledger)} WHERE t.id = ${id}::uuid ${opts?.forUpdate ? sql`FOR UPDATE OF t` : sql``}`);
      return r[0] ? toRecord(ledger, r[0]) : null;
    },

    async getMany(ledger, ids) {
      if (ids.length === 0) return [];
      const r = await rows<Row>(db, sql`${selectOf(ledger)} WHERE t.id = ANY(${pgArray(ids)}::uuid[])`);
      return r.map((x) => toRecord(ledger, x));
    },

    async list(ledger, scope, filter) {
      const where = whereOf(ledger, scope, filter);
      const [items, total] = await Promise.all([
        rows<Row>(db, sql`${selectOf(ledger)} WHERE ${where} ORDER BY t.updated_at DESC, t.id LIMIT ${filter.pageSize} OFFSET ${(filter.page - 1) * filter.pageSize}`),
        rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${tableOf(ledger)} t JOIN areas g ON g.id = t.grid_id WHERE ${where}`),
      ]);
      return { items: items.map((x) => toRecord(ledger, x)), total: total[0]?.n ?? 0 };
    },

    async *scan(ledger, scope, filter, batch) {
      const where = whereOf(ledger, scope, filter);
      let after: string | null = null;
      for (;;) {
        const page: Row[] = await rows<Row>(db, sql`${selectOf(ledger)} WHERE ${where} ${after ? sql`AND t.id > ${after}::uuid` : sql``} ORDER BY t.id LIMIT ${batch}`);
        if (page.length === 0) return;
        yield page.map((x) => toRecord(ledger, x));
        after = page.at(-1)!.id;
        if (page.length < batch) return;
      }
    },

    async insert(ledger, recs: NewRecord[], at, importId) {
      if (recs.length === 0) return [];
      const ids = recs.map(() => randomUUID());
      // Persons always get their search columns, even when a caller gives only some fields.
      const always = (c: ColumnPlan) => c.kind === 'name' || c.kind === 'address';
      const present = planOf(ledger).filter((c) => always(c) || recs.some((r) => c.f.key in r.values));
      // One array parameter per column, unnested together: tens of thousands of bind parameters cost more to build and
      // to parse than the rows themselves, and a JSON document of objects (json_populate_recordset, before) repeats
      // every column name in every row — 15–25 % slower to insert on PGlite. Array columns (grams) travel as text
      // elements, each cast on its own (arrays of arrays must be rectangular). Each column's literal is built as the
      // rows are read, one pass over the rows.
      const iso = at.toISOString();
      const names = ['id', 'grid_id', 'district_id', 'import_id', 'created_at', 'updated_at', ...present.flatMap((c) => c.columns)];
      const elements: string[][] = names.map(() => new Array<string>(recs.length));
      const importEl = arrayElement(importId);
      const isoEl = arrayElement(iso);
      for (let i = 0; i < recs.length; i++) {
        const r = recs[i]!;
        elements[0]![i] = ids[i]!;
        elements[1]![i] = arrayElement(r.gridId);
        elements[2]![i] = arrayElement(r.districtId);
        elements[3]![i] = importEl;
        elements[4]![i] = isoEl;
        elements[5]![i] = isoEl;
        let j = 6;
        for (const c of present) {
          const v = c.kind === 'name' && !('name' in r.values) ? '' : (r.values[c.f.key] ?? null);
          if (c.kind === 'plain') elements[j++]![i] = arrayElement(v);
          else for (const x of storedForm(c, v, need)) elements[j++]![i] = arrayElement(x);
        }
      }
      const types = await columnTypes(ledger);
      const params = names.map((n, j) => {
        const type = types.get(n)!;
        return sql`${'{' + elements[j]!.join(',') + '}'}::${sql.raw(type.endsWith('[]') ? 'text[]' : `${type}[]`)}`;
      });
      const picked = names.map((n, j) => sql.raw(types.get(n)!.endsWith('[]') ? `u.c${j}::${types.get(n)}` : `u.c${j}`));
      await db.execute(sql`INSERT INTO ${tableOf(ledger)} (${sql.join(names.map(ident), sql`, `)}) SELECT ${sql.join(picked, sql`, `)}
        FROM unnest(${sql.join(params, sql`, `)}) AS u(${sql.raw(names.map((_, j) => `c${j}`).join(', '))})`);
      return ids;
    },

    async update(ledger, id, version, patch, gridId, at, importId) {
      const before = await rawRow(ledger, id, true);
      if (!before || before.version !== version) return null;
      const cols = columnsOf(ledger, patch);
      const changes: Record<string, [unknown, unknown]> = {};
      for (const f of stored(ledger)) {
        if (!(f.key in patch)) continue;
        const c = columnOf(f.key);
        if (sensitive(f)) {
          if ((before[`${c}_bidx`] ?? null) !== (cols.get(`${c}_bidx`) ?? null)) changes[f.key] = [before[`${c}_masked`] ?? null, cols.get(`${c}_masked`) ?? null];
          else { cols.delete(`${c}_enc`); cols.delete(`${c}_bidx`); cols.delete(`${c}_masked`); }
        } else {
          const b = before[c] ?? null;
          const a = cols.get(c) ?? null;
          if (String(b) !== String(a)) changes[f.key] = [b, a];
          else cols.delete(c);
        }
      }
      if (ledger === 'persons') {
        if (!('name' in changes)) { cols.delete('name_grams'); cols.delete('name_py'); }
        if (!('currentAddress' in changes)) cols.delete('address_grams');
      }
      if (cols.size === 0 && gridId === null) return { changes, before };
      const sets = [...cols.entries()].map(([c, v]) => sql`${ident(c)} = ${param(c, v)}`);
      if (gridId !== null) sets.push(sql`grid_id = ${gridId}::bigint`);
      if (importId !== undefined) sets.push(sql`import_id = coalesce(import_id, ${importId}::uuid)`);
      sets.push(sql`version = version + 1`, sql`updated_at = ${at}`);
      await db.execute(sql`UPDATE ${tableOf(ledger)} SET ${sql.join(sets, sql`, `)} WHERE id = ${id}::uuid`);
      return { changes, before };
    },

    async remove(ledger, id, version) {
      const before = await rawRow(ledger, id, true);
      if (!before || before.version !== version) return null;
      await db.execute(sql`DELETE FROM ${tableOf(ledger)} WHERE id = ${id}::uuid`);
      return before;
    },

    async reveal(ledger, id, field) {
      const f = LEDGER_SPECS[ledger].fields.find((x) => x.key === field)!;
      const r = await rows<{ v: string | null }>(db, sql`SELECT ${ident(columnOf(f.key) + '_enc')} AS v FROM ${tableOf(ledger)} WHERE id = ${id}::uuid`);
      const v = r[0]?.v ?? null;
      return v === null ? null : need().decrypt(v);
    },

    async findEqual(ledger, districtId, field, value, exceptId) {
      const f = LEDGER_SPECS[ledger].fields.find((x) => x.key === field)!;
      const cond = sensitive(f) ? sql`${ident(columnOf(f.key) + '_bidx')} = ${need().blindIndex(String(value))}` : sql`${ident(columnOf(f.key))} = ${value}`;
      const title = ident(columnOf(LEDGER_SPECS[ledger].title));
      return rows<{ id: string; title: string }>(db, sql`SELECT id::text, coalesce(${title}::text, '') AS title FROM ${tableOf(ledger)}
        WHERE ${cond} ${districtId !== null ? sql`AND district_id = ${districtId}::bigint` : sql``} ${exceptId ? sql`AND id <> ${exceptId}::uuid` : sql``} LIMIT 5`);
    },

    async children(ledger, id) {
      const out: { ledger: LedgerKey; count: number }[] = [];
      for (const other of LEDGERS) {
        for (const f of LEDGER_SPECS[other].fields) {
          if (f.type !== 'ref' || f.ref !== ledger) continue;
          const r = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${tableOf(other)} WHERE ${ident(columnOf(f.key))} = ${id}::uuid`);
          out.push({ ledger: other, count: r[0]?.n ?? 0 });
        }
      }
      return out;
    },

    async regrid(ledger, ids) {
      if (ids.length === 0) return 0;
      let n = 0;
      const run = async (q: SQL, alias: string) => { n += (await rows<{ id: string }>(db, sql`${q} RETURNING ${sql.raw(alias)}.id::text`)).length; };
      // Buildings → their entrances, houses and organisations; houses → households and the people living there without a household; households → members.
      let houseIds: string[] = [];
      let householdIds: string[] = [];
      if (ledger === 'buildings') {
        await run(sql`UPDATE building_units u SET grid_id = b.grid_id, district_id = b.district_id FROM buildings b WHERE u.building_id = b.id AND b.id = ANY(${pgArray(ids)}::uuid[]) AND b.grid_id IS NOT NULL AND u.grid_id <> b.grid_id`, 'u');
        await run(sql`UPDATE organisations o SET grid_id = b.grid_id, district_id = b.district_id FROM buildings b WHERE o.building_id = b.id AND b.id = ANY(${pgArray(ids)}::uuid[]) AND b.grid_id IS NOT NULL AND o.grid_id <> b.grid_id`, 'o');
        houseIds = (await rows<{ id: string }>(db, sql`UPDATE houses h SET grid_id = b.grid_id, district_id = b.district_id FROM buildings b WHERE h.building_id = b.id AND b.id = ANY(${pgArray(ids)}::uuid[]) AND b.grid_id IS NOT NULL AND h.grid_id <> b.grid_id RETURNING h.id::text`)).map((r) => r.id);
        n += houseIds.length;
      } else if (ledger === 'houses') houseIds = ids;
      else householdIds = ids;
      if (houseIds.length > 0) {
        const moved = await rows<{ id: string }>(db, sql`UPDATE households x SET grid_id = h.grid_id, district_id = h.district_id FROM houses h WHERE x.house_id = h.id AND h.id = ANY(${pgArray(houseIds)}::uuid[]) AND x.grid_id <> h.grid_id RETURNING x.id::text`);
        n += moved.length;
        householdIds = [...householdIds, ...moved.map((r) => r.id)];
        await run(sql`UPDATE persons p SET grid_id = h.grid_id, district_id = h.district_id FROM houses h WHERE p.household_id IS NULL AND p.house_id = h.id AND h.id = ANY(${pgArray(houseIds)}::uuid[]) AND p.grid_id <> h.grid_id`, 'p');
      }
      if (householdIds.length > 0) {
        await run(sql`UPDATE persons p SET grid_id = x.grid_id, district_id = x.district_id FROM households x WHERE p.household_id = x.id AND x.id = ANY(${pgArray(householdIds)}::uuid[]) AND p.grid_id <> x.grid_id`, 'p');
      }
      return n;
    },

    async countInBuildings(buildingIds) {
      if (buildingIds.length === 0) return { households: 0, persons: 0 };
      const ids = pgArray(buildingIds);
      const [r] = await rows<{ households: number; persons: number }>(db, sql`SELECT
        (SELECT count(*)::int FROM households x JOIN houses h ON h.id = x.house_id WHERE h.building_id = ANY(${ids}::uuid[])) AS households,
        (SELECT count(*)::int FROM persons p LEFT JOIN households x ON x.id = p.household_id JOIN houses h ON h.id = coalesce(x.house_id, p.house_id)
           WHERE h.building_id = ANY(${ids}::uuid[])) AS persons`);
      return r ?? { households: 0, persons: 0 };
    },

    async inGrids(gridIds) {
      if (gridIds.length === 0) return [];
      const out: { ledger: LedgerKey; id: string }[] = [];
      for (const ledger of LEDGERS) {
        const r = await rows<{ id: string }>(db, sql`SELECT id::text FROM ${tableOf(ledger)} WHERE grid_id IN ${inList(gridIds.map(Number))}`);
        for (const x of r) out.push({ ledger, id: x.id });
      }
      return out;
    },

    async setGrid(ledger, ids, gridId) {
      if (ids.length === 0) return;
      await db.execute(sql`UPDATE ${tableOf(ledger)} t SET grid_id = g.id, district_id = g.district_id FROM areas g WHERE g.id = ${gridId}::bigint AND t.id = ANY(${pgArray(ids)}::uuid[])`);
      if (ledger === 'buildings' || ledger === 'houses' || ledger === 'households') await repo.regrid(ledger, ids);
    },

    async headOf(householdId, exceptPersonId) {
      const r = await rows<{ id: string; name: string }>(db, sql`SELECT id::text, name FROM persons WHERE household_id = ${householdId}::uuid AND relation = '02'
        ${exceptPersonId ? sql`AND id <> ${exceptPersonId}::uuid` : sql``} LIMIT 1`);
      return r[0] ?? null;
    },

    async addChanges(list: ChangeRecord[]) {
      if (list.length === 0) return;
      for (let i = 0; i < list.length; i += 500) {
        const part = list.slice(i, i + 500);
        await db.execute(sql`INSERT INTO registry_changes (ledger, record_id, district_id, action, changes, before, import_id, actor_id, actor_name, at) VALUES ${sql.join(
          part.map((c) => sql`(${c.ledger}, ${c.recordId}::uuid, ${c.districtId}::bigint, ${c.action}, ${JSON.stringify(c.changes)}::jsonb, ${c.before === null ? null : JSON.stringify(c.before)}::jsonb,
            ${c.importId}::uuid, ${c.actorId}::uuid, ${c.actorName}, ${c.at})`),
          sql`, `,
        )}`);
      }
    },

    async history(ledger, id) {
      const r = await rows<{ id: string; ledger: LedgerKey; record_id: string; district_id: string | null; action: ChangeRecord['action']; changes: Record<string, [unknown, unknown]>; import_id: string | null; actor_id: string | null; actor_name: string | null; at: string }>(
        db, sql`SELECT id::text, ledger, record_id::text, district_id::text, action, changes, import_id::text, actor_id::text, actor_name, ${isoZ(sql`at`)} AS at
          FROM registry_changes WHERE ledger = ${ledger} AND record_id = ${id}::uuid ORDER BY id DESC LIMIT 200`);
      return r.map((x) => ({ id: x.id, ledger: x.ledger, recordId: x.record_id, districtId: x.district_id, action: x.action, changes: x.changes, before: null, importId: x.import_id, actorId: x.actor_id, actorName: x.actor_name, at: new Date(x.at) }));
    },

    async search(scope, kind, value, limit, includeSpecial) {
      const r = await rows<{ id: string; name: string; sex: string | null; birth_date: string | null; id_no: string | null; phone: string | null; address: string | null; pop_type: string; grid_id: string; grid_name: string; household_id: string | null; tags: string[] | null }>(
        db, sql`SELECT t.id::text, t.name, t.sex, t.birth_date::text AS birth_date, t.id_no_masked AS id_no, t.phone_masked AS phone, t.current_address AS address,
            t.pop_type, t.grid_id::text, g.name_zh AS grid_name, t.household_id::text,
            (SELECT array_agg(pt.tag ORDER BY pt.tag) FROM person_tags pt JOIN tag_defs d ON d.code = pt.tag
               WHERE pt.person_id = t.id AND pt.ended_at IS NULL ${includeSpecial ? sql`` : sql`AND d.kind = 'care'`}) AS tags
          FROM persons t JOIN areas g ON g.id = t.grid_id
          WHERE ${searchCondition(crypto, kind, value)} AND ${underScope(sql`g.path`, scope)}
          ORDER BY ${searchOrder(kind, value)} LIMIT ${limit}`);
      return r.map((x): PersonSearchHit => ({
        id: x.id, name: x.name, sex: x.sex, birthDate: x.birth_date, idNo: x.id_no, phone: x.phone, address: x.address, popType: x.pop_type,
        gridId: x.grid_id, gridName: x.grid_name, householdId: x.household_id, tags: x.tags ?? [], matched: kind,
      }));
    },

    async rollup(areaIds) {
      const out = new Map<string, Record<string, number>>();
      if (areaIds.length === 0) return out;
      // The counters are kept for every area above a record as well (migration 0006): a node's own rows are its roll-up.
      const r = await rows<{ area_id: string; metric: string; n: number }>(db, sql`SELECT grid_id::text AS area_id, metric, n::float8 AS n
        FROM grid_stats WHERE grid_id IN ${inList(areaIds.map(Number))} AND n <> 0`);
      for (const id of areaIds) out.set(id, {});
      for (const x of r) out.get(x.area_id)![x.metric] = Number(x.n);
      return out;
    },

    async completeness(gridIds) {
      if (gridIds.length === 0) return [];
      const fill = LEDGER_SPECS.persons.fields.filter((f) => f.fill && !f.derived)
        .map((f) => sql.raw(`p."${columnOf(f.key)}${sensitive(f) ? '_bidx' : ''}" IS NOT NULL`));
      const r = await rows<{ id: string; code: string; name: string; houses: number; hw: number; hh: number; hhm: number; people: number; complete: number }>(db, sql`
        SELECT g.id::text, g.code, g.name_zh AS name,
          (SELECT count(*)::int FROM houses h WHERE h.grid_id = g.id AND (h.use IS NULL OR h.use = '10')) AS houses,
          (SELECT count(*)::int FROM houses h WHERE h.grid_id = g.id AND (h.use IS NULL OR h.use = '10') AND EXISTS (SELECT 1 FROM households x WHERE x.house_id = h.id)) AS hw,
          (SELECT count(*)::int FROM households x WHERE x.grid_id = g.id) AS hh,
          (SELECT count(*)::int FROM households x WHERE x.grid_id = g.id AND EXISTS (SELECT 1 FROM persons p WHERE p.household_id = x.id)) AS hhm,
          (SELECT count(*)::int FROM persons p WHERE p.grid_id = g.id AND (p.status IS NULL OR p.status = '1')) AS people,
          (SELECT count(*)::int FROM persons p WHERE p.grid_id = g.id AND (p.status IS NULL OR p.status = '1') AND ${sql.join(fill, sql` AND `)}) AS complete
        FROM areas g WHERE g.id IN ${inList(gridIds.map(Number))}`);
      const share = (a: number, b: number) => (b === 0 ? null : a / b);
      return r.map((x): GridCompleteness => {
        const houseShare = share(x.hw, x.houses);
        const householdShare = share(x.hhm, x.hh);
        const fieldShare = share(x.complete, x.people);
        const parts = [houseShare, householdShare, fieldShare].filter((v): v is number => v !== null);
        return {
          gridId: x.id, code: x.code, name: x.name, houses: x.houses, housesWithHouseholds: x.hw, households: x.hh, householdsWithMembers: x.hhm,
          people: x.people, peopleComplete: x.complete, houseShare, householdShare, fieldShare,
          score: parts.length === 0 ? null : parts.reduce((a, b) => a + b, 0) / parts.length,
        };
      });
    },

    // ── tags ──
    async tagsOf(personId) {
      return (await rows<TagDb>(db, sql`${tagSelect} WHERE person_id = ${personId}::uuid AND ended_at IS NULL ORDER BY tag`)).map(toTag);
    },
    async tag(id) {
      const r = await rows<TagDb>(db, sql`${tagSelect} WHERE id = ${id}::uuid`);
      return r[0] ? toTag(r[0]) : null;
    },
    async insertTag(t, importId) {
      const r = await rows<{ id: string }>(db, sql`INSERT INTO person_tags (person_id, tag, values, attention, next_visit_on, last_visit_on, note, started_on, import_id)
        VALUES (${t.personId}::uuid, ${t.tag}, ${JSON.stringify(t.values)}::jsonb, ${t.attention}, ${t.nextVisitOn}::date, ${t.lastVisitOn}::date, ${t.note}, ${t.startedOn}::date, ${importId}::uuid)
        RETURNING id::text`);
      return r[0]!.id;
    },
    async updateTag(id, patch) {
      const sets: SQL[] = [];
      if (patch.values !== undefined) sets.push(sql`values = ${JSON.stringify(patch.values)}::jsonb`);
      if (patch.attention !== undefined) sets.push(sql`attention = ${patch.attention}`);
      if (patch.nextVisitOn !== undefined) sets.push(sql`next_visit_on = ${patch.nextVisitOn}::date`);
      if (patch.lastVisitOn !== undefined) sets.push(sql`last_visit_on = ${patch.lastVisitOn}::date`);
      if (patch.note !== undefined) sets.push(sql`note = ${patch.note}`);
      if (sets.length === 0) return;
      await db.execute(sql`UPDATE person_tags SET ${sql.join(sets, sql`, `)} WHERE id = ${id}::uuid`);
    },
    async endTag(id, at) {
      await db.execute(sql`UPDATE person_tags SET ended_at = ${at} WHERE id = ${id}::uuid AND ended_at IS NULL`);
    },
    async dueVisits(scope, until, tags, page, pageSize) {
      if (tags.length === 0) return { items: [], total: 0 };
      const where = sql`t.ended_at IS NULL AND t.next_visit_on <= ${until}::date AND t.tag IN ${inList(tags)} AND t.counted AND ${underScope(sql`g.path`, scope)}`;
      const [items, total] = await Promise.all([
        rows<{ tag_id: string; person_id: string; person_name: string; tag: string; grid_id: string; grid_name: string; address: string | null; next_visit_on: string }>(db, sql`
          SELECT t.id::text AS tag_id, p.id::text AS person_id, p.name AS person_name, t.tag, p.grid_id::text AS grid_id, g.name_zh AS grid_name,
            p.current_address AS address, t.next_visit_on::text AS next_visit_on
          FROM person_tags t JOIN persons p ON p.id = t.person_id JOIN areas g ON g.id = p.grid_id
          WHERE ${where} ORDER BY t.next_visit_on, p.name LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`),
        rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM person_tags t JOIN areas g ON g.id = t.grid_id WHERE ${where}`),
      ]);
      return {
        items: items.map((x): DueVisitRecord => ({ tagId: x.tag_id, personId: x.person_id, personName: x.person_name, tag: x.tag, gridId: x.grid_id, gridName: x.grid_name, address: x.address, nextVisitOn: x.next_visit_on })),
        total: total[0]?.n ?? 0,
      };
    },
  };
  return repo;
}


interface TagDb { id: string; person_id: string; tag: string; values: Record<string, unknown>; attention: string | null; next_visit_on: string | null; last_visit_on: string | null; note: string | null; started_on: string; ended_at: string | null }
const tagSelect = sql`SELECT id::text, person_id::text, tag, values, attention, next_visit_on::text, last_visit_on::text, note, started_on::text, ${isoZ(sql`ended_at`)} AS ended_at FROM person_tags`;
const toTag = (r: TagDb): TagRecord => ({
  id: r.id, personId: r.person_id, tag: r.tag, values: r.values, attention: r.attention, nextVisitOn: r.next_visit_on, lastVisitOn: r.last_visit_on,
  note: r.note, startedOn: r.started_on, endedAt: r.ended_at ? new Date(r.ended_at) : null,
});

import { sql, type SQL } from 'drizzle-orm';
import { columnOf, LEDGER_SPECS, LEDGERS, type FieldSpec, type LedgerKey } from '@wangge/contracts';
import type {
  ImportChange, ImportCounts, ImportErrorRow, ImportMessage, ImportRecord, ImportStatus, MatchCandidate, RefCandidate, RegistryImportsPort, RowDiff, Value,
} from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import type { FieldCrypto } from '../crypto/field-crypto.ts';
import { LEDGER_TABLES } from './registry.repo.ts';
import { isoZ, tableColumns, underScope } from './sql-helpers.ts';

/** A PostgreSQL array literal as one parameter (drizzle would spread a JS array into a list of parameters). */
const pgArray = (xs: readonly (string | number)[]) => '{' + xs.map((x) => '"' + String(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"').join(',') + '}';
const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);
const tableOf = (ledger: LedgerKey) => ident(LEDGER_TABLES[ledger]);
const sensitive = (f: FieldSpec) => f.type === 'idno' || f.type === 'phone';
const fieldOf = (ledger: LedgerKey, key: string) => LEDGER_SPECS[ledger].fields.find((f) => f.key === key)!;

/** The SQL type a text parameter is cast to for comparing with a field's column. */
function castOf(f: FieldSpec): string {
  switch (f.type) {
    case 'date': return 'date';
    case 'ref': return 'uuid';
    case 'int': return 'int';
    case 'number': case 'lon': case 'lat': return 'float8';
    case 'bool': return 'boolean';
    default: return 'text';
  }
}

interface ImportDbRow {
  id: string; ledger: LedgerKey; file_name: string; area_id: string; area_path: string; district_id: string | null; status: ImportStatus;
  rows_total: number; rows_done: number; created: number; updated: number; unchanged: number; failed: number;
  errors: ImportErrorRow[] | null; changes: ImportChange[] | null; message: string | null; actor_id: string | null; actor_name: string | null;
  created_at: string; finished_at: string | null;
}

function toRecord(r: ImportDbRow): ImportRecord {
  let message: ImportMessage | null = null;
  if (r.message) {
    try {
      message = JSON.parse(r.message) as ImportMessage;
    } catch {
      message = { code: 'registry.import_malformed', params: { detail: r.message } };
    }
  }
  return {
    id: r.id, ledger: r.ledger, fileName: r.file_name, areaId: r.area_id, areaPath: r.area_path, districtId: r.district_id, status: r.status,
    rowsTotal: r.rows_total, rowsDone: r.rows_done, created: r.created, updated: r.updated, unchanged: r.unchanged, failed: r.failed,
    errors: r.errors ?? [], changes: r.changes ?? [], message, actorId: r.actor_id, actorName: r.actor_name,
    createdAt: new Date(r.created_at), finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  };
}

/** The first `n` elements of a jsonb array (both engines). */
const head = (col: SQL, n: number) => sql`(SELECT coalesce(jsonb_agg(e.v ORDER BY e.n), '[]'::jsonb) FROM jsonb_array_elements(${col}) WITH ORDINALITY AS e(v, n) WHERE e.n <= ${n})`;

function selectImports(errors: 'none' | 'head' | 'all'): SQL {
  const errs = errors === 'all' ? sql`i.errors` : errors === 'head' ? head(sql`i.errors`, 200) : sql`'[]'::jsonb`;
  const chg = errors === 'all' ? sql`i.changes` : errors === 'head' ? head(sql`i.changes`, 200) : sql`'[]'::jsonb`;
  return sql`SELECT i.id::text, i.ledger, i.file_name, i.area_id::text, a.path::text AS area_path, i.district_id::text, i.status,
      i.rows_total, i.rows_done, i.created, i.updated, i.unchanged, i.failed, ${errs} AS errors, ${chg} AS changes, i.message,
      i.actor_id::text, i.actor_name, ${isoZ(sql`i.created_at`)} AS created_at, ${isoZ(sql`i.finished_at`)} AS finished_at
    FROM registry_imports i JOIN areas a ON a.id = i.area_id`;
}

const countsSet = (c: ImportCounts) =>
  sql`rows_total = ${c.rowsTotal}, rows_done = ${c.rowsDone}, created = ${c.created}, updated = ${c.updated}, unchanged = ${c.unchanged}, failed = ${c.failed}`;

/** "Created by this import": carries its id and has no update row of it (an update stamps import_id on records that had none). */
const createdBy = (alias: string, importId: string, ledger: LedgerKey) => sql`${sql.raw(alias)}.import_id = ${importId}::uuid AND NOT EXISTS (
  SELECT 1 FROM registry_changes u WHERE u.import_id = ${importId}::uuid AND u.ledger = ${ledger} AND u.action = 'update' AND u.record_id = ${sql.raw(alias)}.id)`;

/** Table indexes, read from the catalogue once per process (the schema only changes by migrations at start). */
const indexCache = new Map<string, { first: string; second: string | null }[]>();

export function registryImportsRepo(db: Db, crypto?: FieldCrypto): RegistryImportsPort {
  const blind = (v: string) => {
    if (!crypto) throw new Error('field encryption is not configured');
    return crypto.blindIndex(v);
  };
  /** A table's indexes by their first two columns (which probes they can serve). */
  async function indexesOf(table: string) {
    let ix = indexCache.get(table);
    if (!ix) {
      ix = await rows<{ first: string; second: string | null }>(db, sql`SELECT a1.attname::text AS first, a2.attname::text AS second FROM pg_index i
        JOIN pg_attribute a1 ON a1.attrelid = i.indrelid AND a1.attnum = i.indkey[0]
        LEFT JOIN pg_attribute a2 ON a2.attrelid = i.indrelid AND a2.attnum = i.indkey[1]
        WHERE i.indrelid = ${table}::regclass`);
      indexCache.set(table, ix);
    }
    return ix;
  }
  /** A ledger table's columns (restored from the row kept before), but its id, version and updated_at. */
  async function restorable(table: string): Promise<string[]> {
    return (await tableColumns(db, table)).filter((c) => !c.generated && !['id', 'version', 'updated_at'].includes(c.name)).map((c) => c.name);
  }

  return {
    async create(r) {
      const [x] = await rows<{ id: string }>(db, sql`INSERT INTO registry_imports (ledger, file_name, area_id, district_id, status, rows_total, errors, changes, actor_id, actor_name, created_at, heartbeat_at)
        VALUES (${r.ledger}, ${r.fileName}, ${r.areaId}::bigint, ${r.districtId}::bigint, 'running', ${r.rowsTotal}, '[]'::jsonb, '[]'::jsonb, ${r.actorId}::uuid, ${r.actorName}, ${r.at}, clock_timestamp())
        RETURNING id::text`);
      return x!.id;
    },

    async get(id, opts) {
      const r = await rows<ImportDbRow>(db, sql`${selectImports(opts?.errors ?? 'head')} WHERE i.id = ${id}::uuid ${opts?.forUpdate ? sql`FOR UPDATE OF i` : sql``}`);
      return r[0] ? toRecord(r[0]) : null;
    },

    async list(scope, ledger, limit) {
      const r = await rows<ImportDbRow>(db, sql`${selectImports('none')} WHERE ${underScope(sql`a.path`, scope)} ${ledger ? sql`AND i.ledger = ${ledger}` : sql``}
        ORDER BY i.created_at DESC, i.id LIMIT ${limit}`);
      return r.map(toRecord);
    },

    async progress(id, counts, errors, changes) {
      // clock_timestamp(): the time of this write, not of the batch transaction's start.
      const r = await rows<{ id: string }>(db, sql`UPDATE registry_imports SET heartbeat_at = clock_timestamp(), ${countsSet(counts)}
        ${errors ? sql`, errors = ${JSON.stringify(errors)}::jsonb` : sql``} ${changes ? sql`, changes = ${JSON.stringify(changes)}::jsonb` : sql``}
        WHERE id = ${id}::uuid AND status = 'running' RETURNING id::text`);
      return r.length === 1;
    },

    async finish(id, status, at, counts, errors, changes, message) {
      const r = await rows<{ id: string }>(db, sql`UPDATE registry_imports SET status = ${status}, finished_at = ${at}, ${countsSet(counts)},
        errors = ${JSON.stringify(errors)}::jsonb, changes = ${JSON.stringify(changes)}::jsonb, message = ${message ? JSON.stringify(message) : null}
        WHERE id = ${id}::uuid AND status = 'running' RETURNING id::text`);
      return r.length === 1;
    },

    async interrupted(minutes, lock) {
      const r = await rows<{ id: string }>(db, sql`SELECT id::text FROM registry_imports
        WHERE status = 'running' AND heartbeat_at < now() - make_interval(mins => ${minutes}::int) ORDER BY created_at ${lock ? sql`FOR UPDATE SKIP LOCKED` : sql``}`);
      return r.map((x) => x.id);
    },

    async setStatus(id, status) {
      await db.execute(sql`UPDATE registry_imports SET status = ${status} WHERE id = ${id}::uuid`);
    },

    async refCandidates(ledger, scope, keys, texts, ids, parentField) {
      if (texts.length === 0 && ids.length === 0) return [];
      const conds: SQL[] = [];
      if (texts.length > 0) for (const k of keys) conds.push(sql`t.${ident(columnOf(k))} = ANY(${pgArray(texts)}::text[])`); // key fields are text columns
      if (ids.length > 0) conds.push(sql`t.id = ANY(${pgArray(ids)}::uuid[])`);
      const keyCols = keys.map((k, j) => sql`t.${ident(columnOf(k))}::text AS ${ident('k' + j)}`);
      const r = await rows<Record<string, string | null> & { id: string; grid_id: string; grid_path: string; district_id: string | null; parent_id: string | null }>(db, sql`
        SELECT t.id::text, t.grid_id::text, g.path::text AS grid_path, t.district_id::text,
          ${parentField ? sql`t.${ident(columnOf(parentField))}::text` : sql`NULL::text`} AS parent_id, ${sql.join(keyCols, sql`, `)}
        FROM ${tableOf(ledger)} t JOIN areas g ON g.id = t.grid_id
        WHERE (${sql.join(conds, sql` OR `)}) AND ${underScope(sql`g.path`, scope)}`);
      return r.map((x): RefCandidate => ({
        id: x.id, gridId: x.grid_id, gridPath: x.grid_path, districtId: x.district_id, parentId: x.parent_id, keys: keys.map((_, j) => x['k' + j] ?? null),
      }));
    },

    async matchCandidates(ledger, fields, tuples, districts) {
      if (tuples.length === 0) return [];
      const specs = fields.map((k) => fieldOf(ledger, k));
      const byDistrict = districts !== undefined && districts.every((d) => d !== null);
      // Each tuple as text (idno/phone as their blind index, the district last), distinct tuples once.
      const texts = tuples.map((t, i) => [...specs.map((f, j) => (sensitive(f) ? blind(String(t[j] as Value)) : String(t[j] as Value))), ...(byDistrict ? [districts![i]!] : [])]);
      const byKey = new Map<string, number[]>();
      texts.forEach((t, i) => {
        const k = t.join('\u0001');
        const list = byKey.get(k);
        if (list) list.push(i);
        else byKey.set(k, [i]);
      });
      const distinct = [...byKey.keys()].map((k) => k.split('\u0001'));
      const probe = specs.map((f) => (sensitive(f) ? columnOf(f.key) + '_bidx' : columnOf(f.key)));
      const unnest = sql.join([sql`${pgArray(distinct.map((_, i) => i))}::int[]`, ...distinct[0]!.map((_, j) => sql`${pgArray(distinct.map((t) => t[j]!))}::text[]`)], sql`, `);
      const names = sql.raw(['i', ...distinct[0]!.map((_, j) => `a${j}`)].join(', '));
      const on = [
        ...specs.map((f, j) => sql`t.${ident(probe[j]!)} = v.${ident('a' + j)}::${sql.raw(castOf(f))}`),
        ...(byDistrict ? [sql`t.district_id = v.${ident('a' + specs.length)}::bigint`] : []),
      ];
      const title = ident(columnOf(LEDGER_SPECS[ledger].title));
      const picked = sql`t.id::text AS id, g.path::text AS grid_path, t.district_id::text AS district_id, coalesce(t.${title}::text, '') AS title`;
      // With an index on the probed columns: one index probe per tuple (a LATERAL subquery kept apart by
      // OFFSET 0), since a join is planned as a scan of the whole ledger while the table has no statistics
      // (PGlite never analyses). Without one: a join, which scans the ledger once for the whole batch.
      const indexed = (await indexesOf(LEDGER_TABLES[ledger])).some((ix) => probe.includes(ix.first) || (byDistrict && ix.first === 'district_id' && ix.second !== null && probe.includes(ix.second)));
      const query = indexed
        ? sql`SELECT v.i, x.id, x.grid_path, x.district_id, x.title FROM unnest(${unnest}) AS v(${names})
            CROSS JOIN LATERAL (SELECT ${picked} FROM ${tableOf(ledger)} t JOIN areas g ON g.id = t.grid_id WHERE ${sql.join(on, sql` AND `)} OFFSET 0) x`
        : sql`SELECT v.i, ${picked} FROM unnest(${unnest}) AS v(${names}) JOIN ${tableOf(ledger)} t ON ${sql.join(on, sql` AND `)} JOIN areas g ON g.id = t.grid_id`;
      // A thousand probes add up to a cost above jit_above_cost: PostgreSQL would then spend longer compiling
      // the query than running it (20 ms). Off for the rest of this transaction (the batch's).
      await db.execute(sql`SET LOCAL jit = off`);
      const r = await rows<{ i: number; id: string; grid_path: string; district_id: string | null; title: string }>(db, query);
      const out: MatchCandidate[] = [];
      for (const x of r) {
        for (const i of byKey.get(distinct[Number(x.i)]!.join('\u0001')) ?? []) out.push({ i, id: x.id, gridPath: x.grid_path, districtId: x.district_id, title: x.title });
      }
      return out;
    },

    async headsOf(householdIds) {
      if (householdIds.length === 0) return [];
      return rows<{ householdId: string; id: string; name: string }>(db, sql`SELECT household_id::text AS "householdId", id::text, name FROM persons
        WHERE relation = '02' AND household_id = ANY(${pgArray(householdIds)}::uuid[])`);
    },

    async diffMany(ledger, items) {
      if (items.length === 0) return [];
      const raw = await rows<{ j: Record<string, unknown> }>(db, sql`SELECT row_to_json(t) AS j FROM ${tableOf(ledger)} t
        WHERE t.id = ANY(${pgArray(items.map((x) => x.id))}::uuid[]) ORDER BY t.id FOR UPDATE`);
      const byId = new Map(raw.map((r) => [String(r.j.id), r.j]));
      const out: RowDiff[] = [];
      for (const item of items) {
        const before = byId.get(item.id);
        if (!before) continue;
        const changed: string[] = [];
        // The same comparison as the registry repository's update (values as text; idno/phone by blind index).
        for (const [key, v] of Object.entries(item.values)) {
          const f = fieldOf(ledger, key);
          if (!f || f.derived) continue;
          const c = columnOf(key);
          if (sensitive(f)) {
            if ((before[`${c}_bidx`] ?? null) !== (v === null ? null : blind(String(v)))) changed.push(key);
          } else if (String(before[c] ?? null) !== String(v ?? null)) changed.push(key);
        }
        out.push({ id: item.id, version: Number(before.version), gridId: String(before.grid_id), changed });
      }
      return out;
    },

    async superseded(importId, ledger) {
      const title = ident(columnOf(LEDGER_SPECS[ledger].title));
      // Created records changed since (a version, or a history row of any kind).
      const created = await rows<{ title: string }>(db, sql`SELECT coalesce(t.${title}::text, '') AS title FROM ${tableOf(ledger)} t
        WHERE ${createdBy('t', importId, ledger)} AND (t.version <> 1 OR EXISTS (SELECT 1 FROM registry_changes c WHERE c.record_id = t.id)) LIMIT 1`);
      if (created[0]) return created[0].title;
      // Updated records changed (or deleted) since.
      const updated = await rows<{ title: string }>(db, sql`SELECT coalesce(c.before->>${columnOf(LEDGER_SPECS[ledger].title)}, '') AS title
        FROM registry_changes c LEFT JOIN ${tableOf(ledger)} t ON t.id = c.record_id
        WHERE c.import_id = ${importId}::uuid AND c.ledger = ${ledger} AND c.action = 'update'
          AND (t.id IS NULL OR t.version <> (c.before->>'version')::int + 1 OR EXISTS (SELECT 1 FROM registry_changes l WHERE l.record_id = c.record_id AND l.id > c.id))
        LIMIT 1`);
      if (updated[0]) return updated[0].title;
      // Records of other ledgers (or tags) that point to a created one.
      for (const other of LEDGERS) {
        for (const f of LEDGER_SPECS[other].fields) {
          if (f.type !== 'ref' || f.ref !== ledger) continue;
          const r = await rows<{ title: string }>(db, sql`SELECT coalesce(t.${title}::text, '') AS title FROM ${tableOf(ledger)} t
            WHERE ${createdBy('t', importId, ledger)} AND EXISTS (SELECT 1 FROM ${tableOf(other)} o WHERE o.${ident(columnOf(f.key))} = t.id) LIMIT 1`);
          if (r[0]) return r[0].title;
        }
      }
      if (ledger === 'persons') {
        const r = await rows<{ title: string }>(db, sql`SELECT t.name AS title FROM persons t
          WHERE ${createdBy('t', importId, ledger)} AND EXISTS (SELECT 1 FROM person_tags pt WHERE pt.person_id = t.id) LIMIT 1`);
        if (r[0]) return r[0].title;
      }
      return null;
    },

    async deleteCreated(importId, ledger) {
      const r = await rows<{ id: string }>(db, sql`DELETE FROM ${tableOf(ledger)} t WHERE ${createdBy('t', importId, ledger)} RETURNING t.id::text`);
      return r.length;
    },

    async restoreUpdated(importId, ledger, at, actor) {
      const table = LEDGER_TABLES[ledger];
      const cols = await restorable(table);
      const sets = sql.join([...cols.map((c) => sql`${ident(c)} = p.${ident(c)}`), sql`version = t.version + 1`, sql`updated_at = ${at}`], sql`, `);
      const restored = await rows<{ id: string }>(db, sql`UPDATE ${ident(table)} t SET ${sets}
        FROM registry_changes c CROSS JOIN LATERAL jsonb_populate_record(NULL::${ident(table)}, c.before) p
        WHERE c.import_id = ${importId}::uuid AND c.ledger = ${ledger} AND c.action = 'update' AND t.id = c.record_id
        RETURNING t.id::text`);
      if (restored.length === 0) return [];
      // History: each restored record's changes the other way round ([after, before] → [before, after]).
      await db.execute(sql`INSERT INTO registry_changes (ledger, record_id, district_id, action, changes, before, import_id, actor_id, actor_name, at)
        SELECT c.ledger, c.record_id, c.district_id, 'restore',
          (SELECT coalesce(jsonb_object_agg(e.key, jsonb_build_array(e.value->1, e.value->0)), '{}'::jsonb) FROM jsonb_each(c.changes) e),
          NULL, c.import_id, ${actor.id}::uuid, ${actor.name}, ${at}
        FROM registry_changes c WHERE c.import_id = ${importId}::uuid AND c.ledger = ${ledger} AND c.action = 'update' ORDER BY c.id`);
      return restored.map((r) => r.id);
    },
  };
}

import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { DICTS, TagFieldSpec, TagKind, type DictTable, type TagDef, type TagDefBody } from '@wangge/contracts';
import { rows, type Db } from '../connection/open.ts';
import codeTablesJson from './code-tables.json' with { type: 'json' };
import tagDefsJson from './tag-defs.json' with { type: 'json' };

/**
 * Reference data of the registry, written at every start: the code tables (`code-tables.json` →
 * dict_items) and the default tags (`tag-defs.json` → tag_defs; its `why` says where the visit
 * intervals come from — defaults a city changes). Both are data, not code.
 *
 * The seed inserts what is missing, refreshes the seed's own columns (labels, parent, sort, source;
 * for tags also kind, interval and fields) of rows nobody edited (`edited = false`), leaves edited
 * rows alone, never deletes and never changes `active` of an existing row (that is the city's).
 * Each table is one multi-row statement over a JSON parameter, both in one statement, so the seed
 * is atomic without a transaction, and a second run writes no row.
 *
 * Source and version: a dict's `source` in the JSON is stored as is in dict_items.source — the
 * standard with its edition ("GB/T 2261.1-2003") or "local" (综治 tables as found in deployed
 * systems, and codes this system fixes). DictTable.version is the edition, i.e. the part of the
 * source after its last dash ("2003"); a local table's version is "local" (`editionOf`). The JSON
 * carries the same version beside the source, and loading checks they agree.
 */

/** The edition of a source string: "GB/T 4658-2006" → "2006"; "local" (or anything without a year) → itself. */
export const editionOf = (source: string): string => /-(\d{4})$/.exec(source)?.[1] ?? source;

const SeedItem = z.strictObject({
  code: z.string().regex(/^[0-9A-Za-z]{1,10}$/),
  zh: z.string().min(1),
  en: z.string().min(1),
  parent: z.string().nullable().default(null),
});
const SeedDict = z
  .strictObject({ name: z.string().min(1), source: z.string().min(1), version: z.string().min(1), note: z.string().optional(), items: z.array(SeedItem).min(1) })
  .refine((d) => d.version === editionOf(d.source), { message: 'version must be the edition part of source' });
export const CodeTablesFile = z.strictObject({ about: z.string().optional(), dicts: z.array(SeedDict) });
const SeedTag = z.strictObject({
  code: z.string().regex(/^[a-z0-9_]{2,30}$/),
  kind: TagKind,
  nameZh: z.string().min(1).max(40),
  nameEn: z.string().min(1).max(60),
  visitIntervalDays: z.number().int().min(1).max(366).nullable(),
  sort: z.number().int().min(0).max(9999),
  fields: z.array(TagFieldSpec),
});
export const TagDefsFile = z.strictObject({ about: z.string().optional(), why: z.string(), tags: z.array(SeedTag) });

let parsed: { dicts: z.infer<typeof SeedDict>[]; tags: z.infer<typeof SeedTag>[] } | undefined;
/** The two files, checked (once) against their shapes: a bad edit of the data fails at the first seed, naming the field. */
export function registryReference() {
  parsed ??= { dicts: CodeTablesFile.parse(codeTablesJson).dicts, tags: TagDefsFile.parse(tagDefsJson).tags };
  return parsed;
}

/** Writes what is missing of the code tables and default tags, refreshes rows nobody edited, keeps edited ones. */
export async function seedRegistryReference(db: Db): Promise<void> {
  const { dicts, tags } = registryReference();
  // sort leaves room (×10) for a city's own rows between the seed's.
  const items = dicts.flatMap((d) => d.items.map((i, n) => ({
    dict: d.name, code: i.code, label_zh: i.zh, label_en: i.en, parent: i.parent, sort: (n + 1) * 10, source: d.source,
  })));
  const tagRows = tags.map((t) => ({
    code: t.code, kind: t.kind, name_zh: t.nameZh, name_en: t.nameEn, visit_interval_days: t.visitIntervalDays, fields: t.fields, sort: t.sort,
  }));
  await db.execute(sql`
    WITH d AS (
      INSERT INTO dict_items AS t (dict, code, label_zh, label_en, parent, sort, active, source)
      SELECT x.dict, x.code, x.label_zh, x.label_en, x.parent, x.sort, true, x.source
      FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb)
        AS x(dict text, code text, label_zh text, label_en text, parent text, sort int, source text)
      ON CONFLICT (dict, code) DO UPDATE SET
        label_zh = EXCLUDED.label_zh, label_en = EXCLUDED.label_en, parent = EXCLUDED.parent, sort = EXCLUDED.sort, source = EXCLUDED.source
      WHERE NOT t.edited
        AND (t.label_zh, t.label_en, t.parent, t.sort, t.source)
          IS DISTINCT FROM (EXCLUDED.label_zh, EXCLUDED.label_en, EXCLUDED.parent, EXCLUDED.sort, EXCLUDED.source)
      RETURNING 1
    ), g AS (
      INSERT INTO tag_defs AS t (code, kind, name_zh, name_en, visit_interval_days, fields, active, sort)
      SELECT x.code, x.kind, x.name_zh, x.name_en, x.visit_interval_days, x.fields, true, x.sort
      FROM jsonb_to_recordset(${JSON.stringify(tagRows)}::jsonb)
        AS x(code text, kind text, name_zh text, name_en text, visit_interval_days int, fields jsonb, sort int)
      ON CONFLICT (code) DO UPDATE SET
        kind = EXCLUDED.kind, name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en,
        visit_interval_days = EXCLUDED.visit_interval_days, fields = EXCLUDED.fields, sort = EXCLUDED.sort
      WHERE NOT t.edited
        AND (t.kind, t.name_zh, t.name_en, t.visit_interval_days, t.fields, t.sort)
          IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name_zh, EXCLUDED.name_en, EXCLUDED.visit_interval_days, EXCLUDED.fields, EXCLUDED.sort)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM d)::int AS dict_items, (SELECT count(*) FROM g)::int AS tag_defs`);
}

interface DictRow { dict: string; code: string; label_zh: string; label_en: string; parent: string | null; active: boolean; source: string }

/**
 * Every code table in the database (the DICTS first, in their order, then any a city added), items
 * in their sort order, inactive ones included (flagged). A table's source is the standard its rows
 * come from — the first non-local source, so a city's own rows in a national table do not rename it.
 */
export async function loadDicts(db: Db): Promise<DictTable[]> {
  const list = await rows<DictRow>(db, sql`
    SELECT dict, code, label_zh, label_en, parent, active, source FROM dict_items ORDER BY dict, sort, code`);
  const byName = new Map<string, DictRow[]>();
  for (const r of list) {
    const group = byName.get(r.dict);
    if (group) group.push(r);
    else byName.set(r.dict, [r]);
  }
  const rank = (name: string) => {
    const i = (DICTS as readonly string[]).indexOf(name);
    return i < 0 ? DICTS.length : i;
  };
  return [...byName.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, items]) => {
      const source = items.find((i) => i.source !== 'local')?.source ?? 'local';
      return {
        name, source, version: editionOf(source),
        items: items.map((i) => ({ code: i.code, labelZh: i.label_zh, labelEn: i.label_en, parent: i.parent, active: i.active })),
      };
    });
}

interface TagRow { code: string; kind: TagDef['kind']; name_zh: string; name_en: string; visit_interval_days: number | null; fields: TagDef['fields']; active: boolean; sort: number }

const tagOf = (r: TagRow): TagDef => ({
  code: r.code, kind: r.kind, nameZh: r.name_zh, nameEn: r.name_en, visitIntervalDays: r.visit_interval_days, fields: r.fields, active: r.active, sort: r.sort,
});

const TAG_COLUMNS = sql.raw('code, kind, name_zh, name_en, visit_interval_days, fields, active, sort');

/** Every tag definition, active or not, in sort order. */
export async function loadTagDefs(db: Db): Promise<TagDef[]> {
  return (await rows<TagRow>(db, sql`SELECT ${TAG_COLUMNS} FROM tag_defs ORDER BY sort, code`)).map(tagOf);
}

/**
 * Creates or replaces one tag definition and marks it edited, so the seed never overwrites it.
 * The caller (a use-case) checks permission, writes the audit row and rejects duplicate field keys.
 */
export async function saveTagDef(db: Db, body: z.infer<typeof TagDefBody>): Promise<TagDef> {
  const [r] = await rows<TagRow>(db, sql`
    INSERT INTO tag_defs (code, kind, name_zh, name_en, visit_interval_days, fields, active, sort, edited)
    VALUES (${body.code}, ${body.kind}, ${body.nameZh}, ${body.nameEn}, ${body.visitIntervalDays}, ${JSON.stringify(body.fields)}::jsonb,
            ${body.active}, ${body.sort}, true)
    ON CONFLICT (code) DO UPDATE SET
      kind = EXCLUDED.kind, name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, visit_interval_days = EXCLUDED.visit_interval_days,
      fields = EXCLUDED.fields, active = EXCLUDED.active, sort = EXCLUDED.sort, edited = true
    RETURNING ${TAG_COLUMNS}`);
  return tagOf(r!);
}

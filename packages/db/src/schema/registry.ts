import { sql } from 'drizzle-orm';
import {
  bigint, boolean, check, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
  type PgColumnBuilderBase,
} from 'drizzle-orm/pg-core';
import { columnOf, LEDGER_SPECS, type LedgerSpec } from '@wangge/contracts';
import { areas } from './areas.ts';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The registry's ledgers. Each table's business columns are built from the one ledger table in
 * contracts (LEDGER_SPECS), so a field added there is a column here after `drizzle-kit generate`.
 * Every ledger row carries its grid (scope in SQL: `grid_id IN (areas under the scope)`), the
 * district (distribution key), a version (optimistic concurrency) and the import that made it.
 */
function specColumns(spec: LedgerSpec): Record<string, PgColumnBuilderBase> {
  const cols: Record<string, PgColumnBuilderBase> = {};
  for (const f of spec.fields) {
    if (f.derived) continue;
    const c = columnOf(f.key);
    switch (f.type) {
      case 'text': case 'longtext': case 'code': case 'uscc': cols[f.key] = text(c); break;
      case 'int': cols[f.key] = integer(c); break;
      case 'number': case 'lon': case 'lat': cols[f.key] = doublePrecision(c); break;
      case 'date': cols[f.key] = date(c, { mode: 'string' }); break;
      case 'bool': cols[f.key] = boolean(c); break;
      case 'ref': cols[f.key] = uuid(c); break;
      case 'idno': case 'phone':
        cols[f.key + 'Enc'] = text(c + '_enc');
        cols[f.key + 'Bidx'] = text(c + '_bidx');
        cols[f.key + 'Masked'] = text(c + '_masked');
        break;
    }
  }
  return cols;
}

const common = () => ({
  id: uuid('id').primaryKey().defaultRandom(),
  districtId: bigint('district_id', { mode: 'number' }),
  gridId: bigint('grid_id', { mode: 'number' }).notNull().references(() => areas.id),
  version: integer('version').notNull().default(1),
  importId: uuid('import_id'),
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
});

export const compounds = pgTable('compounds', { ...common(), ...specColumns(LEDGER_SPECS.compounds) }, (t) => [index('compounds_grid_idx').on(t.gridId)]);

export const buildingUnits = pgTable('building_units', { ...common(), ...specColumns(LEDGER_SPECS.units) }, (t) => [
  index('building_units_grid_idx').on(t.gridId),
  uniqueIndex('building_units_name_uq').on(sql`building_id`, sql`name`),
]);

export const houses = pgTable('houses', { ...common(), ...specColumns(LEDGER_SPECS.houses) }, (t) => [
  index('houses_grid_idx').on(t.gridId),
  index('houses_building_idx').on(sql`building_id`),
]);

export const households = pgTable('households', { ...common(), ...specColumns(LEDGER_SPECS.households) }, (t) => [
  index('households_grid_idx').on(t.gridId),
  index('households_house_idx').on(sql`house_id`),
  uniqueIndex('households_no_uq').on(t.districtId, sql`household_no`),
]);

export const persons = pgTable(
  'persons',
  {
    ...common(),
    ...specColumns(LEDGER_SPECS.persons),
    /** nameGrams(name) (core/registry/name-search.rules.ts): a GIN index serves two-character names. */
    nameGrams: text('name_grams').array().notNull(),
    /** Pinyin initials of the name, surname read as a surname (曾 → z): "zw" finds 张伟. */
    namePy: text('name_py').notNull(),
    addressGrams: text('address_grams').array().notNull(),
  },
  (t) => [
    index('persons_grid_idx').on(t.gridId),
    index('persons_household_idx').on(sql`household_id`),
    index('persons_house_idx').on(sql`house_id`),
    index('persons_grams_idx').using('gin', t.nameGrams),
    index('persons_address_grams_idx').using('gin', t.addressGrams),
    index('persons_py_idx').on(sql`name_py text_pattern_ops`, sql`name`, sql`id`),
    index('persons_phone_bidx_idx').on(sql`phone_bidx`),
    /** One head per household (与户主关系 02 户主). */
    uniqueIndex('persons_one_head_uq').on(sql`household_id`).where(sql`relation = '02' AND household_id IS NOT NULL`),
    /** One record per ID number in a district ("duplicate ID in the area"); the blind index first, so it also serves every lookup by ID number (migration 0012). */
    uniqueIndex('persons_id_uq').on(sql`id_no_bidx`, t.districtId).where(sql`id_no_bidx IS NOT NULL`),
  ],
);

export const organisations = pgTable('organisations', { ...common(), ...specColumns(LEDGER_SPECS.organisations) }, (t) => [
  index('organisations_grid_idx').on(t.gridId),
  uniqueIndex('organisations_uscc_uq').on(t.districtId, sql`uscc`).where(sql`uscc IS NOT NULL`),
]);

export const facilities = pgTable('facilities', { ...common(), ...specColumns(LEDGER_SPECS.facilities) }, (t) => [
  index('facilities_grid_idx').on(t.gridId),
  uniqueIndex('facilities_code_uq').on(sql`code`),
]);

/** The national and 综治 code tables as versioned data (code + labels), seeded at start without overwriting edits. */
export const dictItems = pgTable(
  'dict_items',
  {
    dict: text('dict').notNull(),
    code: text('code').notNull(),
    labelZh: text('label_zh').notNull(),
    labelEn: text('label_en').notNull(),
    parent: text('parent'),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    /** The standard and edition it comes from (GB/T 2261.1-2003…); 'local' for a city's own codes. */
    source: text('source').notNull(),
    edited: boolean('edited').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.dict, t.code] })],
);

/** Care objects and special groups: which tags exist, with their follow-up fields and visit interval. */
export const tagDefs = pgTable(
  'tag_defs',
  {
    code: text('code').primaryKey(),
    kind: text('kind').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    visitIntervalDays: integer('visit_interval_days'),
    fields: jsonb('fields').notNull(),
    active: boolean('active').notNull().default(true),
    sort: integer('sort').notNull().default(100),
    edited: boolean('edited').notNull().default(false),
  },
  (t) => [check('tag_defs_kind_ck', sql`${t.kind} IN ('care','special')`)],
);

/** A person's tag (one open record per person and tag), with its follow-up values and visit schedule. */
export const personTags = pgTable(
  'person_tags',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').notNull().references(() => persons.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull().references(() => tagDefs.code),
    /** Copied from the person by triggers (migration 0005) so the live counters follow a move or a death. */
    gridId: bigint('grid_id', { mode: 'number' }).notNull(),
    counted: boolean('counted').notNull().default(true),
    districtId: bigint('district_id', { mode: 'number' }),
    values: jsonb('values').notNull(),
    attention: text('attention'),
    nextVisitOn: date('next_visit_on', { mode: 'string' }),
    lastVisitOn: date('last_visit_on', { mode: 'string' }),
    note: text('note'),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedAt: tz('ended_at'),
    importId: uuid('import_id'),
  },
  (t) => [
    uniqueIndex('person_tags_open_uq').on(t.personId, t.tag).where(sql`ended_at IS NULL`),
    index('person_tags_due_idx').on(t.nextVisitOn).where(sql`ended_at IS NULL`),
  ],
);

/** Who changed what and when (before/after, sensitive values masked), for every ledger and every path (form, import, rollback). */
export const registryChanges = pgTable(
  'registry_changes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    ledger: text('ledger').notNull(),
    recordId: uuid('record_id').notNull(),
    districtId: bigint('district_id', { mode: 'number' }),
    action: text('action').notNull(),
    changes: jsonb('changes').notNull(),
    /** The full row before the change (for an import's rollback); sensitive columns stay encrypted. */
    before: jsonb('before'),
    importId: uuid('import_id'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    at: tz('at').notNull(),
  },
  (t) => [index('registry_changes_record_idx').on(t.recordId, t.id), index('registry_changes_import_idx').on(t.importId)],
);

/** One Excel/CSV import: progress, counts, the per-row error report; rolled back as a whole by its id. */
export const registryImports = pgTable('registry_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  ledger: text('ledger').notNull(),
  fileName: text('file_name').notNull(),
  areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => areas.id),
  districtId: bigint('district_id', { mode: 'number' }),
  status: text('status').notNull(),
  rowsTotal: integer('rows_total').notNull().default(0),
  rowsDone: integer('rows_done').notNull().default(0),
  created: integer('created').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  errors: jsonb('errors').notNull(),
  changes: jsonb('changes').notNull(),
  message: text('message'),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  createdAt: tz('created_at').notNull(),
  finishedAt: tz('finished_at'),
  /** Written with every batch (the database's clock): a running import silent for minutes has lost its server (migration 0009). */
  heartbeatAt: tz('heartbeat_at'),
}, (t) => [index('registry_imports_running_idx').on(t.heartbeatAt).where(sql`${t.status} = 'running'`)]);

/**
 * Live counters per area and figure (people, pop types, sexes, birth years, party members, tags,
 * households, houses rented, organisations…), kept by statement-level triggers on the ledgers
 * (migrations 0005, 0006) for a record's grid and every area above it (`grid_id` names any area):
 * a roll-up of any node is a read of its own rows, not a scan of people.
 */
export const gridStats = pgTable(
  'grid_stats',
  {
    gridId: bigint('grid_id', { mode: 'number' }).notNull(),
    metric: text('metric').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.gridId, t.metric] })],
);

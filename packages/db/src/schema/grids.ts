import { sql } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { areas } from './areas.ts';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Earlier states of areas (动态调整: grids are redrawn over time). The current state lives in
 * `areas`; every change copies the state it replaces here with the period it was valid, so
 * statistics of past months keep their old grid and an adjustment can be reverted.
 */
export const areaVersions = pgTable(
  'area_versions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => areas.id),
    version: integer('version').notNull(),
    parentId: bigint('parent_id', { mode: 'number' }),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    gridType: text('grid_type'),
    geometry: jsonb('geometry'),
    validFrom: tz('valid_from').notNull(),
    validTo: tz('valid_to').notNull(),
    adjustmentId: uuid('adjustment_id'),
    districtId: bigint('district_id', { mode: 'number' }),
  },
  (t) => [index('area_versions_area_idx').on(t.areaId, t.version), index('area_versions_adjustment_idx').on(t.adjustmentId)],
);

/** One committed adjustment (split, merge, redraw, create, import, renumber), with what it did, for the record and for revert. */
export const gridAdjustments = pgTable(
  'grid_adjustments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Commit order (created_at can tie): "the latest adjustment" is the highest seq. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    parentId: bigint('parent_id', { mode: 'number' }).notNull().references(() => areas.id),
    districtId: bigint('district_id', { mode: 'number' }),
    reason: text('reason'),
    summary: jsonb('summary').notNull(),
    undo: jsonb('undo').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    createdAt: tz('created_at').notNull(),
    revertedAt: tz('reverted_at'),
    revertedBy: text('reverted_by'),
  },
  (t) => [
    index('grid_adjustments_parent_idx').on(t.parentId, t.seq),
    check('grid_adjustments_kind_ck', sql`${t.kind} IN ('create','redraw','split','merge','import','renumber','retire')`),
  ],
);

/** A gap in the cover of a parent that is there on purpose (a river, a closed site), with the reason. */
export const coverExceptions = pgTable('cover_exceptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  parentId: bigint('parent_id', { mode: 'number' }).notNull().references(() => areas.id),
  geometry: jsonb('geometry').notNull(),
  reason: text('reason').notNull(),
  createdBy: text('created_by'),
  createdAt: tz('created_at').notNull(),
});

/** The people responsible for a grid (网格长, 网格员, 信息员/楼栋长, 党小组长); phones are encrypted at rest. */
export const gridStaff = pgTable(
  'grid_staff',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    gridId: bigint('grid_id', { mode: 'number' }).notNull().references(() => areas.id),
    districtId: bigint('district_id', { mode: 'number' }),
    duty: text('duty').notNull(),
    name: text('name').notNull(),
    phoneEnc: text('phone_enc'),
    phoneMasked: text('phone_masked'),
    userId: uuid('user_id'),
    serviceItems: text('service_items').notNull().default(''),
    isPublic: boolean('is_public').notNull().default(true),
    createdAt: tz('created_at').notNull(),
    endedAt: tz('ended_at'),
  },
  (t) => [
    index('grid_staff_grid_idx').on(t.gridId),
    check('grid_staff_duty_ck', sql`${t.duty} IN ('grid_leader','grid_worker','info_officer','building_head','party_leader')`),
  ],
);

/** 楼栋: placed by a point (and optionally a footprint); belongs to the grid containing it unless pinned by hand. */
export const buildings = pgTable(
  'buildings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    districtId: bigint('district_id', { mode: 'number' }),
    gridId: bigint('grid_id', { mode: 'number' }).references(() => areas.id),
    gridPinned: boolean('grid_pinned').notNull().default(false),
    pinReason: text('pin_reason'),
    code: text('code'),
    name: text('name').notNull(),
    address: text('address'),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    footprint: jsonb('footprint'),
    floors: integer('floors'),
    /** Registry ledger columns (LEDGER_SPECS.buildings): the compound, the row version, the import that made it. */
    compoundId: uuid('compound_id'),
    version: integer('version').notNull().default(1),
    importId: uuid('import_id'),
    createdAt: tz('created_at').notNull(),
    updatedAt: tz('updated_at').notNull(),
  },
  (t) => [index('buildings_grid_idx').on(t.gridId), index('buildings_district_idx').on(t.districtId)],
);

/** One row whose counter moves in every transaction that changes a grid's geometry (point-locator caches compare it). */
export const gridEpoch = pgTable('grid_epoch', {
  id: integer('id').primaryKey(),
  epoch: bigint('epoch', { mode: 'number' }).notNull().default(0),
});

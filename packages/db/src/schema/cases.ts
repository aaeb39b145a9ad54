import { sql } from 'drizzle-orm';
import {
  bigint, boolean, check, customType, date, doublePrecision, index, integer, jsonb, pgSequence, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import { areas } from './areas.ts';
import { buildings } from './grids.ts';
import { users } from './users.ts';
import { ltree } from './types.ts';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** Who handles dispatched cases: departments (城管局, 住建局…) and local offices (a community or street itself). */
export const handlingUnits = pgTable(
  'handling_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    kind: text('kind').notNull(),
    /** The area the unit serves (a district for a department, the community for its own office). */
    areaId: bigint('area_id', { mode: 'number' }).notNull().references(() => areas.id),
    districtId: bigint('district_id', { mode: 'number' }),
    active: boolean('active').notNull().default(true),
    createdAt: tz('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('handling_units_code_uq').on(t.code),
    index('handling_units_area_idx').on(t.areaId),
    check('handling_units_kind_ck', sql`${t.kind} IN ('department','area_office')`),
  ],
);

export const unitMembers = pgTable(
  'unit_members',
  {
    unitId: uuid('unit_id').notNull().references(() => handlingUnits.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.userId] }), index('unit_members_user_idx').on(t.userId)],
);

/** The category tree (大类/小类/细类), with the default unit, time limits per priority and verification rule. */
export const caseCategories = pgTable(
  'case_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id'),
    code: text('code').notNull(),
    level: integer('level').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en'),
    defaultUnitId: uuid('default_unit_id').references(() => handlingUnits.id),
    limitUnit: text('limit_unit').notNull(),
    limits: jsonb('limits').notNull(),
    verifyRequired: boolean('verify_required').notNull().default(true),
    /** The clock stops while an extension request or a return is pending. */
    pausePending: boolean('pause_pending').notNull().default(true),
    extraFields: jsonb('extra_fields').notNull().default([]),
    open311Code: text('open311_code'),
    active: boolean('active').notNull().default(true),
    sortKey: integer('sort_key').notNull().default(0),
    createdAt: tz('created_at').notNull(),
    updatedAt: tz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('case_categories_code_uq').on(t.code),
    index('case_categories_parent_idx').on(t.parentId, t.sortKey),
    check('case_categories_level_ck', sql`${t.level} BETWEEN 1 AND 3`),
    check('case_categories_limit_unit_ck', sql`${t.limitUnit} IN ('hours','days')`),
  ],
);

/** Routing rules: category × area → unit; the lowest seq that matches wins, and the case records which. */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: integer('seq').notNull(),
    name: text('name').notNull(),
    categoryId: uuid('category_id').references(() => caseCategories.id),
    areaId: bigint('area_id', { mode: 'number' }).references(() => areas.id),
    unitId: uuid('unit_id').notNull().references(() => handlingUnits.id),
    active: boolean('active').notNull().default(true),
    createdAt: tz('created_at').notNull(),
  },
  (t) => [index('routing_rules_seq_idx').on(t.seq)],
);

/** Days that differ from "Monday to Friday work": holidays and 调休 working weekends, seeded from chinese-days and editable. */
export const calendarDays = pgTable('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  workday: boolean('workday').notNull(),
  name: text('name'),
  source: text('source').notNull().default('package'),
  updatedBy: text('updated_by'),
  updatedAt: tz('updated_at').notNull(),
});

/** Case numbers: the date of report and this sequence (WG20261201000123). */
export const caseNoSeq = pgSequence('case_no_seq');

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    no: text('no').notNull(),
    districtId: bigint('district_id', { mode: 'number' }),
    source: text('source').notNull(),
    categoryId: uuid('category_id').notNull().references(() => caseCategories.id),
    priority: text('priority').notNull(),
    description: text('description').notNull(),
    state: text('state').notNull(),
    stateKind: text('state_kind').notNull(),
    closingKind: text('closing_kind'),
    version: integer('version').notNull().default(1),
    /** Where the case is: its grid (or the smallest area known) — area scope applies to this path. */
    gridId: bigint('grid_id', { mode: 'number' }).references(() => areas.id),
    /** The grid was chosen by hand (at a boundary, or corrected with a reason): grid adjustments leave it where it is. */
    gridPinned: boolean('grid_pinned').notNull().default(false),
    areaPath: ltree('area_path').notNull(),
    /** Which level decides next (grid → community → street → district → city); escalation moves it up. */
    ownerAreaId: bigint('owner_area_id', { mode: 'number' }).notNull().references(() => areas.id),
    ownerPath: ltree('owner_path').notNull(),
    unitId: uuid('unit_id').references(() => handlingUnits.id),
    /** Every unit the case was ever dispatched to: they keep seeing it (read-only) after a return or a re-dispatch. */
    unitHistory: uuid('unit_history').array().notNull().default(sql`'{}'::uuid[]`),
    route: jsonb('route'),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    address: text('address'),
    // The case keeps its own address and point; deleting the building clears the link (migration 0008).
    buildingId: uuid('building_id').references(() => buildings.id, { onDelete: 'set null' }),
    reporterName: text('reporter_name'),
    reporterPhoneEnc: text('reporter_phone_enc'),
    reporterPhoneMasked: text('reporter_phone_masked'),
    reporterUserId: uuid('reporter_user_id'),
    trackingHash: text('tracking_hash'),
    extra: jsonb('extra').notNull().default({}),
    dueAt: tz('due_at'),
    /** While paused the deadline is frozen: the working minutes left are kept here and due_at is recomputed on resume. */
    pausedAt: tz('paused_at'),
    remainingMinutes: integer('remaining_minutes'),
    supervision: text('supervision').notNull().default('none'),
    supervised: boolean('supervised').notNull().default(false),
    superviseNote: text('supervise_note'),
    mergedInto: uuid('merged_into'),
    rating: text('rating'),
    ratingComment: text('rating_comment'),
    dispatchedBy: uuid('dispatched_by'),
    reportedBy: uuid('reported_by'),
    reportedAt: tz('reported_at').notNull(),
    dispatchedAt: tz('dispatched_at'),
    handledAt: tz('handled_at'),
    closedAt: tz('closed_at'),
    updatedAt: tz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('cases_no_uq').on(t.no),
    index('cases_area_path_gist').using('gist', t.areaPath),
    index('cases_owner_path_gist').using('gist', t.ownerPath),
    index('cases_unit_idx').on(t.unitId, t.stateKind),
    index('cases_unit_history_gin').using('gin', t.unitHistory),
    index('cases_due_idx').on(t.dueAt).where(sql`${t.stateKind} = 'open' AND ${t.dueAt} IS NOT NULL`),
    index('cases_reported_idx').on(t.reportedAt),
    index('cases_grid_idx').on(t.gridId),
    index('cases_district_idx').on(t.districtId),
    index('cases_geo_idx').on(t.lat, t.lon).where(sql`${t.stateKind} = 'open'`),
    index('cases_merged_into_idx').on(t.mergedInto).where(sql`${t.mergedInto} IS NOT NULL`),
    check('cases_state_kind_ck', sql`${t.stateKind} IN ('open','closed')`),
    check('cases_priority_ck', sql`${t.priority} IN ('urgent','high','normal')`),
    check('cases_supervision_ck', sql`${t.supervision} IN ('none','due_soon','overdue')`),
  ],
);

/** The trace (留痕): every transition with who, when, note, data (unit, reason, deadline change) and attachments. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    districtId: bigint('district_id', { mode: 'number' }),
    seq: integer('seq').notNull(),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    at: tz('at').notNull(),
    note: text('note'),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [uniqueIndex('case_events_case_seq_uq').on(t.caseId, t.seq)],
);

/** Photos (resized, thumbnail, metadata removed) and voice notes; kept in the database so every server sees them. */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').references(() => cases.id),
    eventSeq: integer('event_seq'),
    districtId: bigint('district_id', { mode: 'number' }),
    kind: text('kind').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    data: bytea('data').notNull(),
    thumb: bytea('thumb'),
    uploadedBy: uuid('uploaded_by'),
    createdAt: tz('created_at').notNull(),
  },
  (t) => [index('attachments_case_idx').on(t.caseId), check('attachments_kind_ck', sql`${t.kind} IN ('image','audio')`)],
);

/** The in-app notification centre. The text is rendered in the reader's language from kind + params. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    params: jsonb('params').notNull().default({}),
    caseId: uuid('case_id'),
    /** One notification per reference: a sweep that runs twice notifies once. */
    uniqueRef: text('unique_ref'),
    createdAt: tz('created_at').notNull(),
    readAt: tz('read_at'),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.id), uniqueIndex('notifications_ref_uq').on(t.userId, t.uniqueRef)],
);

export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  secretEnc: text('secret_enc').notNull(),
  events: jsonb('events').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: tz('created_at').notNull(),
});

/** Events to deliver (webhooks, SMS), written in the transaction of the change; delivery runs from the job table. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: tz('created_at').notNull(),
  },
  (t) => [index('outbox_created_idx').on(t.createdAt)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    webhookId: uuid('webhook_id').notNull().references(() => webhooks.id, { onDelete: 'cascade' }),
    outboxId: bigint('outbox_id', { mode: 'number' }).notNull(),
    attempt: integer('attempt').notNull(),
    status: integer('status'),
    error: text('error'),
    at: tz('at').notNull(),
  },
  (t) => [index('webhook_deliveries_hook_idx').on(t.webhookId, t.id)],
);

/**
 * One row: `epoch` bumped by statement triggers on case_categories, routing_rules, handling_units and
 * areas (migration 0007), `calendar` on calendar_days (migration 0010), so in-memory copies of that
 * reference data and of the working calendar are checked with one read.
 */
export const referenceEpoch = pgTable(
  'reference_epoch',
  {
    id: smallint('id').primaryKey().default(1),
    epoch: bigint('epoch', { mode: 'number' }).notNull().default(0),
    calendar: bigint('calendar', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('reference_epoch_id_check', sql`${t.id} = 1`)],
);

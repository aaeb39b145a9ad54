import { sql, type SQL } from 'drizzle-orm';
import { DECIDING_STATES, RUNNING_STATES, STATES, type CaseEventRow, type CaseRow, type CasesPort, type CaseViewer, type CategoryRow, type NearbyCandidate, type RuleRow, type UnitRow } from '@wangge/core';
import type { CaseListItem, CaseQueue, CategoryView, RoutingRuleView, UnitView } from '@wangge/contracts';
import { DomainError } from '@wangge/core';
import { preparedRows, rows, type Db } from '../connection/open.ts';
import { maskPhone, type FieldCrypto } from '../crypto/field-crypto.ts';
import { inList, isoZ, likeEscape, toDate as d, underScope } from './sql-helpers.ts';
import { auditInsertSql } from './audit.repo.ts';
import { emitCtes, smsJobSql } from './notify.repo.ts';

/** A text[] as an array on both drivers (one may hand back the literal '{a,b}'). */
const pgArray = (v: string[] | string | null): string[] => (Array.isArray(v) ? v : v ? v.replace(/^\{|\}$/g, '').split(',').filter(Boolean) : []);

interface CaseDbRow {
  id: string; no: string; district_id: string | null; source: CaseRow['source']; category_id: string; priority: CaseRow['priority']; description: string;
  state: CaseRow['state']; closing_kind: CaseRow['closingKind']; version: number; grid_id: string | null; grid_pinned: boolean; area_path: string; owner_area_id: string; owner_path: string;
  unit_id: string | null; unit_history: string[] | string; route: CaseRow['route']; lon: number | null; lat: number | null; address: string | null; building_id: string | null;
  reporter_name: string | null; reporter_phone_masked: string | null; reporter_user_id: string | null; extra: Record<string, unknown>;
  due_at: string | null; paused_at: string | null; remaining_minutes: number | null; supervision: CaseRow['supervision']; supervised: boolean; supervise_note: string | null;
  merged_into: string | null; rating: CaseRow['rating']; rating_comment: string | null; dispatched_by: string | null; reported_by: string | null;
  reported_at: string; dispatched_at: string | null; handled_at: string | null; closed_at: string | null; updated_at: string; tracking_hash: string | null;
}

/** The case columns read from `source` (the table, or a CTE that just inserted a row). */
const caseSelectFrom = (source: SQL) => sql`SELECT c.id::text, c.no, c.district_id::text, c.source, c.category_id::text, c.priority, c.description, c.state, c.closing_kind, c.version,
  c.grid_id::text, c.grid_pinned, c.area_path::text, c.owner_area_id::text, c.owner_path::text, c.unit_id::text, c.unit_history::text[] AS unit_history, c.route, c.lon, c.lat, c.address, c.building_id::text,
  c.reporter_name, c.reporter_phone_masked, c.reporter_user_id::text, c.extra, ${isoZ(sql`c.due_at`)} AS due_at, ${isoZ(sql`c.paused_at`)} AS paused_at,
  c.remaining_minutes, c.supervision, c.supervised, c.supervise_note, c.merged_into::text, c.rating, c.rating_comment, c.dispatched_by::text, c.reported_by::text,
  ${isoZ(sql`c.reported_at`)} AS reported_at, ${isoZ(sql`c.dispatched_at`)} AS dispatched_at, ${isoZ(sql`c.handled_at`)} AS handled_at,
  ${isoZ(sql`c.closed_at`)} AS closed_at, ${isoZ(sql`c.updated_at`)} AS updated_at, c.tracking_hash FROM ${source} c`;
const caseSelect = caseSelectFrom(sql`cases`);

const toCase = (r: CaseDbRow): CaseRow & { trackingHash: string | null } => ({
  id: r.id, no: r.no, districtId: r.district_id, source: r.source, categoryId: r.category_id, priority: r.priority, description: r.description, state: r.state,
  closingKind: r.closing_kind, version: r.version, gridId: r.grid_id, gridPinned: r.grid_pinned, areaPath: r.area_path, ownerAreaId: r.owner_area_id, ownerPath: r.owner_path, unitId: r.unit_id, unitHistory: pgArray(r.unit_history),
  route: r.route, lon: r.lon, lat: r.lat, address: r.address, buildingId: r.building_id, reporterName: r.reporter_name, reporterPhoneMasked: r.reporter_phone_masked,
  reporterUserId: r.reporter_user_id, extra: r.extra ?? {}, dueAt: d(r.due_at), pausedAt: d(r.paused_at), remainingMinutes: r.remaining_minutes, supervision: r.supervision,
  supervised: r.supervised, superviseNote: r.supervise_note, mergedInto: r.merged_into, rating: r.rating, ratingComment: r.rating_comment, dispatchedBy: r.dispatched_by,
  reportedBy: r.reported_by, reportedAt: new Date(r.reported_at), dispatchedAt: d(r.dispatched_at), handledAt: d(r.handled_at), closedAt: d(r.closed_at),
  updatedAt: new Date(r.updated_at), trackingHash: r.tracking_hash,
});

interface CatDbRow {
  id: string; parent_id: string | null; code: string; level: number; name_zh: string; name_en: string | null; default_unit_id: string | null; default_unit_name: string | null;
  limit_unit: 'hours' | 'days'; limits: CategoryRow['limits']; verify_required: boolean; pause_pending: boolean; extra_fields: CategoryRow['extraFields'];
  open311_code: string | null; active: boolean; active_effective: boolean; has_children: boolean; ancestor_ids: string[] | string;
}
const catSelect = sql`SELECT k.id::text, k.parent_id::text, k.code, k.level, k.name_zh, k.name_en, k.default_unit_id::text, u.name_zh AS default_unit_name, k.limit_unit,
  k.limits, k.verify_required, k.pause_pending, k.extra_fields, k.open311_code, k.active,
  (k.active AND coalesce(p.active, true) AND coalesce(pp.active, true)) AS active_effective,
  EXISTS (SELECT 1 FROM case_categories ch WHERE ch.parent_id = k.id) AS has_children,
  array_remove(ARRAY[k.id, p.id, pp.id], NULL)::text[] AS ancestor_ids
  FROM case_categories k LEFT JOIN handling_units u ON u.id = k.default_unit_id
  LEFT JOIN case_categories p ON p.id = k.parent_id LEFT JOIN case_categories pp ON pp.id = p.parent_id`;
const toCat = (r: CatDbRow): CategoryRow => ({
  id: r.id, parentId: r.parent_id, code: r.code, level: r.level, nameZh: r.name_zh, nameEn: r.name_en, defaultUnitId: r.default_unit_id, limitUnit: r.limit_unit,
  limits: r.limits, verifyRequired: r.verify_required, pausePending: r.pause_pending, extraFields: r.extra_fields ?? [], open311Code: r.open311_code, active: r.active,
  activeEffective: r.active_effective, hasChildren: r.has_children, ancestorIds: pgArray(r.ancestor_ids),
});

interface UnitDbRow { id: string; code: string; name_zh: string; kind: UnitRow['kind']; area_id: string; area_path: string; active: boolean }
const unitSelect = sql`SELECT u.id::text, u.code, u.name_zh, u.kind, u.area_id::text, a.path::text AS area_path, u.active FROM handling_units u JOIN areas a ON a.id = u.area_id`;
const toUnit = (r: UnitDbRow): UnitRow => ({ id: r.id, code: r.code, nameZh: r.name_zh, kind: r.kind, areaId: r.area_id, areaPath: r.area_path, active: r.active });

interface RuleDbRow { id: string; seq: number; name: string; category_id: string | null; area_id: string | null; area_path: string | null; unit_id: string; active: boolean }
const ruleSelect = sql`SELECT r.id::text, r.seq, r.name, r.category_id::text, r.area_id::text, a.path::text AS area_path, r.unit_id::text, r.active
  FROM routing_rules r LEFT JOIN areas a ON a.id = r.area_id`;
const toRule = (r: RuleDbRow): RuleRow => ({ id: r.id, seq: r.seq, name: r.name, categoryId: r.category_id, areaId: r.area_id, areaPath: r.area_path, unitId: r.unit_id, active: r.active });

/** The flow table's lists, as SQL: states where the owning level decides (handled only without verification), and where the clock runs. */
const DECIDING = inList(DECIDING_STATES.filter((s) => s !== 'handled'));
const RUNNING = inList([...RUNNING_STATES]);

interface ItemDbRow {
  id: string; no: string; state: CaseListItem['state']; state_kind: 'open' | 'closed'; closing_kind: CaseListItem['closingKind']; source: CaseListItem['source'];
  priority: CaseListItem['priority']; category_id: string; category_name: string; description: string; address: string | null; lon: number | null; lat: number | null;
  grid_id: string | null; grid_name: string | null; owner_area_name: string; unit_id: string | null; unit_name: string | null; due_at: string | null; paused: boolean;
  supervision: CaseListItem['supervision']; supervised: boolean; rating: CaseListItem['rating']; reported_at: string; updated_at: string; version: number;
}
const itemSelectFrom = (source: SQL) => sql`SELECT c.id::text, c.no, c.state, c.state_kind, c.closing_kind, c.source, c.priority, c.category_id::text, k.name_zh AS category_name, c.description,
  c.address, c.lon, c.lat, c.grid_id::text, g.name_zh AS grid_name, o.name_zh AS owner_area_name, c.unit_id::text, u.name_zh AS unit_name,
  ${isoZ(sql`c.due_at`)} AS due_at, c.paused_at IS NOT NULL AS paused, c.supervision, c.supervised, c.rating, ${isoZ(sql`c.reported_at`)} AS reported_at,
  ${isoZ(sql`c.updated_at`)} AS updated_at, c.version
  FROM ${source} c JOIN case_categories k ON k.id = c.category_id LEFT JOIN areas g ON g.id = c.grid_id JOIN areas o ON o.id = c.owner_area_id
  LEFT JOIN handling_units u ON u.id = c.unit_id`;
const itemSelect = itemSelectFrom(sql`cases`);
const toItem = (r: ItemDbRow): CaseListItem => ({
  id: r.id, no: r.no, state: r.state, stateKind: r.state_kind, closingKind: r.closing_kind, source: r.source, priority: r.priority, categoryId: r.category_id,
  categoryName: r.category_name, description: r.description, address: r.address, lon: r.lon, lat: r.lat, gridId: r.grid_id, gridName: r.grid_name,
  ownerAreaName: r.owner_area_name, unitId: r.unit_id, unitName: r.unit_name, dueAt: r.due_at, paused: r.paused, supervision: r.supervision, supervised: r.supervised,
  rating: r.rating, reportedAt: r.reported_at, updatedAt: r.updated_at, version: r.version,
});

/** The stamp of calendar_days: changes whenever a day is added, edited or removed (a statement trigger bumps it, migration 0010). */
const calendarStampSql = sql`SELECT calendar::text FROM reference_epoch WHERE id = 1`;

/** The INSERT of one trace step at position `seq`. */
const eventInsert = (caseId: string, districtId: string | null, e: Omit<CaseEventRow, 'seq'>, seq: SQL): SQL => sql`
  INSERT INTO case_events (case_id, district_id, seq, action, from_state, to_state, actor_id, actor_name, at, note, data)
  VALUES (${caseId}::uuid, ${districtId}::bigint, ${seq}, ${e.action}, ${e.fromState},
    ${e.toState}, ${e.actorId}::uuid, ${e.actorName}, ${e.at.toISOString()}::timestamptz, ${e.note}, ${JSON.stringify(e.data)}::jsonb)`;

export function casesRepo(db: Db, crypto?: FieldCrypto): CasesPort {
  const needCrypto = () => {
    if (!crypto) throw new Error('field encryption is not configured');
    return crypto;
  };

  const unitIn = (v: CaseViewer): SQL => (v.unitIds.length ? sql`c.unit_id::text IN ${inList(v.unitIds)}` : sql`false`);
  const onceAtUnit = (v: CaseViewer): SQL => (v.unitIds.length ? sql`c.unit_history && ${`{${v.unitIds.join(',')}}`}::uuid[]` : sql`false`);
  const ownedHere = (v: CaseViewer): SQL =>
    v.dispatchScope.paths.length ? sql`c.owner_path::text IN ${inList(v.dispatchScope.paths)}` : sql`false`;
  const toDispatch = (v: CaseViewer): SQL =>
    sql`(${ownedHere(v)} AND (c.state IN ${DECIDING} OR (c.state = 'handled' AND NOT k.verify_required)))`;
  const pending = (v: CaseViewer): SQL => sql`((${unitIn(v)} AND c.state IN ('dispatched','handling')) OR ${toDispatch(v)})`;
  const queueSql = (queue: CaseQueue, v: CaseViewer, now: Date): SQL => {
    // eslint-disable-next-line default-case -- every queue is listed; the compiler checks it
    switch (queue) {
      case 'all': return sql`true`;
      case 'to_dispatch': return toDispatch(v);
      case 'my_pending': return pending(v);
      case 'my_overdue': return sql`(${pending(v)} AND c.state IN ${RUNNING} AND c.paused_at IS NULL AND c.due_at < ${now.toISOString()}::timestamptz)`;
      case 'dispatched_by_me': return sql`(c.dispatched_by = ${v.userId}::uuid AND c.state_kind = 'open')`;
      case 'to_verify': return sql`(c.state = 'handled' AND k.verify_required AND ${underScope(sql`c.area_path`, v.verifyScope)})`;
      case 'supervision': return sql`(c.state_kind = 'open' AND (c.supervision <> 'none' OR c.supervised))`;
      case 'closed': return sql`c.state_kind = 'closed'`;
      default: return queue satisfies never;
    }
  };
  /** Area scope in SQL: in the read scope, owned where the viewer dispatches, or at the viewer's unit (unit ids compared as text: one path on both drivers). */
  const visibleWhere = (v: CaseViewer): SQL =>
    sql`(${underScope(sql`c.area_path`, v.readScope)} OR ${underScope(sql`c.owner_path`, v.dispatchScope)} OR ${unitIn(v)} OR ${onceAtUnit(v)})`;

  const categoryWhere = async (where: SQL) => (await rows<CatDbRow>(db, sql`${catSelect} WHERE ${where}`)).map(toCat);

  return {
    async categories() {
      return (await rows<CatDbRow>(db, sql`${catSelect} ORDER BY k.sort_key, k.code`)).map(toCat);
    },
    async category(id) {
      return (await categoryWhere(sql`k.id = ${id}::uuid`))[0] ?? null;
    },
    async categoryByCode(code) {
      return (await categoryWhere(sql`k.code = ${code}`))[0] ?? null;
    },
    async insertCategory(c, at) {
      const [r] = await rows<{ id: string }>(db, sql`
        INSERT INTO case_categories (parent_id, code, level, name_zh, name_en, default_unit_id, limit_unit, limits, verify_required, pause_pending, extra_fields, open311_code, active, created_at, updated_at)
        VALUES (${c.parentId}::uuid, ${c.code}, ${c.level}, ${c.nameZh}, ${c.nameEn ?? null}, ${c.defaultUnitId ?? null}::uuid, ${c.limitUnit}, ${JSON.stringify(c.limits)}::jsonb,
                ${c.verifyRequired}, ${c.pausePending}, ${JSON.stringify(c.extraFields)}::jsonb, ${c.open311Code ?? null}, ${c.active}, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)
        ON CONFLICT (code) DO NOTHING RETURNING id::text`);
      if (!r) throw new DomainError('case.category_code_taken', 'conflict', { code: c.code });
      return r.id;
    },
    async updateCategory(id, c, at) {
      await db.execute(sql`
        UPDATE case_categories SET parent_id = ${c.parentId}::uuid, code = ${c.code}, level = ${c.level}, name_zh = ${c.nameZh}, name_en = ${c.nameEn ?? null},
          default_unit_id = ${c.defaultUnitId ?? null}::uuid, limit_unit = ${c.limitUnit}, limits = ${JSON.stringify(c.limits)}::jsonb, verify_required = ${c.verifyRequired},
          pause_pending = ${c.pausePending}, extra_fields = ${JSON.stringify(c.extraFields)}::jsonb, open311_code = ${c.open311Code ?? null}, active = ${c.active},
          updated_at = ${at.toISOString()}::timestamptz
        WHERE id = ${id}::uuid`);
    },
    async categoryViews(): Promise<CategoryView[]> {
      const r = await rows<CatDbRow>(db, sql`${catSelect} ORDER BY k.sort_key, k.code`);
      return r.map((x) => ({
        id: x.id, parentId: x.parent_id, code: x.code, level: x.level, nameZh: x.name_zh, nameEn: x.name_en, defaultUnitId: x.default_unit_id, defaultUnitName: x.default_unit_name,
        limitUnit: x.limit_unit, limits: x.limits, verifyRequired: x.verify_required, pausePending: x.pause_pending, extraFields: x.extra_fields ?? [], open311Code: x.open311_code, active: x.active,
      }));
    },

    async units() {
      return (await rows<UnitDbRow>(db, sql`${unitSelect} ORDER BY u.code`)).map(toUnit);
    },
    async unit(id) {
      return (await rows<UnitDbRow>(db, sql`${unitSelect} WHERE u.id = ${id}::uuid`)).map(toUnit)[0] ?? null;
    },
    async unitViews(): Promise<UnitView[]> {
      const r = await rows<UnitDbRow & { area_name: string; members: number }>(db, sql`
        SELECT u.id::text, u.code, u.name_zh, u.kind, u.area_id::text, a.name_zh AS area_name,
               (SELECT count(*)::int FROM unit_members m WHERE m.unit_id = u.id) AS members
        FROM handling_units u JOIN areas a ON a.id = u.area_id WHERE u.active ORDER BY u.kind, u.code`);
      return r.map((x) => ({ id: x.id, code: x.code, nameZh: x.name_zh, kind: x.kind, areaId: x.area_id, areaName: x.area_name, members: x.members }));
    },
    async officeOf(areaId) {
      return (await rows<UnitDbRow>(db, sql`${unitSelect} WHERE u.area_id = ${areaId}::bigint AND u.kind = 'area_office' AND u.active ORDER BY u.code LIMIT 1`)).map(toUnit)[0] ?? null;
    },
    async unitIdsOf(userId) {
      return (await rows<{ unit_id: string }>(db, sql`SELECT unit_id::text FROM unit_members WHERE user_id = ${userId}::uuid`)).map((r) => r.unit_id);
    },
    async unitMembers(unitIds) {
      if (unitIds.length === 0) return [];
      return (await rows<{ user_id: string }>(db, sql`
        SELECT DISTINCT m.user_id::text FROM unit_members m JOIN users u ON u.id = m.user_id WHERE m.unit_id::text IN ${inList(unitIds)} AND NOT u.disabled`)).map((r) => r.user_id);
    },
    async usersWithRoleOn(areaIds, roles) {
      if (areaIds.length === 0 || roles.length === 0) return [];
      return (await rows<{ user_id: string }>(db, sql`
        SELECT DISTINCT g.user_id::text FROM user_grants g JOIN users u ON u.id = g.user_id
        WHERE g.area_id IN ${inList(areaIds.map(Number))} AND g.role IN ${inList(roles)} AND NOT u.disabled`)).map((r) => r.user_id);
    },

    async rules() {
      return (await rows<RuleDbRow>(db, sql`${ruleSelect} ORDER BY r.seq, r.id`)).map(toRule);
    },
    async rule(id) {
      return (await rows<RuleDbRow>(db, sql`${ruleSelect} WHERE r.id = ${id}::uuid`)).map(toRule)[0] ?? null;
    },
    async ruleViews(): Promise<RoutingRuleView[]> {
      const r = await rows<RuleDbRow & { category_name: string | null; area_name: string | null; unit_name: string }>(db, sql`
        SELECT r.id::text, r.seq, r.name, r.category_id::text, k.name_zh AS category_name, r.area_id::text, a.name_zh AS area_name, r.unit_id::text, u.name_zh AS unit_name, r.active
        FROM routing_rules r LEFT JOIN case_categories k ON k.id = r.category_id LEFT JOIN areas a ON a.id = r.area_id JOIN handling_units u ON u.id = r.unit_id
        ORDER BY r.seq, r.id`);
      return r.map((x) => ({ id: x.id, seq: x.seq, name: x.name, categoryId: x.category_id, categoryName: x.category_name, areaId: x.area_id, areaName: x.area_name, unitId: x.unit_id, unitName: x.unit_name, active: x.active }));
    },
    async insertRule(r, at) {
      const [x] = await rows<{ id: string }>(db, sql`
        INSERT INTO routing_rules (seq, name, category_id, area_id, unit_id, active, created_at)
        VALUES (${r.seq}, ${r.name}, ${r.categoryId}::uuid, ${r.areaId}::bigint, ${r.unitId}::uuid, ${r.active}, ${at.toISOString()}::timestamptz) RETURNING id::text`);
      return x!.id;
    },
    async updateRule(id, r) {
      await db.execute(sql`UPDATE routing_rules SET seq = ${r.seq}, name = ${r.name}, category_id = ${r.categoryId}::uuid, area_id = ${r.areaId}::bigint,
        unit_id = ${r.unitId}::uuid, active = ${r.active} WHERE id = ${id}::uuid`);
    },
    async deleteRule(id) {
      return (await rows(db, sql`DELETE FROM routing_rules WHERE id = ${id}::uuid RETURNING id`)).length > 0;
    },

    async calendarOverrides() {
      const r = await rows<{ day: string; workday: boolean }>(db, sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, workday FROM calendar_days`);
      return new Map(r.map((x) => [x.day, x.workday]));
    },
    async calendarYear(year) {
      return rows<{ date: string; workday: boolean; name: string | null; source: 'package' | 'admin' }>(db, sql`
        SELECT to_char(day, 'YYYY-MM-DD') AS date, workday, name, source FROM calendar_days
        WHERE day >= make_date(${year}::int, 1, 1) AND day < make_date(${year + 1}::int, 1, 1) ORDER BY day`);
    },
    async setCalendarDay(x, by, at) {
      await db.execute(sql`
        INSERT INTO calendar_days (day, workday, name, source, updated_by, updated_at)
        VALUES (${x.date}::date, ${x.workday}, ${x.name}, 'admin', ${by}, ${at.toISOString()}::timestamptz)
        ON CONFLICT (day) DO UPDATE SET workday = EXCLUDED.workday, name = EXCLUDED.name, source = 'admin', updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`);
    },
    async deleteCalendarDay(date) {
      return (await rows(db, sql`DELETE FROM calendar_days WHERE day = ${date}::date RETURNING day`)).length > 0;
    },
    async calendarStamp() {
      const [r] = await rows<{ stamp: string }>(db, sql`SELECT (${calendarStampSql}) AS stamp`);
      return r!.stamp;
    },

    async insertReported(w) {
      const c = w.case;
      const phone = c.reporterPhone;
      const at = w.at.toISOString();
      const ctes: SQL[] = [
        sql`ins AS (
          INSERT INTO cases (id, no, district_id, source, category_id, priority, description, state, state_kind, closing_kind, grid_id, grid_pinned, area_path, owner_area_id, owner_path,
            unit_id, route, lon, lat, address, building_id, reporter_name, reporter_phone_enc, reporter_phone_masked, reporter_user_id, tracking_hash, extra,
            reported_by, reported_at, closed_at, updated_at)
          VALUES (${c.id}::uuid, ${c.no}, ${c.districtId}::bigint, ${c.source}, ${c.categoryId}::uuid, ${c.priority}, ${c.description},
            ${c.state}, ${STATES[c.state].kind}, ${c.closingKind}, ${c.gridId}::bigint, ${c.gridPinned}, ${c.areaPath}::ltree, ${c.ownerAreaId}::bigint, ${c.ownerPath}::ltree, ${c.unitId}::uuid,
            ${c.route ? JSON.stringify(c.route) : null}::jsonb, ${c.lon}, ${c.lat}, ${c.address}, ${c.buildingId}::uuid, ${c.reporterName}, ${phone ? needCrypto().encrypt(phone) : null},
            ${phone ? maskPhone(phone) : null}, ${c.reporterUserId}::uuid, ${c.trackingHash}, ${JSON.stringify(c.extra)}::jsonb, ${c.reportedBy}::uuid,
            ${c.reportedAt.toISOString()}::timestamptz, ${c.closedAt?.toISOString() ?? null}::timestamptz, ${at}::timestamptz)
          RETURNING *)`,
        sql`ev AS (${eventInsert(c.id, c.districtId, w.event, sql`1`)})`,
        sql`au AS (${auditInsertSql(w.audit)})`,
        ...emitCtes('em', w.emit.event, w.emit.payload, w.at),
        ...(w.sms ? [sql`sms AS (${smsJobSql(needCrypto(), w.sms.phone, w.sms.text, w.sms.uniqueRef, w.at)})`] : []),
      ];
      // Data-modifying CTEs all run, in one snapshot; the case is read back from `ins` (RETURNING), as find/listItem read it.
      const [r] = await preparedRows<{ c: CaseDbRow; i: ItemDbRow }>(db, 'intake', sql`WITH ${sql.join(ctes, sql`, `)}
        SELECT (SELECT row_to_json(q) FROM (${caseSelectFrom(sql`ins`)}) q) AS c, (SELECT row_to_json(q) FROM (${itemSelectFrom(sql`ins`)}) q) AS i`);
      return { row: toCase(r!.c), item: toItem(r!.i) };
    },
    async reserveCaseNumbers(n) {
      return (await rows<{ n: string }>(db, sql`SELECT nextval('case_no_seq')::text AS n FROM generate_series(1, ${n}::int)`)).map((r) => r.n);
    },
    async referenceStamp() {
      const [r] = await preparedRows<{ grids: number; calendar: string; config: string }>(db, 'reference_stamp', sql`
        SELECT (SELECT epoch::int FROM grid_epoch WHERE id = 1) AS grids, r.calendar::text AS calendar, r.epoch::text AS config
        FROM reference_epoch r WHERE r.id = 1`);
      return { grids: r?.grids ?? 0, calendar: r!.calendar, config: r?.config ?? '0' };
    },
    async find(id) {
      const [r] = await rows<CaseDbRow>(db, sql`${caseSelect} WHERE c.id = ${id}::uuid`);
      return r ? toCase(r) : null;
    },
    async findByNo(no) {
      const [r] = await rows<CaseDbRow>(db, sql`${caseSelect} WHERE c.no = ${no}`);
      return r ? toCase(r) : null;
    },
    async lock(id) {
      const [r] = await rows<CaseDbRow>(db, sql`${caseSelect} WHERE c.id = ${id}::uuid FOR UPDATE`);
      return r ? toCase(r) : null;
    },
    async update(id, version, p, at) {
      const sets: SQL[] = [sql`version = version + 1`, sql`updated_at = ${at.toISOString()}::timestamptz`];
      const ts = (v: Date | null | undefined) => (v ? v.toISOString() : null);
      if (p.state !== undefined) sets.push(sql`state = ${p.state}`, sql`state_kind = ${STATES[p.state].kind}`);
      if (p.closingKind !== undefined) sets.push(sql`closing_kind = ${p.closingKind}`);
      if (p.gridId !== undefined) sets.push(sql`grid_id = ${p.gridId}::bigint`);
      if (p.gridPinned !== undefined) sets.push(sql`grid_pinned = ${p.gridPinned}`);
      if (p.areaPath !== undefined) sets.push(sql`area_path = ${p.areaPath}::ltree`);
      if (p.districtId !== undefined) sets.push(sql`district_id = ${p.districtId}::bigint`);
      if (p.ownerAreaId !== undefined) sets.push(sql`owner_area_id = ${p.ownerAreaId}::bigint`);
      if (p.ownerPath !== undefined) sets.push(sql`owner_path = ${p.ownerPath}::ltree`);
      if (p.unitId !== undefined) {
        sets.push(sql`unit_id = ${p.unitId}::uuid`);
        if (p.unitId !== null) sets.push(sql`unit_history = CASE WHEN ${p.unitId}::uuid = ANY(unit_history) THEN unit_history ELSE array_append(unit_history, ${p.unitId}::uuid) END`);
      }
      if (p.route !== undefined) sets.push(sql`route = ${p.route ? JSON.stringify(p.route) : null}::jsonb`);
      if (p.dueAt !== undefined) sets.push(sql`due_at = ${ts(p.dueAt)}::timestamptz`);
      if (p.pausedAt !== undefined) sets.push(sql`paused_at = ${ts(p.pausedAt)}::timestamptz`);
      if (p.remainingMinutes !== undefined) sets.push(sql`remaining_minutes = ${p.remainingMinutes === null ? null : Math.round(p.remainingMinutes)}::int`);
      if (p.supervision !== undefined) sets.push(sql`supervision = ${p.supervision}`);
      if (p.supervised !== undefined) sets.push(sql`supervised = ${p.supervised}`);
      if (p.superviseNote !== undefined) sets.push(sql`supervise_note = ${p.superviseNote}`);
      if (p.mergedInto !== undefined) sets.push(sql`merged_into = ${p.mergedInto}::uuid`);
      if (p.rating !== undefined) sets.push(sql`rating = ${p.rating}`);
      if (p.ratingComment !== undefined) sets.push(sql`rating_comment = ${p.ratingComment}`);
      if (p.dispatchedBy !== undefined) sets.push(sql`dispatched_by = ${p.dispatchedBy}::uuid`);
      if (p.dispatchedAt !== undefined) sets.push(sql`dispatched_at = ${ts(p.dispatchedAt)}::timestamptz`);
      if (p.handledAt !== undefined) sets.push(sql`handled_at = ${ts(p.handledAt)}::timestamptz`);
      if (p.closedAt !== undefined) sets.push(sql`closed_at = ${ts(p.closedAt)}::timestamptz`);
      const r = await rows(db, sql`UPDATE cases SET ${sql.join(sets, sql`, `)} WHERE id = ${id}::uuid AND version = ${version} RETURNING id`);
      return r.length === 1;
    },
    async reporterPhone(id) {
      const [r] = await rows<{ enc: string | null }>(db, sql`SELECT reporter_phone_enc AS enc FROM cases WHERE id = ${id}::uuid`);
      return r?.enc ? needCrypto().decrypt(r.enc) : null;
    },
    async appendEvent(caseId, districtId, e) {
      const [r] = await rows<{ seq: number }>(db, sql`${eventInsert(caseId, districtId, e, sql`(SELECT coalesce(max(seq), 0) + 1 FROM case_events WHERE case_id = ${caseId}::uuid)`)} RETURNING seq`);
      return r!.seq;
    },
    async events(caseId) {
      const r = await rows<{ seq: number; action: string; from_state: CaseRow['state'] | null; to_state: CaseRow['state']; actor_id: string | null; actor_name: string | null; at: string; note: string | null; data: Record<string, unknown> }>(db, sql`
        SELECT seq, action, from_state, to_state, actor_id::text, actor_name, ${isoZ(sql`at`)} AS at, note, data FROM case_events WHERE case_id = ${caseId}::uuid ORDER BY seq`);
      return r.map((e) => ({ seq: e.seq, action: e.action, fromState: e.from_state, toState: e.to_state, actorId: e.actor_id, actorName: e.actor_name, at: new Date(e.at), note: e.note, data: e.data ?? {} }));
    },
    async duplicatesOf(caseId) {
      const r = await rows<{ id: string; no: string; enc: string | null; reported_by: string | null }>(db, sql`
        SELECT id::text, no, reporter_phone_enc AS enc, reported_by::text FROM cases WHERE merged_into = ${caseId}::uuid ORDER BY reported_at`);
      return r.map((x) => ({ id: x.id, no: x.no, reporterPhone: x.enc ? needCrypto().decrypt(x.enc) : null, reportedBy: x.reported_by }));
    },
    async duplicateRefs(caseId) {
      return rows<{ id: string; no: string }>(db, sql`SELECT id::text, no FROM cases WHERE merged_into = ${caseId}::uuid ORDER BY reported_at`);
    },
    async list(v, f) {
      const where: SQL[] = [visibleWhere(v), queueSql(f.queue, v, f.now)];
      if (f.state) where.push(sql`c.state = ${f.state}`);
      if (f.categoryId) where.push(sql`(k.id = ${f.categoryId}::uuid OR k.parent_id = ${f.categoryId}::uuid OR k.parent_id IN (SELECT id FROM case_categories WHERE parent_id = ${f.categoryId}::uuid))`);
      if (f.areaPath) where.push(sql`c.area_path <@ ${f.areaPath}::ltree`);
      if (f.priority) where.push(sql`c.priority = ${f.priority}`);
      if (f.source) where.push(sql`c.source = ${f.source}`);
      if (f.q) where.push(sql`(c.no = ${f.q.toUpperCase()} OR c.description ILIKE ${'%' + likeEscape(f.q) + '%'} OR c.address ILIKE ${'%' + likeEscape(f.q) + '%'})`);
      if (f.from) where.push(sql`c.reported_at >= ${f.from.toISOString()}::timestamptz`);
      if (f.to) where.push(sql`c.reported_at < ${f.to.toISOString()}::timestamptz`);
      const cond = sql.join(where, sql` AND `);
      const order = f.queue === 'closed' ? sql`c.closed_at DESC NULLS LAST, c.id` : sql`(c.due_at IS NULL), c.due_at, c.reported_at DESC, c.id`;
      const items = await rows<ItemDbRow>(db, sql`${itemSelect} WHERE ${cond} ORDER BY ${order} LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`);
      const [t] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM cases c JOIN case_categories k ON k.id = c.category_id WHERE ${cond}`);
      return { items: items.map(toItem), total: t!.n };
    },
    async counts(v, now) {
      const queues: CaseQueue[] = ['all', 'to_dispatch', 'my_pending', 'my_overdue', 'dispatched_by_me', 'to_verify', 'supervision', 'closed'];
      const cols = sql.join(queues.map((q) => sql`count(*) FILTER (WHERE ${queueSql(q, v, now)})::int AS ${sql.raw(q)}`), sql`, `);
      const [r] = await rows<Record<CaseQueue, number>>(db, sql`SELECT ${cols} FROM cases c JOIN case_categories k ON k.id = c.category_id WHERE ${visibleWhere(v)}`);
      return r!;
    },
    async nearbyOpen(scope, box, since, topCategoryId, limit): Promise<NearbyCandidate[]> {
      const where: SQL[] = [sql`c.state_kind = 'open'`, sql`c.merged_into IS NULL`, underScope(sql`c.area_path`, scope), sql`c.reported_at >= ${since.toISOString()}::timestamptz`];
      if (box) where.push(sql`c.lat BETWEEN ${box.minLat} AND ${box.maxLat} AND c.lon BETWEEN ${box.minLon} AND ${box.maxLon}`);
      const top = sql`coalesce(pp.id, p.id, k.id)`;
      if (topCategoryId) where.push(sql`${top} = ${topCategoryId}::uuid`);
      const r = await rows<{ id: string; no: string; state: CaseRow['state']; category_id: string; category_top_id: string; category_name: string; description: string; address: string | null; lon: number | null; lat: number | null; reported_at: string }>(db, sql`
        SELECT c.id::text, c.no, c.state, c.category_id::text, ${top}::text AS category_top_id, k.name_zh AS category_name, c.description, c.address, c.lon, c.lat,
               ${isoZ(sql`c.reported_at`)} AS reported_at
        FROM cases c JOIN case_categories k ON k.id = c.category_id
          LEFT JOIN case_categories p ON p.id = k.parent_id LEFT JOIN case_categories pp ON pp.id = p.parent_id
        WHERE ${sql.join(where, sql` AND `)} ORDER BY c.reported_at DESC LIMIT ${limit}`);
      return r.map((x) => ({ id: x.id, no: x.no, state: x.state, categoryId: x.category_id, categoryTopId: x.category_top_id, categoryName: x.category_name, description: x.description, address: x.address, lon: x.lon, lat: x.lat, reportedAt: new Date(x.reported_at) }));
    },
    async runningWithDeadline(limit, afterId) {
      const r = await rows<CaseDbRow>(db, sql`${caseSelect}
        WHERE c.state IN ${RUNNING} AND c.paused_at IS NULL AND c.due_at IS NOT NULL AND c.supervision <> 'overdue'
          ${afterId ? sql`AND c.id > ${afterId}::uuid` : sql``}
        ORDER BY c.id LIMIT ${limit}`);
      return r.map(toCase);
    },
    async setSupervision(id, from, to, dueAt) {
      const [r] = await rows<{ state: CaseRow['state']; unit_id: string | null; owner_area_id: string; owner_path: string }>(db, sql`
        UPDATE cases SET supervision = ${to}
        WHERE id = ${id}::uuid AND supervision = ${from} AND due_at = ${dueAt.toISOString()}::timestamptz AND paused_at IS NULL AND state IN ${RUNNING}
        RETURNING state, unit_id::text, owner_area_id::text, owner_path::text`);
      return r ? { state: r.state, unitId: r.unit_id, ownerAreaId: r.owner_area_id, ownerPath: r.owner_path } : null;
    },
    async openCasesUnder(path) {
      return rows<{ id: string; no: string; state: CaseRow['state']; gridId: string | null; pinned: boolean; districtId: string | null; lon: number | null; lat: number | null }>(db, sql`
        SELECT id::text, no, state, grid_id::text AS "gridId", grid_pinned AS pinned, district_id::text AS "districtId", lon, lat FROM cases WHERE state_kind = 'open' AND area_path <@ ${path}::ltree ORDER BY no`);
    },
    async moveToGrid(id, gridId, at) {
      await db.execute(sql`
        UPDATE cases c SET grid_id = g.id, area_path = g.path, district_id = g.district_id,
          owner_area_id = CASE WHEN c.owner_area_id = c.grid_id THEN g.id ELSE c.owner_area_id END,
          owner_path = CASE WHEN c.owner_area_id = c.grid_id THEN g.path ELSE c.owner_path END,
          version = c.version + 1, updated_at = ${at.toISOString()}::timestamptz
        FROM areas g WHERE g.id = ${gridId}::bigint AND c.id = ${id}::uuid`);
    },
    async listItem(id) {
      const [r] = await rows<ItemDbRow>(db, sql`${itemSelect} WHERE c.id = ${id}::uuid`);
      return r ? toItem(r) : null;
    },
  };
}

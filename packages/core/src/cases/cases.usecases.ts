import {
  caseActionLabels, caseStateLabels, closingKindLabels, transitionFieldLabels, type CaseAction, type CaseDetail, type CaseIntake, type CaseListItem, type CaseListQuery, type CaseState,
  type Locale, type NotificationKind, type TransitionBody,
} from '@wangge/contracts';
import { conflict, forbidden, invalid, notFound, DomainError } from '../shared/errors.ts';
import { maskName } from '../shared/mask.ts';
import { can, holdsSomewhere, inScope, roleCan, rolePermissions, rolesWith, scopeFor, visibleScope } from '../auth/auth.policy.ts';
import type { Actor } from '../auth/auth.types.ts';
import type { Ports, Store } from '../ports.ts';
import type { GridRow } from '../grids/grids.types.ts';
import { isWithin, pathIds } from '../areas/areas.rules.ts';
import type { CaseDeps } from './cases.deps.ts';
import type { CaseEventRow, CasePatch, CaseRow, CaseViewer, CategoryRow, ReportWrite } from './cases.ports.ts';
import { allowedFields, closingAfter, STATES, TRANSITIONS, targetState, transitionsFor, type TransitionDef } from './cases.machine.ts';
import {
  applyDeadline, escalationTargetOf, guardHolds, guardWhy, isBy, presentFields, remainingMinutes, type CaseFacts,
} from './cases.effects.ts';
import { route } from './routing.rules.ts';
import { boxAround, distanceM, duplicateScore, SUGGEST_THRESHOLD, textSimilarity } from './duplicates.rules.ts';

const DAY_MS = 86_400_000;

// ── Who sees what ─────────────────────────────────────────────────────────────

export async function viewerOf(ports: Pick<Ports, 'cases'>, actor: Actor): Promise<CaseViewer> {
  return {
    readScope: scopeFor(actor, 'case.read'),
    dispatchScope: scopeFor(actor, 'case.dispatch'),
    verifyScope: scopeFor(actor, 'case.verify'),
    unitIds: holdsSomewhere(actor, 'case.handle') ? await ports.cases.unitIdsOf(actor.userId) : [],
    userId: actor.userId,
  };
}

/** Sees the case as it is now, trace and all: in the read scope, owned where the actor dispatches, or at the actor's unit. */
function seesWhole(v: CaseViewer, c: Pick<CaseRow, 'areaPath' | 'ownerPath' | 'unitId'>): boolean {
  return inScope(v.readScope, c.areaPath) || inScope(v.dispatchScope, c.ownerPath) || (c.unitId !== null && v.unitIds.includes(c.unitId));
}

/** The same rule the repository applies in SQL for lists: seen whole, or once at the actor's unit (its trace then ends where the unit left: traceEndFor). */
export function canSee(v: CaseViewer, c: Pick<CaseRow, 'areaPath' | 'ownerPath' | 'unitId' | 'unitHistory'>): boolean {
  return seesWhole(v, c) || c.unitHistory.some((u) => v.unitIds.includes(u));
}

/**
 * Where the trace ends for this viewer: the last step it may read, or null for the whole trace. A
 * unit that once held the case and no longer does (it returned it, or the case went back to the
 * desk) sees the case and its trace up to the step where it left — not the steps of whoever works
 * the case after it (their notes, photos, the resident's comment). Anyone who sees the case by area,
 * by dispatching it, or as the unit holding it now reads it all. A unit that left before steps
 * recorded who left (`leftUnit`) is known only by its return; otherwise it reads it all.
 */
export function traceEndFor(v: CaseViewer, c: Pick<CaseRow, 'areaPath' | 'ownerPath' | 'unitId'>, events: readonly Pick<CaseEventRow, 'seq' | 'action' | 'data'>[]): number | null {
  if (seesWhole(v, c)) return null;
  let end: number | null = null;
  for (const e of events) {
    const left = (e.data.leftUnit ?? (e.action === 'return' ? e.data.unit : undefined)) as { id?: unknown } | null | undefined;
    if (typeof left?.id === 'string' && v.unitIds.includes(left.id)) end = e.seq;
  }
  return end;
}

/** For attachments and anything else hanging off a case: the case is visible, and so is the step the file belongs to. */
export async function canReadCase(deps: Pick<CaseDeps, 'store'>, actor: Actor, caseId: string, eventSeq: number | null = null): Promise<boolean> {
  const c = await deps.store.cases.find(caseId);
  if (c === null) return false;
  const viewer = await viewerOf(deps.store, actor);
  if (!canSee(viewer, c)) return false;
  if (eventSeq === null || seesWhole(viewer, c)) return true; // the trace is read only for a unit that left
  const end = traceEndFor(viewer, c, await deps.store.cases.events(c.id));
  return end === null || eventSeq <= end;
}

async function visibleCase(deps: CaseDeps, actor: Actor, id: string) {
  const c = await deps.store.cases.find(id);
  const viewer = await viewerOf(deps.store, actor);
  if (!c || !canSee(viewer, c)) throw notFound('case.not_found');
  return { c, viewer };
}

async function factsOf(ports: Ports, c: CaseRow): Promise<CaseFacts> {
  const category = await ports.cases.category(c.categoryId);
  const chain = await ports.grids.areas(pathIds(c.ownerPath));
  const owner = chain.find((a) => a.id === c.ownerAreaId);
  if (!category || !owner) throw new Error(`case ${c.id} lost its category or owner area`);
  return { c, category, owner, escalationTarget: escalationTargetOf(owner, chain) };
}

/** The transitions this actor may fire on the case now (the console shows exactly these buttons). */
export function availableActions(actor: Actor, viewer: CaseViewer, f: CaseFacts): CaseAction[] {
  const out = new Set<CaseAction>();
  for (const t of TRANSITIONS) {
    if (t.from.includes(f.c.state) && isBy(t, actor, viewer, f.c) && guardHolds(t.guard, f)) out.add(t.action);
  }
  return [...out];
}

// ── Detail and lists ──────────────────────────────────────────────────────────

export async function detail(deps: CaseDeps, actor: Actor, id: string, extra: { trackingCode?: string } = {}): Promise<CaseDetail> {
  const { c, viewer } = await visibleCase(deps, actor, id);
  const store = deps.store;
  const [item, events, files, dups, ref] = await Promise.all([
    store.cases.listItem(c.id), store.cases.events(c.id), store.attachments.ofCase(c.id), store.cases.duplicateRefs(c.id), deps.reference.ports(store),
  ]);
  const merged = c.mergedInto ? await store.cases.find(c.mergedInto) : null;
  return assemble(deps, actor, ref, viewer, c, { item: item!, events, files, dups, merged, trackingCode: extra.trackingCode ?? null });
}

type CaseFile = Awaited<ReturnType<Ports['attachments']['ofCase']>>[number];

/** A case's detail from its parts (read by `detail`, or just written by an intake). */
async function assemble(deps: CaseDeps, actor: Actor, ref: Store, viewer: CaseViewer, c: CaseRow, parts: {
  item: CaseListItem; events: CaseEventRow[]; files: CaseFile[]; dups: { id: string; no: string }[]; merged: CaseRow | null; trackingCode: string | null;
}): Promise<CaseDetail> {
  const [facts, cal, grid] = await Promise.all([factsOf(ref, c), deps.calendars.get(ref.cases), c.gridId ? ref.grids.area(c.gridId) : null]);
  const { item, events, files, dups, merged } = parts;
  const knowsTheReporter = knowsReporter(actor, viewer, c);
  const traceEnd = traceEndFor(viewer, c, parts.events);
  const shown = <T extends { eventSeq: number | null }>(a: T) => traceEnd === null || a.eventSeq === null || a.eventSeq <= traceEnd;
  const view = (a: CaseFile) => ({
    id: a.id, kind: a.kind, mime: a.mime, size: a.size, width: a.width, height: a.height, url: `/api/attachments/${a.id}`,
    thumbUrl: a.kind === 'image' ? `/api/attachments/${a.id}/thumb` : null, createdAt: a.createdAt.toISOString(),
  });
  return {
    ...item,
    gridCode: grid?.code ?? null,
    ownerAreaId: c.ownerAreaId,
    buildingId: c.buildingId,
    reporterName: c.reporterName === null || knowsTheReporter ? c.reporterName : maskName(c.reporterName),
    reporterPhone: c.reporterPhoneMasked,
    reporterRevealable: knowsTheReporter,
    extra: c.extra,
    route: c.route,
    mergedInto: merged ? { id: merged.id, no: merged.no } : null,
    duplicates: dups.map((d) => ({ id: d.id, no: d.no })),
    ratingComment: traceEnd === null ? c.ratingComment : null,
    handledAt: c.handledAt?.toISOString() ?? null,
    closedAt: c.closedAt?.toISOString() ?? null,
    superviseNote: traceEnd === null ? c.superviseNote : null,
    remainingMinutes: STATES[c.state].kind === 'open' ? remainingMinutes(cal, c, deps.clock.now()) : null,
    actions: availableActions(actor, viewer, facts),
    events: events.filter((e) => traceEnd === null || e.seq <= traceEnd).map((e) => ({
      seq: e.seq, action: e.action, fromState: e.fromState, toState: e.toState, actorName: e.actorName, at: e.at.toISOString(), note: e.note, data: e.data,
      attachments: files.filter((a) => a.eventSeq === e.seq).map(view),
    })),
    traceEndsWhereUnitLeft: traceEnd !== null,
    attachments: files.filter(shown).map(view),
    trackingCode: parts.trackingCode,
  };
}

/** Who works cases at all: a list of them (possibly empty) is theirs to see. */
function requireCaseWorker(actor: Actor) {
  if (!holdsSomewhere(actor, 'case.read') && !holdsSomewhere(actor, 'case.dispatch') && !holdsSomewhere(actor, 'case.handle')) throw forbidden();
}

export async function list(deps: CaseDeps, actor: Actor, q: CaseListQuery) {
  requireCaseWorker(actor);
  const viewer = await viewerOf(deps.store, actor);
  let areaPath: string | undefined;
  if (q.areaId) {
    // A filter on an area the actor can see; what lies in it is still limited to the actor's cases.
    const a = await deps.store.grids.area(q.areaId);
    if (!a || !inScope(visibleScope(actor), a.path)) throw notFound('area.not_found');
    areaPath = a.path;
  }
  if (q.categoryId && !(await deps.store.cases.category(q.categoryId))) throw notFound('case.category_not_found');
  const r = await deps.store.cases.list(viewer, {
    queue: q.queue, state: q.state, categoryId: q.categoryId, areaPath, priority: q.priority, source: q.source, q: q.q,
    from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, now: deps.clock.now(), page: q.page, pageSize: q.pageSize,
  });
  return { ...r, page: q.page, pageSize: q.pageSize };
}

export async function counts(deps: CaseDeps, actor: Actor) {
  requireCaseWorker(actor);
  const viewer = await viewerOf(deps.store, actor);
  return deps.store.cases.counts(viewer, deps.clock.now());
}

// ── Intake ────────────────────────────────────────────────────────────────────

/** The deepest area among the actor's case.report grants that covers `path`: the level that owns a new case. */
function reportingLevel(actor: Actor, path: string): string | null {
  const grants = actor.grants.filter((g) => rolePermissions[g.role].includes('case.report') && (path === g.areaPath || path.startsWith(g.areaPath + '.')));
  grants.sort((a, b) => b.areaPath.length - a.areaPath.length);
  return grants[0]?.areaId ?? null;
}

function checkExtra(category: CategoryRow, extra: Record<string, unknown>) {
  const fields = new Map(category.extraFields.map((f) => [f.key, f]));
  for (const key of Object.keys(extra)) if (!fields.has(key)) throw invalid('case.extra_field_invalid', { field: key });
  for (const f of category.extraFields) {
    const v = extra[f.key];
    if (v === undefined || v === '') {
      if (f.required) throw invalid('case.extra_field_invalid', { field: f.labelZh });
      continue;
    }
    const ok = f.type === 'number' ? typeof v === 'number' : f.type === 'bool' ? typeof v === 'boolean'
      : f.type === 'select' ? typeof v === 'string' && (f.options ?? []).includes(v) : typeof v === 'string';
    if (!ok) throw invalid('case.extra_field_invalid', { field: f.labelZh });
  }
}

export async function leafCategory(ports: Pick<Ports, 'cases'>, id: string, locale: Locale): Promise<CategoryRow> {
  const category = await ports.cases.category(id);
  if (!category) throw notFound('case.category_not_found');
  const name = locale === 'en' && category.nameEn ? category.nameEn : category.nameZh;
  if (!category.activeEffective) throw invalid('case.category_inactive', { name });
  if (category.hasChildren) throw invalid('case.category_not_leaf', { name });
  return category;
}

/** How near a boundary a point may be for the operator to choose the grid on the other side. */
export const BOUNDARY_CHOICE_M = 60;

async function place(deps: CaseDeps, ref: Store, actor: Actor, input: CaseIntake): Promise<{ grid: GridRow; pinned: boolean; lon: number | null; lat: number | null; buildingId: string | null; address: string | null }> {
  let lon = input.lon ?? null;
  let lat = input.lat ?? null;
  let address = input.address ?? null;
  let buildingGrid: string | null = null;
  if ((lon === null) !== (lat === null)) throw invalid('case.location_required');
  if (input.buildingId) {
    const b = await ref.grids.building(input.buildingId);
    if (!b || !b.gridPath || !can(actor, 'case.report', b.gridPath)) throw notFound('building.not_found');
    if (lon === null) { lon = b.lon; lat = b.lat; }
    address ??= b.address ?? b.name;
    buildingGrid = b.gridId;
  }
  let located: string | null = null;
  if (lon !== null && lat !== null) {
    const locator = await deps.locators.get(ref.grids);
    located = locator.locate(lon, lat).basic.at(-1)?.id ?? null;
    // The operator may pick the grid on the other side of a nearby boundary, never one elsewhere.
    if (input.gridId && input.gridId !== located && !locator.nearBoundary(lon, lat, BOUNDARY_CHOICE_M).some((g) => g.id === input.gridId)) {
      throw invalid('case.grid_not_at_place');
    }
    if (!input.gridId && !buildingGrid && !located) throw invalid('case.outside_grids');
  }
  const gridId = input.gridId ?? buildingGrid ?? located;
  if (!gridId) throw invalid('case.location_required');
  const grid = await ref.grids.area(gridId);
  if (!grid || grid.level !== 'grid' || grid.retired || !can(actor, 'case.report', grid.path)) throw notFound('case.grid_not_found');
  // Chosen by hand (not where the point lies): later grid adjustments leave it where the operator put it.
  const pinned = gridId !== located;
  return { grid, pinned, lon, lat, buildingId: input.buildingId ?? null, address };
}

/**
 * Creates a case from any channel: located to its grid, routed, stored with its first trace step,
 * audited, announced. Reference data comes from memory (one stamp read); a plain report is then
 * ONE statement (ADR 0005). With attachments, an on-the-spot settlement or dispatchNow, the same
 * write and what follows run in one transaction.
 */
export async function intake(deps: CaseDeps, actor: Actor, input: CaseIntake): Promise<CaseDetail> {
  if (!holdsSomewhere(actor, 'case.report')) throw forbidden();
  const ref = await deps.reference.ports(deps.store);
  const category = await leafCategory(ref, input.categoryId, actor.locale);
  checkExtra(category, input.extra);
  const where = await place(deps, ref, actor, input);
  const ownerAreaId = reportingLevel(actor, where.grid.path);
  if (!ownerAreaId) throw notFound('case.grid_not_found');
  const owner = (await ref.grids.area(ownerAreaId))!;
  const at = deps.clock.now();
  const cal = await deps.calendars.get(ref.cases);
  const explain = await routeAt(ref.cases, category, where.grid.path);
  if (!input.settleNote && input.dispatchNow && !explain.unitId) {
    throw invalid('case.field_required', { action: caseActionLabels.dispatch, field: transitionFieldLabels.unitId });
  }
  const trackingCode = deps.tokens.newCode();
  const id = globalThis.crypto.randomUUID();
  const no = await deps.numbers.next(deps.store.cases, 'WG' + cal.localDate(at).replaceAll('-', ''));
  const event: Omit<CaseEventRow, 'seq'> = {
    action: 'report', fromState: null, toState: 'reported', actorId: actor.userId, actorName: actor.displayName, at, note: null,
    data: { source: input.source, grid: { id: where.grid.id, code: where.grid.code, name: where.grid.nameZh }, route: explain },
  };
  const write: ReportWrite = {
    case: {
      id, no, districtId: where.grid.districtId, source: input.source, categoryId: category.id, priority: input.priority, description: input.description,
      state: 'reported', closingKind: null, gridId: where.grid.id, gridPinned: where.pinned, areaPath: where.grid.path, ownerAreaId: owner.id, ownerPath: owner.path,
      unitId: null, route: explain, lon: where.lon, lat: where.lat, address: where.address, buildingId: where.buildingId,
      reporterName: input.reporterName ?? null, reporterPhone: input.reporterPhone ?? null, reporterUserId: null, trackingHash: deps.tokens.hash(trackingCode),
      extra: input.extra, reportedBy: actor.userId, reportedAt: at, closedAt: null,
    },
    event,
    audit: {
      at, actorId: actor.userId, actorName: actor.username, action: 'case.report', entityType: 'case', entityId: id, areaId: where.grid.id,
      diff: { after: { no, category: category.code, grid: where.grid.code, source: input.source, route: explain.via } }, ip: actor.ip, requestId: actor.requestId,
    },
    emit: { event: 'case.created', payload: { id, no, category: category.code, grid: where.grid.code, source: input.source } },
    sms: input.reporterPhone ? { phone: input.reporterPhone, text: `【网格通】您反映的问题已登记，编号 ${no}，查询码 ${trackingCode}。`, uniqueRef: `intake:${id}` } : null,
    at,
  };

  if (input.attachmentIds.length === 0 && !input.settleNote && !input.dispatchNow) {
    const { row, item } = await deps.store.cases.insertReported(write);
    const viewer = await viewerOf(deps.store, actor);
    if (!canSee(viewer, row)) throw notFound('case.not_found');
    return assemble(deps, actor, ref, viewer, row, { item, events: [{ ...event, seq: 1 }], files: [], dups: [], merged: null, trackingCode });
  }
  await deps.store.transaction(async (tx) => {
    const { row: c } = await tx.cases.insertReported(write);
    if (input.attachmentIds.length) await linkFiles(tx, input.attachmentIds, id, 1, where.grid.districtId, actor);
    if (input.settleNote) {
      await fire(deps, tx, actor, c, { action: 'settle', version: c.version, note: input.settleNote }, at);
    } else if (input.dispatchNow) {
      await fire(deps, tx, actor, c, { action: 'dispatch', version: c.version, unitId: explain.unitId! }, at);
    }
  });
  return detail(deps, actor, id, { trackingCode });
}

async function linkFiles(tx: Ports, ids: string[], caseId: string, seq: number, districtId: string | null, actor: Actor) {
  const n = await tx.attachments.link([...new Set(ids)], caseId, seq, districtId, actor.userId);
  if (n !== new Set(ids).size) throw notFound('case.attachment_not_found');
}

// ── Transitions ───────────────────────────────────────────────────────────────

export async function transition(deps: CaseDeps, actor: Actor, id: string, body: TransitionBody): Promise<CaseDetail> {
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    // A merge locks two cases: always in id order, so A→B and B→A at once cannot deadlock.
    if (body.action === 'merge' && body.targetCaseId && body.targetCaseId < id) await tx.cases.lock(body.targetCaseId);
    const c = await tx.cases.lock(id);
    const viewer = await viewerOf(tx, actor);
    if (!c || !canSee(viewer, c)) throw notFound('case.not_found');
    if (c.version !== body.version) throw conflict('case.conflict', { version: c.version });
    await fire(deps, tx, actor, c, body, at, viewer);
  });
  return detail(deps, actor, id);
}

const label = (a: CaseAction) => caseActionLabels[a];

/** Checks the table for this action, state, actor and guard, then applies it: case row, trace, files, audit, notifications, outbox. */
async function fire(deps: CaseDeps, tx: Ports, actor: Actor, c: CaseRow, body: TransitionBody, at: Date, viewer?: CaseViewer): Promise<void> {
  const v = viewer ?? (await viewerOf(tx, actor));
  const rows = transitionsFor(body.action, c.state);
  if (rows.length === 0) throw conflict('case.transition_not_allowed', { action: label(body.action), state: caseStateLabels[c.state] });
  const mine = rows.filter((t) => isBy(t, actor, v, c));
  if (mine.length === 0) throw forbidden();
  const f = await factsOf(tx, c);
  const t = mine.find((r) => guardHolds(r.guard, f));
  if (!t) throw invalid('case.guard_failed', { action: label(body.action), why: guardWhy[mine[0]!.guard!] });
  const present = presentFields(body);
  const allowed = allowedFields(t);
  for (const p of present) if (!allowed.has(p)) throw invalid('case.field_not_allowed', { action: label(body.action), field: transitionFieldLabels[p] });
  for (const r of t.requires) if (!present.includes(r)) throw invalid('case.field_required', { action: label(body.action), field: transitionFieldLabels[r] });

  const to = targetState(t, c.state);
  const cal = await deps.calendars.get(tx.cases);
  const patch: CasePatch = {};
  const data: Record<string, unknown> = {};
  let notifyTargets = { ownerAreaId: c.ownerAreaId, unitId: c.unitId };
  let extensionMinutes = 0;
  let mergeTarget: CaseRow | null = null;

  switch (t.action) {
    case 'dispatch':
    case 'handle_here': {
      const unit = t.action === 'dispatch' ? await tx.cases.unit(body.unitId!) : await tx.cases.officeOf(f.owner.id);
      if (!unit || !unit.active) throw t.action === 'dispatch' ? notFound('case.unit_not_found') : invalid('case.guard_failed', { action: label(t.action), why: { 'zh-CN': '本级没有办理单位', en: 'this level has no office of its own' } });
      // A unit serving the place (its area covers it), or one under the owning level: never another district's.
      if (!(isWithin(c.areaPath, unit.areaPath) || isWithin(unit.areaPath, c.ownerPath))) throw notFound('case.unit_not_found');
      patch.unitId = unit.id;
      patch.dispatchedBy = actor.userId;
      patch.dispatchedAt = at;
      data.unit = { id: unit.id, name: unit.nameZh };
      if (c.route?.unitId && c.route.unitId !== unit.id) data.overridesRoute = c.route.unitName;
      notifyTargets = { ...notifyTargets, unitId: unit.id };
      break;
    }
    case 'escalate': {
      const up = f.escalationTarget!;
      patch.ownerAreaId = up.id;
      patch.ownerPath = up.path;
      patch.unitId = null;
      data.owner = { from: { id: f.owner.id, name: f.owner.nameZh }, to: { id: up.id, name: up.nameZh } };
      notifyTargets = { ...notifyTargets, ownerAreaId: up.id };
      break;
    }
    case 'request_extension': {
      const e = body.extension!;
      data.extension = { ...e, minutes: e.unit === 'hours' ? e.value * 60 : e.value * cal.minutesPerDay };
      break;
    }
    case 'approve_extension': {
      const asked = (await tx.cases.events(c.id)).reverse().find((e) => e.action === 'request_extension');
      extensionMinutes = Number((asked?.data.extension as { minutes?: number } | undefined)?.minutes ?? 0);
      data.extensionMinutes = extensionMinutes;
      break;
    }
    case 'return':
      patch.unitId = null;
      data.unit = c.unitId ? { id: c.unitId } : null;
      break;
    case 'feedback':
      patch.handledAt = at;
      break;
    case 'verify_fail':
      patch.handledAt = null;
      break;
    case 'merge': {
      if (body.targetCaseId === c.id) throw invalid('case.merge_target_invalid');
      mergeTarget = await tx.cases.lock(body.targetCaseId!);
      if (!mergeTarget || !canSee(v, mergeTarget) || STATES[mergeTarget.state].kind !== 'open' || mergeTarget.mergedInto) throw invalid('case.merge_target_invalid');
      if (!can(actor, 'case.dispatch', mergeTarget.ownerPath)) throw forbidden();
      patch.mergedInto = mergeTarget.id;
      data.target = { id: mergeTarget.id, no: mergeTarget.no };
      break;
    }
    case 'rate':
      patch.rating = body.rating!;
      patch.ratingComment = body.note ?? null;
      data.rating = body.rating;
      break;
    case 'reopen':
      patch.rating = null;
      patch.unitId = null;
      patch.handledAt = null;
      break;
    case 'unshelve':
      // Back at the desk: whoever held it before the shelf is no longer dispatched to.
      patch.unitId = null;
      break;
    case 'supervise':
      patch.supervised = true;
      patch.superviseNote = body.note!;
      break;
    case 'correct_grid': {
      const g = await tx.grids.area(body.gridId!);
      if (!g || g.level !== 'grid' || g.retired || !(can(actor, 'case.dispatch', g.path) || can(actor, 'case.report', g.path))) throw notFound('case.grid_not_found');
      if (c.ownerAreaId !== c.gridId && !isWithin(g.path, c.ownerPath)) {
        throw invalid('case.guard_failed', { action: label(t.action), why: { 'zh-CN': '新网格不在当前办理层级内，请先上报上级', en: 'the new grid lies outside the owning level; escalate first' } });
      }
      patch.gridId = g.id;
      patch.gridPinned = true;
      patch.areaPath = g.path;
      patch.districtId = g.districtId;
      if (c.ownerAreaId === c.gridId) { patch.ownerAreaId = g.id; patch.ownerPath = g.path; }
      const old = c.gridId ? await tx.grids.area(c.gridId) : null;
      data.grid = { from: old ? { id: old.id, code: old.code, name: old.nameZh } : null, to: { id: g.id, code: g.code, name: g.nameZh } };
      // The route was worked out for the wrong place: work it out again for the new one. The route belongs to the
      // place (the dispatcher's suggestion, now and after a return); a unit already dispatched to stays until the
      // dispatcher acts, and the trace shows where the new place routes.
      patch.route = await routeAt(tx.cases, f.category, g.path);
      data.route = patch.route;
      break;
    }
    default:
      break;
  }

  const dl = applyDeadline(t.deadline, cal, c, f.category, at, extensionMinutes);
  Object.assign(patch, dl.patch);
  if (dl.change) data.deadline = dl.change;
  if (body.reason) data.reason = body.reason;
  if (to !== c.state) patch.state = to;
  const closing = closingAfter(to, c.closingKind);
  if (closing !== c.closingKind) patch.closingKind = closing;
  if (STATES[to].kind === 'closed' && STATES[c.state].kind === 'open') patch.closedAt = at;
  if (STATES[to].kind === 'open' && STATES[c.state].kind === 'closed') patch.closedAt = null;

  // Who stops holding the case here: the trace then ends for them at this step (traceEndFor).
  if (patch.unitId !== undefined && c.unitId !== null && patch.unitId !== c.unitId) data.leftUnit = { id: c.unitId };
  if (!(await tx.cases.update(c.id, c.version, patch, at))) throw conflict('case.conflict', { version: c.version + 1 });
  const note = body.note ?? body.reason ?? null;
  const seq = await tx.cases.appendEvent(c.id, c.districtId, { action: t.action, fromState: c.state, toState: to, actorId: actor.userId, actorName: actor.displayName, at, note, data });
  if (body.attachmentIds?.length) await linkFiles(tx, body.attachmentIds, c.id, seq, c.districtId, actor);
  if (mergeTarget) {
    await tx.cases.appendEvent(mergeTarget.id, mergeTarget.districtId, {
      action: 'merged_in', fromState: mergeTarget.state, toState: mergeTarget.state, actorId: actor.userId, actorName: actor.displayName, at, note: body.note ?? null, data: { from: { id: c.id, no: c.no } },
    });
  }
  await tx.audit.append({
    at, actorId: actor.userId, actorName: actor.username, action: `case.${t.action}`, entityType: 'case', entityId: c.id, areaId: c.gridId,
    diff: { before: { state: c.state, version: c.version }, after: { state: to, ...summary(data) } }, ip: actor.ip, requestId: actor.requestId,
  });
  await tx.notify.emit('case.transitioned', { id: c.id, no: c.no, action: t.action, from: c.state, to, closingKind: closing, at: at.toISOString() }, at);
  await sendNotifications(deps, tx, actor, t, c, { ...notifyTargets, to, body, data, mergeTarget, cal });
}

function summary(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['unit', 'owner', 'deadline', 'target', 'rating', 'grid', 'extension', 'extensionMinutes']) if (k in data) out[k] = data[k];
  return out;
}


async function sendNotifications(
  deps: CaseDeps, tx: Ports, actor: Actor, t: TransitionDef, c: CaseRow,
  x: { ownerAreaId: string; unitId: string | null; to: CaseState; body: TransitionBody; data: Record<string, unknown>; mergeTarget: CaseRow | null; cal: { localDate(d: Date): string } },
) {
  const at = deps.clock.now();
  const kindFor: Partial<Record<CaseAction, NotificationKind>> = {
    dispatch: 'case_dispatched', handle_here: 'case_dispatched', return: 'case_returned', supervise: 'case_supervised', request_extension: 'case_extension_requested',
    feedback: 'case_handled', escalate: 'case_escalated', reopen: 'case_reopened', merge: 'case_merged', approve_extension: 'case_extension_approved',
    deny_extension: 'case_extension_denied', verify_fail: 'case_verify_failed',
  };
  const kind = kindFor[t.action];
  const updated = (await tx.cases.find(c.id))!;
  const params: Record<string, string | number> = {
    no: c.no, unit: String((x.data.unit as { name?: string } | undefined)?.name ?? ''), due: updated.dueAt ? fmt(updated.dueAt, deps.config.timeZone) : '—',
    reason: x.body.reason ?? '', note: x.body.note ?? '', area: String(((x.data.owner as { to?: { name?: string } } | undefined)?.to?.name) ?? ''),
    target: x.mergeTarget?.no ?? '',
  };
  const users = new Set<string>();
  for (const who of t.notify) {
    if (who === 'unit' && x.unitId) for (const u of await tx.cases.unitMembers([x.unitId])) users.add(u);
    if (who === 'dispatchers' || who === 'upper_level') for (const u of await tx.cases.usersWithRoleOn([x.ownerAreaId], rolesWith('case.dispatch'))) users.add(u);
    if (who === 'verifiers' && c.gridId) {
      // The grid's own verifiers (its staff); without any, the owning level.
      const grid = await tx.cases.usersWithRoleOn([c.gridId], rolesWith('case.verify'));
      for (const u of grid.length ? grid : await tx.cases.usersWithRoleOn([x.ownerAreaId], rolesWith('case.dispatch'))) users.add(u);
    }
    if (who === 'reporters') {
      const closingKind = closingAfter(x.to, c.closingKind);
      const state = closingKind ? closingKindLabels[closingKind]['zh-CN'] : caseStateLabels[x.to]['zh-CN'];
      const phone = await tx.cases.reporterPhone(c.id);
      if (phone) await tx.notify.queueSms(phone, `【网格通】您反映的问题（编号 ${c.no}）${state}。`, `${t.action}:${c.id}:${c.version}`, at);
      // Residents whose reports were merged into this case hear the outcome too.
      for (const d of await tx.cases.duplicatesOf(c.id)) {
        if (d.reporterPhone) await tx.notify.queueSms(d.reporterPhone, `【网格通】您反映的问题（编号 ${d.no}，已并入 ${c.no} 办理）${state}。`, `${t.action}:${c.id}:${c.version}:${d.id}`, at);
        if (d.reportedBy && kind) users.add(d.reportedBy);
      }
      if (x.mergeTarget) {
        const phone2 = await tx.cases.reporterPhone(x.mergeTarget.id);
        if (phone2) await tx.notify.queueSms(phone2, `【网格通】您反映的问题（编号 ${x.mergeTarget.no}）又有群众反映（${c.no}），已合并办理。`, `merge:${c.id}:${x.mergeTarget.id}`, at);
        if (x.mergeTarget.reportedBy) users.add(x.mergeTarget.reportedBy);
      }
      if (c.reportedBy && kind) users.add(c.reportedBy);
    }
  }
  users.delete(actor.userId);
  if (kind && users.size) await tx.notify.notify([...users], { kind, params, caseId: c.id, uniqueRef: `${t.action}:${c.id}:${c.version}`, at });
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than formatting with it. */
const dueFormats = new Map<string, Intl.DateTimeFormat>();

export function fmt(d: Date, timeZone: string): string {
  let f = dueFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    dueFormats.set(timeZone, f);
  }
  return f.format(d);
}

// ── Personal data ─────────────────────────────────────────────────────────────

/**
 * Whether the actor works with the reporter of this case — calls them back — and so sees their name
 * and may ask for their full number: by area, a grant that both reads the area's cases and may
 * reveal; by unit, only while the case is at the actor's unit now. Everyone else who sees the case
 * sees the reporter's surname only and the masked number.
 */
function knowsReporter(actor: Actor, viewer: CaseViewer, c: CaseRow): boolean {
  const byArea = actor.grants.some((g) => roleCan(g.role, 'case.reveal') && roleCan(g.role, 'case.read') && (isWithin(c.areaPath, g.areaPath) || isWithin(c.ownerPath, g.areaPath)));
  return byArea || (c.unitId !== null && viewer.unitIds.includes(c.unitId) && holdsSomewhere(actor, 'case.reveal'));
}

/** The reporter's full number: a deliberate request by a role that calls residents back, audited in the same transaction. */
export async function revealPhone(deps: CaseDeps, actor: Actor, id: string): Promise<{ phone: string | null }> {
  const { c, viewer } = await visibleCase(deps, actor, id);
  if (!knowsReporter(actor, viewer, c)) throw forbidden('case.reveal_not_allowed');
  return deps.store.transaction(async (tx) => {
    const phone = await tx.cases.reporterPhone(c.id);
    await tx.audit.append({
      at: deps.clock.now(), actorId: actor.userId, actorName: actor.username, action: 'case.reporter_phone_read', entityType: 'case', entityId: c.id, areaId: c.gridId,
      diff: { field: 'reporter_phone' }, ip: actor.ip, requestId: actor.requestId,
    });
    return { phone };
  });
}

// ── Duplicates and routing preview ────────────────────────────────────────────

export async function similar(deps: CaseDeps, actor: Actor, q: { categoryId?: string | undefined; lon?: number | undefined; lat?: number | undefined; description?: string | undefined; excludeId?: string | undefined }) {
  const viewer = await viewerOf(deps.store, actor);
  const scope = { paths: [...viewer.readScope.paths, ...viewer.dispatchScope.paths] };
  if (scope.paths.length === 0) throw forbidden();
  const now = deps.clock.now();
  const windowMs = deps.config.duplicateWindowDays * DAY_MS;
  const r = deps.config.duplicateRadiusM;
  const category = q.categoryId ? await deps.store.cases.category(q.categoryId) : null;
  const hasPoint = q.lon !== undefined && q.lat !== undefined;
  const box = hasPoint ? boxAround(q.lon!, q.lat!, r) : null;
  const top = category?.ancestorIds.at(-1) ?? null;
  const candidates = await deps.store.cases.nearbyOpen(scope, box, new Date(now.getTime() - windowMs), box ? null : top, 200);
  const out = [];
  for (const c of candidates) {
    if (c.id === q.excludeId) continue;
    const d = hasPoint && c.lon !== null && c.lat !== null ? distanceM(q.lon!, q.lat!, c.lon, c.lat) : null;
    const same = !category ? 'none' : c.categoryId === category.id ? 'leaf' : c.categoryTopId === top ? 'top' : 'none';
    const s = duplicateScore({ distanceM: d, ageMs: now.getTime() - c.reportedAt.getTime(), sameCategory: same, textSimilarity: q.description ? textSimilarity(q.description, c.description) : 0 }, r, windowMs);
    if (s.score < SUGGEST_THRESHOLD) continue;
    out.push({ id: c.id, no: c.no, state: c.state, categoryName: c.categoryName, description: c.description, address: c.address, reportedAt: c.reportedAt.toISOString(), distanceM: d === null ? null : Math.round(d), score: s.score, reasons: s.reasons });
  }
  return { items: out.sort((a, b) => b.score - a.score).slice(0, 5) };
}

export async function routePreview(deps: CaseDeps, actor: Actor, categoryId: string, gridId: string) {
  if (!holdsSomewhere(actor, 'case.report')) throw forbidden();
  const category = await deps.store.cases.category(categoryId);
  if (!category) throw notFound('case.category_not_found');
  const grid = await deps.store.grids.area(gridId);
  if (!grid || !can(actor, 'case.report', grid.path)) throw notFound('case.grid_not_found');
  return routeAt(deps.store.cases, category, grid.path);
}

/** The route of a category at a place, from the rules and units the port holds (the rule itself: routing.rules `route`). */
async function routeAt(cases: Pick<Ports['cases'], 'rules' | 'units'>, category: CategoryRow, areaPath: string) {
  const [rules, units] = await Promise.all([cases.rules(), cases.units()]);
  return route(rules, new Map(units.map((u) => [u.id, u])), { categoryIds: category.ancestorIds, areaPath }, category);
}

// ── Residents: follow and rate by number and tracking code ───────────────────

async function byTracking(deps: CaseDeps, no: string, code: string) {
  const c = await deps.store.cases.findByNo(no);
  if (!c || !c.trackingHash || !deps.tokens.matches(code, c.trackingHash)) throw notFound('case.tracking_invalid');
  return c;
}

export async function publicView(deps: CaseDeps, no: string, code: string, locale: Locale) {
  const c = await byTracking(deps, no, code);
  const category = await deps.store.cases.category(c.categoryId);
  const events = await deps.store.cases.events(c.id);
  const shown = new Set(['report', 'accept', 'dispatch', 'handle_here', 'receive', 'feedback', 'close', 'settle', 'refuse', 'shelve', 'merge', 'rate', 'reopen', 'escalate']);
  return {
    no: c.no, state: c.state, stateLabel: caseStateLabels[c.state][locale],
    closingKind: c.closingKind, closingLabel: c.closingKind ? closingKindLabels[c.closingKind][locale] : null,
    categoryName: (locale === 'en' && category?.nameEn) || category?.nameZh || '',
    reportedAt: c.reportedAt.toISOString(),
    steps: events.filter((e) => shown.has(e.action)).map((e) => ({ at: e.at.toISOString(), label: e.action === 'report' ? caseActionLabels.report[locale] : caseActionLabels[e.action as CaseAction][locale] })),
    canRate: transitionsFor('rate', c.state).length > 0,
    rating: c.rating,
  };
}

/** A resident's own rating, by tracking code: the `rate` row of the table, with the resident as the rater. */
export async function publicRate(deps: CaseDeps, no: string, input: { code: string; rating: 'satisfied' | 'basically_satisfied' | 'unsatisfied'; comment?: string | undefined }, locale: Locale) {
  const found = await byTracking(deps, no, input.code);
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const c = await tx.cases.lock(found.id);
    const t = c ? transitionsFor('rate', c.state)[0] : undefined;
    if (!c || !t) throw new DomainError('case.rate_not_allowed', 'conflict');
    const to = targetState(t, c.state);
    const ok = await tx.cases.update(c.id, c.version, { state: to, rating: input.rating, ratingComment: input.comment ?? null, closingKind: closingAfter(to, c.closingKind) }, at);
    if (!ok) throw conflict('case.conflict', { version: c.version + 1 });
    await tx.cases.appendEvent(c.id, c.districtId, { action: 'rate', fromState: c.state, toState: to, actorId: null, actorName: locale === 'en' ? 'Resident' : '居民', at, note: input.comment ?? null, data: { rating: input.rating, by: 'resident' } });
    await tx.audit.append({ at, actorId: null, actorName: 'resident', action: 'case.rate', entityType: 'case', entityId: c.id, areaId: c.gridId, diff: { after: { state: to, rating: input.rating } }, ip: null, requestId: null });
    await tx.notify.emit('case.transitioned', { id: c.id, no: c.no, action: 'rate', from: c.state, to, closingKind: c.closingKind, at: at.toISOString() }, at);
  });
  return publicView(deps, no, input.code, locale);
}

/** The flow table for the console and the docs. */
export function flow() {
  return {
    states: (Object.keys(STATES) as CaseState[]).map((s) => ({ state: s, kind: STATES[s].kind, closing: STATES[s].closing === 'keep' ? null : STATES[s].closing, label: caseStateLabels[s] })),
    transitions: TRANSITIONS.map((t) => ({ action: t.action, from: t.from, to: t.to, by: t.by, requires: t.requires, optional: t.optional, deadline: t.deadline, guard: t.guard, label: caseActionLabels[t.action] })),
  };
}

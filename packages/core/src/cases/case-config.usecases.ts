import type { CategoryBody, Locale } from '@wangge/contracts';
import { conflict, forbidden, invalid, notFound } from '../shared/errors.ts';
import { holdsSomewhere, requireSomewhere } from '../auth/auth.policy.ts';
import type { Actor } from '../auth/auth.types.ts';

import { isCalendarDate } from './calendar.rules.ts';
import type { CaseDeps } from './cases.deps.ts';

/**
 * Configuration of the case flow: the category tree, handling units, routing rules and the
 * working calendar. Reading is open to everyone who works cases (the intake desk needs the tree);
 * changing needs case.configure. Every change is audited in its transaction.
 */

const worksCases = (actor: Actor) =>
  holdsSomewhere(actor, 'case.report') || holdsSomewhere(actor, 'case.read') || holdsSomewhere(actor, 'case.handle') || holdsSomewhere(actor, 'case.configure');

function requireReader(actor: Actor) {
  if (!worksCases(actor)) throw forbidden();
}

export async function listCategories(deps: CaseDeps, actor: Actor) {
  requireReader(actor);
  return deps.store.cases.categoryViews();
}

async function checkCategory(deps: CaseDeps, body: CategoryBody, selfId: string | null): Promise<number> {
  let level = 1;
  if (body.parentId) {
    const parent = await deps.store.cases.category(body.parentId);
    if (!parent || parent.id === selfId) throw notFound('case.category_not_found');
    if (parent.level >= 3) throw invalid('case.category_too_deep');
    level = parent.level + 1;
  }
  const same = await deps.store.cases.categoryByCode(body.code);
  if (same && same.id !== selfId) throw conflict('case.category_code_taken', { code: body.code });
  if (body.defaultUnitId && !(await deps.store.cases.unit(body.defaultUnitId))) throw notFound('case.unit_not_found');
  const keys = new Set<string>();
  for (const f of body.extraFields) {
    if (keys.has(f.key) || (f.type === 'select' && !(f.options?.length))) throw invalid('case.extra_field_invalid', { field: f.labelZh });
    keys.add(f.key);
  }
  return level;
}

export async function createCategory(deps: CaseDeps, actor: Actor, body: CategoryBody) {
  requireSomewhere(actor, 'case.configure');
  const level = await checkCategory(deps, body, null);
  const at = deps.clock.now();
  const id = await deps.store.transaction(async (tx) => {
    const newId = await tx.cases.insertCategory({ ...body, level }, at);
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'case.category_created', entityType: 'case_category', entityId: newId, areaId: null, diff: { after: body }, ip: actor.ip, requestId: actor.requestId });
    return newId;
  });
  return (await deps.store.cases.categoryViews()).find((c) => c.id === id)!;
}

export async function updateCategory(deps: CaseDeps, actor: Actor, id: string, body: CategoryBody) {
  requireSomewhere(actor, 'case.configure');
  const before = await deps.store.cases.category(id);
  if (!before) throw notFound('case.category_not_found');
  const level = await checkCategory(deps, body, id);
  if (before.hasChildren && level !== before.level) throw invalid('case.category_too_deep');
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.cases.updateCategory(id, { ...body, level }, at);
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'case.category_updated', entityType: 'case_category', entityId: id, areaId: null, diff: { before, after: body }, ip: actor.ip, requestId: actor.requestId });
  });
  return (await deps.store.cases.categoryViews()).find((c) => c.id === id)!;
}

/** A short stable code for a group name (FNV-1a, base 36). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

type Service = { service_code: string; service_name: string; description?: string | null | undefined; group?: string | null | undefined };

/**
 * Imports an Open311 GeoReport v2 service list: each `group` becomes a top category, each service
 * a category below it (code O311-<service_code>), matched by its service code on a second import.
 * New services get the normal limit of 5 working days and on-site verification; edit them after.
 * A service imported before keeps all of the admin's edits; only its open311Code is (re)set.
 */
export async function importOpen311(deps: CaseDeps, actor: Actor, services: Service[]) {
  requireSomewhere(actor, 'case.configure');
  const at = deps.clock.now();
  const codeOf = (s: string) => s.replace(/[^0-9A-Za-z_-]/g, '_').slice(0, 18);
  const seen = new Set<string>();
  for (const s of services) {
    const k = codeOf(s.service_code);
    if (seen.has(k)) throw invalid('request.invalid', { detail: `service_code ${s.service_code} appears twice` });
    seen.add(k);
  }
  return deps.store.transaction(async (tx) => {
    let created = 0;
    let updated = 0;
    const groups = new Map<string, string>();
    const defaults = { limitUnit: 'days' as const, limits: { urgent: 1, high: 3, normal: 5 }, verifyRequired: true, pausePending: true, extraFields: [], active: true, defaultUnitId: null };
    for (const s of services) {
      const groupName = s.group?.trim() || 'Open311';
      let parentId = groups.get(groupName) ?? null;
      if (!parentId) {
        const code = `O311G-${fnv1a(groupName)}`;
        const existing = await tx.cases.categoryByCode(code);
        if (existing) {
          parentId = existing.id;
        } else {
          parentId = await tx.cases.insertCategory({ ...defaults, parentId: null, code, nameZh: groupName, nameEn: groupName, open311Code: null, level: 1 }, at);
          created++;
        }
        groups.set(groupName, parentId);
      }
      const code = `O311-${codeOf(s.service_code)}`;
      const existing = await tx.cases.categoryByCode(code);
      if (existing) {
        // A second import keeps everything the admin edited (names, place in the tree, limits,
        // verification, pause rule, extra fields, default unit, active flag); only the Open311
        // service code is (re)set.
        const e = existing;
        await tx.cases.updateCategory(e.id, {
          parentId: e.parentId, code: e.code, level: e.level, nameZh: e.nameZh, nameEn: e.nameEn, defaultUnitId: e.defaultUnitId,
          limitUnit: e.limitUnit, limits: e.limits, verifyRequired: e.verifyRequired, pausePending: e.pausePending,
          extraFields: e.extraFields, active: e.active, open311Code: s.service_code,
        }, at);
        updated++;
      } else {
        await tx.cases.insertCategory({ ...defaults, parentId, code, nameZh: s.service_name, nameEn: s.service_name, open311Code: s.service_code, level: 2 }, at);
        created++;
      }
    }
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'case.categories_imported', entityType: 'case_category', entityId: null, areaId: null, diff: { after: { format: 'open311', services: services.length, created, updated } }, ip: actor.ip, requestId: actor.requestId });
    return { created, updated };
  });
}

export async function listUnits(deps: CaseDeps, actor: Actor) {
  requireReader(actor);
  return deps.store.cases.unitViews();
}

export async function listRules(deps: CaseDeps, actor: Actor) {
  requireReader(actor);
  return deps.store.cases.ruleViews();
}

type RuleBody = { seq: number; name: string; categoryId: string | null; areaId: string | null; unitId: string; active: boolean };

async function checkRule(deps: CaseDeps, r: RuleBody) {
  if (r.categoryId && !(await deps.store.cases.category(r.categoryId))) throw notFound('case.category_not_found');
  if (r.areaId && !(await deps.store.grids.area(r.areaId))) throw notFound('area.not_found');
  if (!(await deps.store.cases.unit(r.unitId))) throw notFound('case.unit_not_found');
}

export async function saveRule(deps: CaseDeps, actor: Actor, id: string | null, r: RuleBody) {
  requireSomewhere(actor, 'case.configure');
  await checkRule(deps, r);
  const before = id ? await deps.store.cases.rule(id) : null;
  if (id && !before) throw notFound('case.rule_not_found');
  const at = deps.clock.now();
  const ruleId = await deps.store.transaction(async (tx) => {
    const rid = id ?? (await tx.cases.insertRule(r, at));
    if (id) await tx.cases.updateRule(id, r);
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: id ? 'case.rule_updated' : 'case.rule_created', entityType: 'routing_rule', entityId: rid, areaId: r.areaId, diff: { before, after: r }, ip: actor.ip, requestId: actor.requestId });
    return rid;
  });
  return (await deps.store.cases.ruleViews()).find((x) => x.id === ruleId)!;
}

export async function deleteRule(deps: CaseDeps, actor: Actor, id: string) {
  requireSomewhere(actor, 'case.configure');
  const before = await deps.store.cases.rule(id);
  if (!before) throw notFound('case.rule_not_found');
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.cases.deleteRule(id);
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'case.rule_deleted', entityType: 'routing_rule', entityId: id, areaId: before.areaId, diff: { before }, ip: actor.ip, requestId: actor.requestId });
  });
}

export async function calendarYear(deps: CaseDeps, actor: Actor, year: number, workingHours: string) {
  requireReader(actor);
  const days = await deps.store.cases.calendarYear(year);
  const cal = await deps.calendars.get(deps.store.cases);
  // Published = the national schedule shipped with the product covers the year; admins fill in a year it does not.
  return { year, published: days.some((d) => d.source === 'package'), days, workingHours, minutesPerDay: cal.minutesPerDay };
}

export async function setCalendarDay(deps: CaseDeps, actor: Actor, d: { date: string; workday: boolean; name: string | null }, locale: Locale) {
  requireSomewhere(actor, 'case.configure');
  if (!isCalendarDate(d.date)) {
    throw invalid('calendar.invalid', { detail: locale === 'en' ? `${d.date} is not a date` : `${d.date} 不是有效日期` });
  }
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.cases.setCalendarDay(d, actor.username, at);
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'case.calendar_day_set', entityType: 'calendar_day', entityId: d.date, areaId: null, diff: { after: d }, ip: actor.ip, requestId: actor.requestId });
  });
  return { ...d, source: 'admin' as const };
}

export async function deleteCalendarDay(deps: CaseDeps, actor: Actor, date: string) {
  requireSomewhere(actor, 'case.configure');
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    if (!(await tx.cases.deleteCalendarDay(date))) throw notFound('calendar.day_not_found');
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'case.calendar_day_deleted', entityType: 'calendar_day', entityId: date, areaId: null, diff: { before: { date } }, ip: actor.ip, requestId: actor.requestId });
  });
}

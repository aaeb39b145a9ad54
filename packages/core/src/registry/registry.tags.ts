import type { PersonTag, TagDef, TagFieldSpec } from '@wangge/contracts';
import type { Actor } from '../auth/auth.types.ts';
import { authorize, can, scopeFor } from '../auth/auth.policy.ts';
import { conflict, forbidden, invalid, notFound } from '../shared/errors.ts';
import { civilDateOf, formatCivil, parseCivilDate } from './civil-date.ts';
import { parseDateInput } from './registry.values.ts';
import type { TagRecord } from './registry.ports.ts';
import type { RegistryDeps } from './registry.usecases.ts';

/**
 * Care objects (重点服务对象) and special groups (特殊人群) are tags on a person: which tags exist and
 * what each records is data (tag_defs). Special-group tags are seen and kept only by roles holding
 * registry.special where the person lives; to others they do not exist (404, left out of lists).
 * A tag's next visit feeds the worker's due-list; recording a visit schedules the next one.
 */

const today = (deps: RegistryDeps) => formatCivil(civilDateOf(deps.clock.now(), deps.timeZone));

export function addDays(date: string, days: number): string {
  const d = parseCivilDate(date)!;
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return t.toISOString().slice(0, 10);
}

function checkTagValues(def: TagDef, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const byKey = new Map(def.fields.map((f) => [f.key, f] as const));
  for (const k of Object.keys(values)) if (!byKey.has(k)) throw invalid('registry.field_unknown', { field: k });
  for (const f of def.fields) {
    const label = { 'zh-CN': f.labelZh, en: f.labelEn };
    const v = values[f.key];
    if (v === undefined || v === null || v === '') {
      if (f.required) throw invalid('registry.field_required', { field: label });
      continue;
    }
    out[f.key] = coerceTagField(f, v, label);
  }
  return out;
}

function coerceTagField(f: TagFieldSpec, v: unknown, label: { 'zh-CN': string; en: string }): unknown {
  const bad = (zh: string, en: string) => invalid('registry.field_invalid', { field: label, detail: { 'zh-CN': zh, en } });
  switch (f.type) {
    case 'text': if (typeof v !== 'string' || v.length > 500) throw bad('应为不超过 500 字的文字', 'text of at most 500 characters'); return v.trim();
    case 'int': if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad('应为整数', 'a whole number'); return v;
    case 'bool': if (typeof v !== 'boolean') throw bad('应为“是”或“否”', 'yes or no'); return v;
    case 'date': { const d = parseDateInput(v); if (!d) throw bad('应为有效日期', 'a real date'); return d; }
    case 'code': {
      const s = String(v);
      const o = f.options?.find((x) => x.code === s || x.labelZh === s || x.labelEn === s);
      if (!o) throw invalid('registry.code_unknown', { field: label, code: s });
      return o.code;
    }
  }
}

async function defOf(deps: RegistryDeps, code: string): Promise<TagDef> {
  const def = (await deps.store.registry.tagDefs()).find((t) => t.code === code && t.active);
  if (!def) throw notFound('registry.tag_not_found', { tag: code });
  return def;
}

async function personFor(deps: RegistryDeps, actor: Actor, personId: string, permission: 'registry.read' | 'registry.manage') {
  const p = await deps.store.registry.get('persons', personId);
  if (!p) throw notFound('registry.not_found');
  authorize(actor, permission, p.gridPath, 'registry.not_found');
  return p;
}

function present(t: TagRecord, def: TagDef): PersonTag {
  return {
    id: t.id, personId: t.personId, tag: t.tag, kind: def.kind, nameZh: def.nameZh, nameEn: def.nameEn, values: t.values, attention: t.attention,
    nextVisitOn: t.nextVisitOn, lastVisitOn: t.lastVisitOn, note: t.note, startedOn: t.startedOn,
  };
}

export async function listTags(deps: RegistryDeps, actor: Actor, personId: string): Promise<{ items: PersonTag[] }> {
  const p = await personFor(deps, actor, personId, 'registry.read');
  const defs = new Map((await deps.store.registry.tagDefs()).map((d) => [d.code, d] as const));
  const special = can(actor, 'registry.special', p.gridPath);
  const tags = (await deps.store.registry.tagsOf(personId)).filter((t) => special || defs.get(t.tag)?.kind !== 'special');
  return { items: tags.map((t) => present(t, defs.get(t.tag)!)) };
}

async function guardKind(actor: Actor, def: TagDef, path: string) {
  if (def.kind === 'special' && !can(actor, 'registry.special', path)) throw forbidden('registry.special_not_allowed');
}

export async function addTag(deps: RegistryDeps, actor: Actor, body: { personId: string; tag: string; values: Record<string, unknown>; attention?: string | null | undefined; nextVisitOn?: string | null | undefined; note?: string | null | undefined }) {
  const p = await personFor(deps, actor, body.personId, 'registry.manage');
  const def = await defOf(deps, body.tag);
  await guardKind(actor, def, p.gridPath);
  const values = checkTagValues(def, body.values);
  const start = today(deps);
  const next = body.nextVisitOn ?? (def.visitIntervalDays ? addDays(start, def.visitIntervalDays) : null);
  const at = deps.clock.now();
  const id = await deps.store.transaction(async (tx) => {
    if ((await tx.registry.tagsOf(p.id)).some((t) => t.tag === def.code)) throw conflict('registry.tag_exists', { tag: def.nameZh });
    const tagId = await tx.registry.insertTag({ personId: p.id, tag: def.code, values, attention: body.attention ?? null, nextVisitOn: next, lastVisitOn: null, note: body.note ?? null, startedOn: start }, null);
    await tx.registry.addChanges([{ ledger: 'persons', recordId: p.id, districtId: p.districtId, action: 'update', changes: { [`tag:${def.code}`]: [null, def.kind === 'special' ? '***' : def.nameZh] }, before: null, importId: null, actorId: actor.userId, actorName: actor.username, at }]);
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'registry.tag.add', entityType: 'persons', entityId: p.id, areaId: p.gridId, diff: { tag: def.code }, ip: actor.ip, requestId: actor.requestId });
    return tagId;
  });
  return present((await deps.store.registry.tag(id))!, def);
}

async function tagFor(deps: RegistryDeps, actor: Actor, tagId: string) {
  const t = await deps.store.registry.tag(tagId);
  if (!t || t.endedAt) throw notFound('registry.tag_record_not_found');
  const p = await deps.store.registry.get('persons', t.personId);
  if (!p) throw notFound('registry.tag_record_not_found');
  authorize(actor, 'registry.manage', p.gridPath, 'registry.tag_record_not_found');
  const def = (await deps.store.registry.tagDefs()).find((d) => d.code === t.tag)!;
  if (def.kind === 'special' && !can(actor, 'registry.special', p.gridPath)) throw notFound('registry.tag_record_not_found');
  return { t, p, def };
}

export async function updateTag(deps: RegistryDeps, actor: Actor, tagId: string, patch: { values?: Record<string, unknown> | undefined; attention?: string | null | undefined; nextVisitOn?: string | null | undefined; note?: string | null | undefined; visitedOn?: string | undefined }) {
  const { t, p, def } = await tagFor(deps, actor, tagId);
  const upd: Parameters<RegistryDeps['store']['registry']['updateTag']>[1] = {};
  if (patch.values !== undefined) upd.values = checkTagValues(def, patch.values);
  if (patch.attention !== undefined) upd.attention = patch.attention;
  if (patch.note !== undefined) upd.note = patch.note;
  if (patch.nextVisitOn !== undefined) upd.nextVisitOn = patch.nextVisitOn;
  if (patch.visitedOn !== undefined) {
    if (!parseDateInput(patch.visitedOn) || patch.visitedOn > today(deps)) throw invalid('registry.field_invalid', { field: { 'zh-CN': '走访日期', en: 'Visit date' }, detail: { 'zh-CN': '不能晚于今天', en: 'not after today' } });
    upd.lastVisitOn = patch.visitedOn;
    if (patch.nextVisitOn === undefined && def.visitIntervalDays) upd.nextVisitOn = addDays(patch.visitedOn, def.visitIntervalDays);
  }
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.registry.updateTag(t.id, upd);
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'registry.tag.update', entityType: 'persons', entityId: p.id, areaId: p.gridId, diff: { tag: def.code, fields: Object.keys(upd) }, ip: actor.ip, requestId: actor.requestId });
  });
  return present((await deps.store.registry.tag(t.id))!, def);
}

export async function endTag(deps: RegistryDeps, actor: Actor, tagId: string) {
  const { t, p, def } = await tagFor(deps, actor, tagId);
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.registry.endTag(t.id, at);
    await tx.registry.addChanges([{ ledger: 'persons', recordId: p.id, districtId: p.districtId, action: 'update', changes: { [`tag:${def.code}`]: [def.kind === 'special' ? '***' : def.nameZh, null] }, before: null, importId: null, actorId: actor.userId, actorName: actor.username, at }]);
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'registry.tag.end', entityType: 'persons', entityId: p.id, areaId: p.gridId, diff: { tag: def.code }, ip: actor.ip, requestId: actor.requestId });
  });
  return { ok: true as const };
}

/** The worker's due-list: open tags whose next visit is due within `withinDays` (overdue ones first), in the actor's scope. */
export async function dueVisits(deps: RegistryDeps, actor: Actor, q: { areaId?: string | undefined; withinDays: number; kind?: 'care' | 'special' | undefined; page: number; pageSize: number }) {
  let scope = scopeFor(actor, 'registry.read');
  if (scope.paths.length === 0) throw forbidden();
  if (q.areaId) {
    const a = await deps.store.grids.area(q.areaId);
    if (!a) throw notFound('area.not_found');
    authorize(actor, 'registry.read', a.path, 'area.not_found');
    scope = { paths: [a.path] };
  }
  const defs = await deps.store.registry.tagDefs();
  const specialOk = scope.paths.every((path) => can(actor, 'registry.special', path));
  const wanted = defs.filter((d) => d.active && (q.kind === undefined || d.kind === q.kind) && (d.kind === 'care' || specialOk));
  const now = today(deps);
  const r = await deps.store.registry.dueVisits(scope, addDays(now, q.withinDays), wanted.map((d) => d.code), q.page, q.pageSize);
  const byCode = new Map(defs.map((d) => [d.code, d] as const));
  const dayMs = 86_400_000;
  return {
    total: r.total,
    items: r.items.map((v) => {
      const d = byCode.get(v.tag)!;
      return {
        ...v, tagName: d.nameZh, kind: d.kind,
        overdueDays: Math.max(0, Math.round((Date.parse(now) - Date.parse(v.nextVisitOn)) / dayMs)),
      };
    }),
  };
}

/** Edits a tag definition (registry.configure): a city adds its own tags and follow-up fields. */
export async function saveTagDef(deps: RegistryDeps, actor: Actor, body: TagDef) {
  if (!actor.grants.some((g) => can({ grants: [g] }, 'registry.configure', g.areaPath))) throw forbidden();
  const at = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const saved = await tx.registry.saveTagDef(body);
    await tx.audit.append({ at, actorId: actor.userId, actorName: actor.username, action: 'registry.tag_def.save', entityType: 'tag_def', entityId: null, areaId: null, diff: { code: body.code }, ip: actor.ip, requestId: actor.requestId });
    return saved;
  });
}

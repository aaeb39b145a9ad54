import {
  LEDGER_SPECS, type FieldSpec, type HistoryEntry, type LedgerKey, type PersonSearchHit, type RegistryRecord, type RegistrySummary,
  type GridCompleteness, type Text, type DictTable,
} from '@wangge/contracts';
import type { Actor, AreaScope } from '../auth/auth.types.ts';
import { authorize, can, scopeFor, visibleScope } from '../auth/auth.policy.ts';
import { conflict, forbidden, invalid, notFound, DomainError } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { Ports, Store } from '../ports.ts';
import type { LocatorCache } from '../grids/locator-cache.ts';
import type { ChangeRecord, SearchKind, StoredRecord } from './registry.ports.ts';
import { codeLookup, searchKindOf, titleOf, validateValues, type FieldError, type ValueContext, type Values } from './registry.values.ts';
import { SUMMARY_FIGURES } from './registry.figures.ts';

export interface RegistryDeps {
  store: Store;
  clock: Clock;
  timeZone: string;
  locators: LocatorCache;
  /** Whether an ID number's 6-digit area code is acceptable (see isKnownIdArea). */
  knownIdArea?: (code6: string) => boolean;
  dicts: DictCache;
}

/** The code tables, read once and again after `invalidate` (an edit) or a minute. */
export class DictCache {
  private cached: { at: number; tables: DictTable[]; ctx: ReturnType<typeof codeLookup> } | null = null;
  constructor(private readonly ttlMs = 60_000) {}
  async get(store: Store, now: number) {
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      const tables = await store.registry.dicts();
      this.cached = { at: now, tables, ctx: codeLookup(tables) };
    }
    return this.cached;
  }
  invalidate() {
    this.cached = null;
  }
}

const SPECIAL_HIDDEN = 'registry.special';

export async function valueContext(deps: RegistryDeps): Promise<ValueContext> {
  const now = deps.clock.now();
  const { ctx } = await deps.dicts.get(deps.store, now.getTime());
  return { codes: ctx, today: now, timeZone: deps.timeZone, ...(deps.knownIdArea ? { knownIdArea: deps.knownIdArea } : {}) };
}

/** The first field error as the error the API answers with; every error in `details` (forms show them by field). */
export function fieldErrorsToDomain(errors: FieldError[]): DomainError {
  const first = errors[0]!;
  return invalid(first.code, first.params, { fields: errors.map((e) => ({ field: e.field, code: e.code })) });
}

function present(r: StoredRecord): RegistryRecord {
  return {
    id: r.id, ledger: r.ledger, gridId: r.gridId, gridName: r.gridName, gridCode: r.gridCode, version: r.version,
    values: r.values, refs: r.refs, importId: r.importId, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}

async function visibleRecord(deps: RegistryDeps, actor: Actor, ledger: LedgerKey, id: string, permission: 'registry.read' | 'registry.manage' = 'registry.read', ports: Ports = deps.store, forUpdate = false) {
  const r = await ports.registry.get(ledger, id, { forUpdate });
  if (!r) throw notFound('registry.not_found');
  authorize(actor, permission, r.gridPath, 'registry.not_found');
  return r;
}

// ── Where a record lies ───────────────────────────────────────────────────────

/**
 * A record's grid: from its parent record (a house from its building, a household from its house,
 * a person from the household or else the house), from its point (buildings, facilities), or as named.
 */
async function placeOf(deps: RegistryDeps, actor: Actor, tx: Ports, ledger: LedgerKey, values: Values, gridId: string | undefined | null, current?: StoredRecord): Promise<{ gridId: string; districtId: string | null; path: string }> {
  const spec = LEDGER_SPECS[ledger];
  const parents = spec.parentField ? [spec.parentField, ...(ledger === 'persons' ? ['houseId'] : [])] : [];
  for (const key of parents) {
    const v = key in values ? values[key] : current?.values[key];
    if (typeof v === 'string') {
      const f = spec.fields.find((x) => x.key === key)!;
      const parent = await tx.registry.get(f.ref!, v);
      if (!parent || !can(actor, 'registry.read', parent.gridPath)) throw invalid('registry.ref_not_found', { field: f.label });
      return { gridId: parent.gridId, districtId: parent.districtId, path: parent.gridPath };
    }
  }
  if (spec.locate === 'point') {
    const lon = ('lon' in values ? values.lon : current?.values.lon) as number | null;
    const lat = ('lat' in values ? values.lat : current?.values.lat) as number | null;
    if (typeof lon === 'number' && typeof lat === 'number') {
      const locator = await deps.locators.get(tx.grids);
      const g = locator.locate(lon, lat).basic.at(-1);
      if (!g) throw invalid('registry.outside_grids');
      const a = await tx.grids.area(g.id);
      return { gridId: g.id, districtId: a?.districtId ?? null, path: g.path };
    }
  }
  const named = gridId ?? current?.gridId;
  if (!named) throw invalid('registry.grid_required');
  const a = await tx.grids.area(named);
  if (!a) throw notFound('area.not_found');
  authorize(actor, 'registry.manage', a.path, 'area.not_found');
  if (a.level !== 'grid' && a.level !== 'community') throw invalid('registry.grid_required');
  return { gridId: a.id, districtId: a.districtId, path: a.path };
}

/** Refs must point to records the actor can see; uniqueness and the one-head rule are checked before writing, for a clear message. */
async function checkRules(tx: Ports, actor: Actor, ledger: LedgerKey, values: Values, merged: Values, districtId: string | null, exceptId?: string) {
  const spec = LEDGER_SPECS[ledger];
  for (const f of spec.fields) {
    if (f.type !== 'ref' || typeof values[f.key] !== 'string') continue;
    if (f.key === spec.parentField || (ledger === 'persons' && f.key === 'houseId')) continue; // checked by placeOf
    const target = await tx.registry.get(f.ref!, values[f.key] as string);
    if (!target || !can(actor, 'registry.read', target.gridPath)) throw invalid('registry.ref_not_found', { field: f.label });
  }
  if (ledger === 'persons') {
    if (typeof values.idNo === 'string') {
      const same = await tx.registry.findEqual('persons', districtId, 'idNo', values.idNo, exceptId);
      if (same.length > 0) throw conflict('registry.duplicate_id', { name: same[0]!.title });
    }
    if (merged.relation === '02' && typeof merged.householdId === 'string' && ('relation' in values || 'householdId' in values)) {
      const head = await tx.registry.headOf(merged.householdId, exceptId);
      if (head) throw conflict('registry.two_heads', { name: head.name });
    }
  }
  const uniques: Partial<Record<LedgerKey, string[]>> = { organisations: ['uscc'], facilities: ['code'], households: ['householdNo'], buildings: ['code'] };
  for (const key of uniques[ledger] ?? []) {
    if (typeof values[key] !== 'string') continue;
    const same = await tx.registry.findEqual(ledger, ledger === 'facilities' ? null : districtId, key, values[key], exceptId);
    if (same.length > 0) {
      const f = spec.fields.find((x) => x.key === key)!;
      throw conflict('registry.duplicate_key', { field: f.label, value: String(values[key]) });
    }
  }
}

// ── Reads ─────────────────────────────────────────────────────────────────────

/**
 * Where the actor may read, narrowed to a chosen area: the permission is checked first (403
 * anywhere without it), then the area (404 when it is not visible), then the scope's paths inside it.
 */
async function readScope(deps: RegistryDeps, actor: Actor, areaId?: string | undefined): Promise<AreaScope> {
  const scope = scopeFor(actor, 'registry.read');
  if (scope.paths.length === 0) throw forbidden();
  if (!areaId) return scope;
  const a = await deps.store.grids.area(areaId);
  if (!a || !visibleScope(actor).paths.some((p) => a.path === p || a.path.startsWith(p + '.') || p.startsWith(a.path + '.'))) throw notFound('area.not_found');
  const areaPath = a.path;
  const inside = scope.paths.filter((p) => p === areaPath || p.startsWith(areaPath + '.'));
  const covering = scope.paths.some((p) => areaPath === p || areaPath.startsWith(p + '.'));
  const narrowed = covering ? [areaPath] : inside;
  if (narrowed.length === 0) throw forbidden();
  return { paths: narrowed };
}

/** `f.<key>` query parameters → typed equality filters on filterable and ref fields. */
export async function parseFilters(deps: RegistryDeps, ledger: LedgerKey, query: Record<string, unknown>): Promise<Values> {
  const spec = LEDGER_SPECS[ledger];
  const ctx = await valueContext(deps);
  const out: Values = {};
  for (const [k, raw] of Object.entries(query)) {
    if (!k.startsWith('f.')) continue;
    const key = k.slice(2);
    const f = spec.fields.find((x) => x.key === key);
    if (!f || (!f.filter && f.type !== 'ref') || f.derived) throw invalid('registry.field_unknown', { field: key });
    if (typeof raw !== 'string' || raw === '') continue;
    if (f.type === 'bool') out[key] = raw === 'true' || raw === '1';
    else if (f.type === 'code') {
      const code = ctx.codes.resolve(f.dict!, raw);
      if (code === null) throw invalid('registry.code_unknown', { field: f.label, code: raw });
      out[key] = code;
    } else if (f.type === 'ref') {
      if (!/^[0-9a-f-]{36}$/i.test(raw)) throw invalid('registry.ref_not_found', { field: f.label });
      out[key] = raw.toLowerCase();
    } else out[key] = raw;
  }
  return out;
}

export async function list(deps: RegistryDeps, actor: Actor, ledger: LedgerKey, q: { areaId?: string | undefined; q?: string | undefined; page: number; pageSize: number } & Record<string, unknown>) {
  const scope = await readScope(deps, actor, q.areaId);
  const equals = await parseFilters(deps, ledger, q);
  const r = await deps.store.registry.list(ledger, scope, { q: q.q, equals, page: q.page, pageSize: q.pageSize });
  return { items: r.items.map(present), total: r.total, page: q.page, pageSize: q.pageSize };
}

/** Every record of a filtered list, for the .xlsx export (pages of 2,000 rows). */
export async function scan(deps: RegistryDeps, actor: Actor, ledger: LedgerKey, q: { areaId?: string | undefined; q?: string | undefined } & Record<string, unknown>) {
  const scope = await readScope(deps, actor, q.areaId);
  const equals = await parseFilters(deps, ledger, q);
  return deps.store.registry.scan(ledger, scope, { q: q.q, equals }, 2000);
}

export async function get(deps: RegistryDeps, actor: Actor, ledger: LedgerKey, id: string) {
  return present(await visibleRecord(deps, actor, ledger, id));
}

export async function history(deps: RegistryDeps, actor: Actor, ledger: LedgerKey, id: string): Promise<{ items: HistoryEntry[] }> {
  const r = await visibleRecord(deps, actor, ledger, id);
  const rows = await deps.store.registry.history(ledger, id);
  // Special-group tags are not even named to roles without registry.special (the key itself would tell).
  const hidden = can(actor, SPECIAL_HIDDEN, r.gridPath) ? new Set<string>() : new Set((await deps.store.registry.tagDefs()).filter((t) => t.kind === 'special').map((t) => `tag:${t.code}`));
  const items = rows.map((h) => ({
    id: h.id, at: h.at.toISOString(), actorName: h.actorName, action: h.action, importId: h.importId,
    changes: Object.fromEntries(Object.entries(h.changes).filter(([k]) => !hidden.has(k))),
  }));
  return { items: items.filter((h) => h.action !== 'update' || Object.keys(h.changes).length > 0) };
}

/** The full ID number or phone: a deliberate request by a role that needs it, audited in the same transaction. */
export async function reveal(deps: RegistryDeps, actor: Actor, ledger: LedgerKey, id: string, field: string) {
  const r = await visibleRecord(deps, actor, ledger, id);
  const f = LEDGER_SPECS[ledger].fields.find((x) => x.key === field);
  if (!f) throw invalid('registry.field_unknown', { field });
  if (f.type !== 'idno' && f.type !== 'phone') throw invalid('registry.field_not_sensitive', { field: f.label });
  if (!can(actor, 'registry.reveal', r.gridPath)) throw forbidden('registry.reveal_not_allowed');
  return deps.store.transaction(async (tx) => {
    const value = await tx.registry.reveal(ledger, id, field);
    await tx.audit.append({
      at: deps.clock.now(), actorId: actor.userId, actorName: actor.username, action: 'registry.reveal', entityType: ledger, entityId: id, areaId: r.gridId,
      diff: { field }, ip: actor.ip, requestId: actor.requestId,
    });
    return { field, value };
  });
}

// ── Writes ────────────────────────────────────────────────────────────────────

function auditOf(actor: Actor, at: Date, action: string, ledger: LedgerKey, id: string, gridId: string, diff: unknown) {
  return { at, actorId: actor.userId, actorName: actor.username, action, entityType: ledger, entityId: id, areaId: gridId, diff, ip: actor.ip, requestId: actor.requestId };
}

function maskedChanges(ledger: LedgerKey, before: Values | null, after: Values): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const f of LEDGER_SPECS[ledger].fields) {
    if (!(f.key in after)) continue;
    const a = after[f.key];
    const b = before ? before[f.key] ?? null : null;
    if (a === null && b === null) continue;
    out[f.key] = [b, f.type === 'idno' || f.type === 'phone' ? (a === null ? null : '***') : a];
  }
  return out;
}

export async function create(deps: RegistryDeps, actor: Actor, ledger: LedgerKey, body: { values: Record<string, unknown>; gridId?: string | undefined }) {
  const ctx = await valueContext(deps);
  const { values, errors } = validateValues(ledger, body.values, ctx, 'create');
  if (errors.length) throw fieldErrorsToDomain(errors);
  const at = deps.clock.now();
  const id = await deps.store.transaction(async (tx) => {
    const place = await placeOf(deps, actor, tx, ledger, values, body.gridId);
    authorize(actor, 'registry.manage', place.path, 'area.not_found');
    await checkRules(tx, actor, ledger, values, values, place.districtId);
    const [newId] = await tx.registry.insert(ledger, [{ gridId: place.gridId, districtId: place.districtId, values }], at, null);
    const changes = maskedChanges(ledger, null, values);
    await tx.registry.addChanges([{ ledger, recordId: newId!, districtId: place.districtId, action: 'create', changes, before: null, importId: null, actorId: actor.userId, actorName: actor.username, at }]);
    await tx.audit.append(auditOf(actor, at, `registry.${ledger}.create`, ledger, newId!, place.gridId, { fields: Object.keys(changes) }));
    return newId!;
  });
  return get(deps, actor, ledger, id);
}

const LOCATING_FIELDS = new Set(['buildingId', 'houseId', 'householdId', 'lon', 'lat']);

export async function update(deps: RegistryDeps, actor: Actor, ledger: LedgerKey, id: string, body: { values: Record<string, unknown>; gridId?: string | undefined; version?: number | undefined }) {
  if (body.version === undefined) throw invalid('registry.version_required');
  const ctx = await valueContext(deps);
  const current0 = await visibleRecord(deps, actor, ledger, id, 'registry.manage');
  const { values, errors } = validateValues(ledger, body.values, ctx, 'patch', current0.values);
  if (errors.length) throw fieldErrorsToDomain(errors);
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const current = await visibleRecord(deps, actor, ledger, id, 'registry.manage', tx, true);
    if (current.version !== body.version) throw conflict('registry.conflict', { version: current.version });
    const moves = Object.keys(values).some((k) => LOCATING_FIELDS.has(k)) || (body.gridId !== undefined && body.gridId !== current.gridId);
    const place = moves ? await placeOf(deps, actor, tx, ledger, values, body.gridId ?? null, current) : { gridId: current.gridId, districtId: current.districtId, path: current.gridPath };
    if (moves) authorize(actor, 'registry.manage', place.path, 'area.not_found');
    const merged = { ...current.values, ...values };
    await checkRules(tx, actor, ledger, values, merged, place.districtId, id);
    const r = await tx.registry.update(ledger, id, body.version!, values, place.gridId !== current.gridId ? place.gridId : null, at);
    if (!r) throw conflict('registry.conflict', { version: current.version });
    if (place.gridId !== current.gridId && (ledger === 'buildings' || ledger === 'houses' || ledger === 'households')) await tx.registry.regrid(ledger, [id]);
    if (Object.keys(r.changes).length > 0 || place.gridId !== current.gridId) {
      const changes = place.gridId !== current.gridId ? { ...r.changes, gridId: [current.gridName, place.gridId] as [unknown, unknown] } : r.changes;
      await tx.registry.addChanges([{ ledger, recordId: id, districtId: place.districtId, action: 'update', changes, before: r.before, importId: null, actorId: actor.userId, actorName: actor.username, at }]);
      await tx.audit.append(auditOf(actor, at, `registry.${ledger}.update`, ledger, id, place.gridId, { fields: Object.keys(changes) }));
    }
  });
  return get(deps, actor, ledger, id);
}

export async function remove(deps: RegistryDeps, actor: Actor, ledger: LedgerKey, id: string, version: number) {
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const current = await visibleRecord(deps, actor, ledger, id, 'registry.manage', tx, true);
    if (current.version !== version) throw conflict('registry.conflict', { version: current.version });
    const kids = (await tx.registry.children(ledger, id)).filter((c) => c.count > 0);
    if (kids.length > 0) throw conflict('registry.has_children', { count: kids[0]!.count, ledger: LEDGER_SPECS[kids[0]!.ledger].label });
    const before = await tx.registry.remove(ledger, id, version);
    if (!before) throw conflict('registry.conflict', { version: current.version });
    const changes: Record<string, [unknown, unknown]> = {};
    for (const [k, v] of Object.entries(current.values)) if (v !== null) changes[k] = [v, null];
    await tx.registry.addChanges([{ ledger, recordId: id, districtId: current.districtId, action: 'delete', changes, before, importId: null, actorId: actor.userId, actorName: actor.username, at }]);
    await tx.audit.append(auditOf(actor, at, `registry.${ledger}.delete`, ledger, id, current.gridId, { title: titleOf(ledger, current.values) }));
  });
  return { ok: true as const };
}

// ── Search ────────────────────────────────────────────────────────────────────

export async function search(deps: RegistryDeps, actor: Actor, q: { q: string; areaId?: string | undefined; limit: number }): Promise<{ matched: SearchKind; items: PersonSearchHit[] }> {
  const { kind, value } = searchKindOf(q.q);
  if (value === '') throw invalid('registry.search_empty');
  const scope = await readScope(deps, actor, q.areaId);
  const special = scopeFor(actor, SPECIAL_HIDDEN);
  const includeSpecial = scope.paths.every((p) => special.paths.some((s) => p === s || p.startsWith(s + '.')));
  const items = await deps.store.registry.search(scope, kind, value, q.limit, includeSpecial);
  // A short text that names nobody may be a place: 莲湖 finds the people living on 莲湖路.
  if (items.length === 0 && kind === 'name' && [...value].length >= 2) {
    return { matched: 'address', items: await deps.store.registry.search(scope, 'address', value, q.limit, includeSpecial) };
  }
  return { matched: kind, items };
}

// ── Summaries and completeness ───────────────────────────────────────────────

/** 分类汇总 of an area and each child (grids → … → city), from the live per-grid counters. */
export async function summary(deps: RegistryDeps, actor: Actor, areaId: string | undefined): Promise<RegistrySummary> {
  const scope = scopeFor(actor, 'registry.read');
  if (scope.paths.length === 0) throw forbidden();
  let area;
  if (areaId) {
    area = await deps.store.grids.area(areaId);
    if (!area) throw notFound('area.not_found');
    authorize(actor, 'registry.read', area.path, 'area.not_found');
  } else {
    const rootPath = scope.paths[0]!;
    area = await deps.store.grids.area(rootPath.split('.').at(-1)!);
    if (!area) throw notFound('area.not_found');
  }
  const children = (await deps.store.grids.liveChildren(area.id));
  const sums = await deps.store.registry.rollup([area.id, ...children.map((c) => c.id)]);
  const includeSpecial = can(actor, SPECIAL_HIDDEN, area.path);
  const tags = await deps.store.registry.tagDefs();
  const figures = figureList(tags.filter((t) => t.kind === 'care' || includeSpecial).map((t) => ({ code: t.code, kind: t.kind, name: { 'zh-CN': t.nameZh, en: t.nameEn } })));
  const now = deps.clock.now();
  const row = (a: { id: string; code: string; nameZh: string; level: string }) => ({
    areaId: a.id, code: a.code, name: a.nameZh, level: a.level, values: figureValues(sums.get(a.id) ?? {}, figures, now, deps.timeZone),
  });
  return { area: row(area), children: children.map(row), figures: figures.map(({ key, group, labelZh, labelEn }) => ({ key, group, labelZh, labelEn })), asOf: now.toISOString() };
}

type Figure = { key: string; group: string; labelZh: string; labelEn: string; of: (m: Record<string, number>, year: number) => number };

function figureList(tags: { code: string; kind: string; name: Text }[]): Figure[] {
  const fixed = SUMMARY_FIGURES.map((f) => ({ ...f }));
  const tagFigures: Figure[] = tags.map((t) => ({
    key: `tag:${t.code}`, group: t.kind === 'care' ? 'care' : 'special', labelZh: t.name['zh-CN'], labelEn: t.name.en, of: (m) => m[`tag:${t.code}`] ?? 0,
  }));
  return [...fixed, ...tagFigures];
}

function figureValues(m: Record<string, number>, figures: Figure[], now: Date, timeZone: string): Record<string, number> {
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(now));
  const out: Record<string, number> = {};
  for (const f of figures) out[f.key] = f.of(m, year);
  return out;
}

/** The figures the grid map and card show (households, people, party members, care objects, completeness), for many grids at once. */
export async function gridFigures(store: Pick<Store, 'registry'>, gridIds: string[]): Promise<Map<string, Record<string, number>>> {
  const [sums, comp, tags] = await Promise.all([store.registry.rollup(gridIds), store.registry.completeness(gridIds), store.registry.tagDefs()]);
  const care = tags.filter((t) => t.kind === 'care').map((t) => `tag:${t.code}`);
  const byGrid = new Map(comp.map((c) => [c.gridId, c] as const));
  const out = new Map<string, Record<string, number>>();
  for (const id of gridIds) {
    const m = sums.get(id) ?? {};
    const c = byGrid.get(id);
    out.set(id, {
      households: m.households ?? 0, people: m.people ?? 0, party: m.party ?? 0,
      care: care.reduce((s, k) => s + (m[k] ?? 0), 0),
      ...(c?.score !== null && c?.score !== undefined ? { completeness: c.score } : {}),
    });
  }
  return out;
}

/** 区不漏房、房不漏户、户不漏项 for every grid below an area. */
export async function completeness(deps: RegistryDeps, actor: Actor, areaId: string | undefined): Promise<{ items: GridCompleteness[] }> {
  const scope = await readScope(deps, actor, areaId);
  const grids = (await Promise.all(scope.paths.map((p) => deps.store.grids.liveGridsUnder(p)))).flat();
  const exact = await Promise.all(scope.paths.map((p) => deps.store.grids.area(p.split('.').at(-1)!)));
  for (const a of exact) if (a && a.level === 'grid' && !grids.some((g) => g.id === a.id)) grids.push(a);
  const items = await deps.store.registry.completeness(grids.map((g) => g.id));
  return { items: items.sort((a, b) => a.code.localeCompare(b.code)) };
}

/** The fields that count toward 户不漏项, for the repository's completeness query (one place: the spec's `fill`). */
export function fillFields(ledger: LedgerKey): FieldSpec[] {
  return LEDGER_SPECS[ledger].fields.filter((f) => f.fill && !f.derived);
}

export type { ChangeRecord };

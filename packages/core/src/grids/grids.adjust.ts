import { randomUUID } from 'node:crypto';
import type { Polygon } from 'geojson';
import type { AdjustmentPreview, AdjustmentRequest, CaseState, GridType } from '@wangge/contracts';
import type { Clock } from '../shared/clock.ts';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.ts';
import type { Actor } from '../auth/auth.types.ts';
import { authorize } from '../auth/auth.policy.ts';
import type { Ports, Store } from '../ports.ts';
import { validatePolygon } from '../areas/geometry.rules.ts';
import { checkCover, type CoverProblem } from '../areas/cover.rules.ts';
import type { LedgerKey } from '@wangge/contracts';
import { AdjustmentError, mergePolygons, planMoves, splitPolygon, type PlacedThing } from '../areas/adjustment.rules.ts';
import { gridCode, numberWestEastNorthSouth } from '../areas/grid-numbering.ts';
import type { ChangeSet, GridRow, NewGrid, UndoRecord } from './grids.types.ts';
import type { LocatorCache } from './locator-cache.ts';

export interface AdjustDeps {
  store: Store;
  clock: Clock;
  toleranceM2: number;
  locators: LocatorCache;
}

/** Kinds of things that sit in grids and move with them; later modules (registry, cases) add theirs. */
export const PLACED_KINDS = ['building', 'staff', 'household', 'person', 'case'] as const;

function polygonOf(input: unknown, label: string): Polygon {
  const r = validatePolygon(input);
  if (!r.ok) {
    // The HTTP layer words each problem in the reader's language (geometryProblemMessages).
    throw invalid('geometry.invalid', { detail: label }, r.problems);
  }
  return r.polygon;
}

function adjustError(e: unknown): never {
  if (e instanceof AdjustmentError) throw invalid(e.code, e.params);
  throw e;
}

async function childOf(tx: Ports, parent: GridRow, id: string): Promise<GridRow> {
  const g = await tx.grids.area(id);
  if (!g || g.retired || g.parentId !== parent.id || g.level !== 'grid') throw invalid('grid.not_in_parent', { code: g?.code ?? id });
  return g;
}

/** The next free code under a parent: its code + a 3-digit sequence (15 digits under a community). */
async function nextCodes(tx: Ports, parent: GridRow, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let seq = 1; out.length < n && seq <= 999; seq++) {
    const code = parent.code.length === 12 ? gridCode(parent.code, seq) : parent.code + String(seq).padStart(3, '0');
    if (!(await tx.grids.codeTaken(code))) out.push(code);
  }
  return out;
}

/** Turns a request into the changes it makes under `parent`, validating every polygon it brings. */
async function changeSetOf(tx: Ports, parent: GridRow, req: AdjustmentRequest): Promise<ChangeSet> {
  const cs: ChangeSet = { creates: [], updates: [], retires: [] };
  const newGrid = async (nameZh: string, gridType: GridType, geometry: Polygon, code?: string): Promise<NewGrid> => {
    if (code) {
      if (!code.startsWith(parent.code)) throw invalid('grid.code_not_in_parent', { code, parent: parent.code });
      if (await tx.grids.codeTaken(code)) throw conflict('grid.code_taken', { code });
    }
    const taken = new Set(cs.creates.map((c) => c.code));
    const candidates = code ? [code] : (await nextCodes(tx, parent, cs.creates.length + 1)).filter((c) => !taken.has(c));
    return { tempId: `new:${cs.creates.length + 1}`, code: candidates[0]!, nameZh, gridType, geometry };
  };
  switch (req.kind) {
    case 'create':
      cs.creates.push(await newGrid(req.grid.nameZh, req.grid.gridType, polygonOf(req.grid.geometry, req.grid.nameZh), req.grid.code));
      break;
    case 'redraw':
      for (const g of req.grids) {
        const row = await childOf(tx, parent, g.id);
        cs.updates.push({ id: row.id, geometry: polygonOf(g.geometry, row.code) });
      }
      break;
    case 'split': {
      const row = await childOf(tx, parent, req.gridId);
      if (!row.geometry) throw invalid('grid.parent_has_no_geometry');
      let halves: [Polygon, Polygon];
      try {
        halves = splitPolygon(row.geometry, req.line as [number, number][]);
      } catch (e) {
        adjustError(e);
      }
      const names = req.names ?? [`${row.nameZh}（一）`, `${row.nameZh}（二）`];
      cs.retires.push(row.id);
      cs.creates.push(await newGrid(names[0], row.gridType ?? 'basic', halves[0]));
      cs.creates.push(await newGrid(names[1], row.gridType ?? 'basic', halves[1]));
      break;
    }
    case 'merge': {
      const rows = await Promise.all(req.gridIds.map((id) => childOf(tx, parent, id)));
      let merged: Polygon;
      try {
        merged = mergePolygons(rows.map((r) => r.geometry).filter((g): g is Polygon => g !== null));
      } catch (e) {
        adjustError(e);
      }
      cs.retires.push(...rows.map((r) => r.id));
      cs.creates.push(await newGrid(req.nameZh ?? rows[0]!.nameZh, rows[0]!.gridType ?? 'basic', merged));
      break;
    }
    case 'retire':
      cs.retires.push((await childOf(tx, parent, req.gridId)).id);
      break;
    case 'import': {
      const fc = req.featureCollection as { type?: unknown; features?: unknown };
      if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features) || fc.features.length === 0) {
        throw invalid('grid.import_invalid', { detail: 'expected a GeoJSON FeatureCollection with at least one feature' });
      }
      const live = await tx.grids.liveChildren(parent.id);
      for (const [i, f] of (fc.features as { geometry?: unknown; properties?: Record<string, unknown> }[]).entries()) {
        const props = f.properties ?? {};
        const name = String(props.nameZh ?? props.name ?? '').trim();
        const code = props.code === undefined ? undefined : String(props.code);
        const geometry = polygonOf(f.geometry, `feature ${i}${code ? ` (${code})` : ''}`);
        const existing = code ? live.find((g) => g.code === code) : undefined;
        if (existing) {
          // Re-importing an export must not make new versions of grids that did not change.
          const moved = JSON.stringify(existing.geometry) !== JSON.stringify(geometry);
          const renamed = name !== '' && name !== existing.nameZh;
          if (moved || renamed) cs.updates.push({ id: existing.id, ...(moved ? { geometry } : {}), ...(renamed ? { nameZh: name } : {}) });
        }
        else {
          if (!name) throw invalid('grid.import_invalid', { detail: `feature ${i}: properties.name is required for a new grid` });
          const gridType = props.gridType === 'dedicated' ? 'dedicated' : 'basic';
          cs.creates.push(await newGrid(name, gridType, geometry, code));
        }
      }
      break;
    }
    case 'renumber': {
      const basic = (await tx.grids.liveChildren(parent.id)).filter((g) => g.level === 'grid' && g.gridType !== 'dedicated' && g.geometry);
      if (basic.length === 0) throw invalid('grid.nothing_to_number');
      const ordered = numberWestEastNorthSouth(basic, (g) => centroid(g.geometry!));
      ordered.forEach((g, i) => {
        const code = parent.code.length === 12 ? gridCode(parent.code, i + 1) : parent.code + String(i + 1).padStart(3, '0');
        if (code !== g.code) cs.updates.push({ id: g.id, code });
      });
      break;
    }
  }
  return cs;
}

function centroid(p: Polygon): [number, number] {
  const ring = p.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, c) => s + c[0]!, 0) / ring.length, ring.reduce((s, c) => s + c[1]!, 0) / ring.length];
}

interface Evaluated {
  parent: GridRow;
  cs: ChangeSet;
  before: GridRow[];
  preview: AdjustmentPreview;
  gaps: CoverProblem[];
  moves: { thing: PlacedThing; from: string | null; to: string | null }[];
  staffMap: Record<string, string>;
}

async function evaluate(deps: AdjustDeps, tx: Ports, actor: Actor, parentId: string, req: AdjustmentRequest): Promise<Evaluated> {
  const parent = await tx.grids.area(parentId);
  if (!parent) throw notFound('area.not_found');
  authorize(actor, 'grid.manage', parent.path, 'area.not_found');
  if (parent.level !== 'community' && parent.level !== 'grid') throw invalid('grid.parent_cannot_hold_grids');
  const cs = await changeSetOf(tx, parent, req);
  const before = (await tx.grids.liveChildren(parent.id)).filter((g) => g.level === 'grid');
  const byId = new Map(before.map((g) => [g.id, g]));
  const retired = new Set(cs.retires);
  const after = [
    ...before.filter((g) => !retired.has(g.id)).map((g) => {
      const u = cs.updates.find((x) => x.id === g.id);
      return { id: g.id, code: u?.code ?? g.code, name: u?.nameZh ?? g.nameZh, gridType: g.gridType ?? 'basic', polygon: u?.geometry ?? g.geometry };
    }),
    ...cs.creates.map((c) => ({ id: c.tempId, code: c.code, name: c.nameZh, gridType: c.gridType, polygon: c.geometry as Polygon | null })),
  ];

  const geometryChanged = cs.creates.length > 0 || cs.retires.length > 0 || cs.updates.some((u) => u.geometry);
  let problems: CoverProblem[] = [];
  let coveredShare = 1;
  if (geometryChanged) {
    if (!parent.geometry) throw invalid('grid.parent_has_no_geometry');
    const shaped = after.filter((g): g is typeof g & { polygon: Polygon } => g.polygon !== null);
    const exceptions = await tx.grids.coverExceptions(parent.id);
    const basic = checkCover(parent.geometry, shaped.filter((g) => g.gridType === 'basic'), { toleranceM2: deps.toleranceM2, intentionalGaps: exceptions });
    // Dedicated grids (a school, a market) may overlap basic ones but must stay inside the parent.
    const dedicated = checkCover(parent.geometry, shaped.filter((g) => g.gridType === 'dedicated'), { toleranceM2: deps.toleranceM2 });
    problems = [...basic.problems, ...dedicated.problems.filter((p) => p.kind === 'outside_parent')];
    coveredShare = basic.coveredShare;
  }
  const gaps = req.acceptGapsReason ? problems.filter((p) => p.kind === 'gap') : [];
  const blocking = problems.filter((p) => !gaps.includes(p));

  // What moves: buildings by their point, staff follow their grid (into the first new grid when it is split or merged).
  const staffMap: Record<string, string> = {};
  for (const id of cs.retires) if (cs.creates[0]) staffMap[id] = cs.creates[0].tempId;
  const buildings = await tx.grids.buildingsUnder(parent.path);
  const staff = await tx.grids.staffOf(before.map((g) => g.id));
  // Open cases move with the ground they stand on (closed ones keep their grid for past statistics).
  const openCases = await tx.cases.openCasesUnder(parent.path);
  const things: PlacedThing[] = [
    ...openCases.map((c) => ({ kind: 'case' as const, id: c.id, label: c.no, state: c.state, districtId: c.districtId, pinned: c.pinned, gridId: c.gridId, point: c.lon !== null && c.lat !== null ? [c.lon, c.lat] as [number, number] : null })),
    ...buildings.map((b) => ({ kind: 'building' as const, id: b.id, label: b.name, gridId: b.gridId, point: [b.lon, b.lat] as [number, number], pinned: b.pinned })),
    ...staff.map((s) => ({ kind: 'staff' as const, id: s.id, label: s.name, gridId: s.gridId, point: null })),
  ];
  const plan = planMoves(
    before.filter((g) => g.geometry).map((g) => ({ id: g.id, code: g.code, name: g.nameZh, polygon: g.geometry! })),
    after.filter((g) => g.polygon && g.gridType === 'basic').map((g) => ({ id: g.id, code: g.code, name: g.name, polygon: g.polygon! })),
    things,
    staffMap,
  );
  const movesByKind: Record<string, number> = Object.fromEntries(PLACED_KINDS.map((k) => [k, 0]));
  for (const m of plan.moves) movesByKind[m.thing.kind] = (movesByKind[m.thing.kind] ?? 0) + 1;
  // Households and people move with the buildings they live in; records placed straight in a retired grid go where its staff go.
  const lived = await tx.registry.countInBuildings(plan.moves.filter((m) => m.thing.kind === 'building').map((m) => m.thing.id));
  const direct = (await tx.registry.inGrids(cs.retires.filter((id) => staffMap[id]))).filter((r) => r.ledger === 'households' || r.ledger === 'persons');
  movesByKind.household = lived.households + direct.filter((r) => r.ledger === 'households').length;
  movesByKind.person = lived.persons + direct.filter((r) => r.ledger === 'persons').length;
  const label = (id: string | null) => (id === null ? null : byId.get(id)?.code ?? cs.creates.find((c) => c.tempId === id)?.code ?? id);

  const preview: AdjustmentPreview = {
    ok: blocking.length === 0,
    problems: problems.map((p) => ({ kind: p.kind, areaM2: Math.round(p.areaM2 * 10) / 10, gridIds: p.gridIds, codes: p.codes, where: p.where, geometry: p.geometry })),
    coveredShare,
    creates: cs.creates.map((c) => ({ tempId: c.tempId, code: c.code, nameZh: c.nameZh, gridType: c.gridType, geometry: c.geometry })),
    updates: cs.updates.map((u) => {
      const row = byId.get(u.id)!;
      return { id: u.id, code: u.code ?? row.code, nameZh: u.nameZh ?? row.nameZh, geometryChanged: Boolean(u.geometry) };
    }),
    retires: cs.retires.map((id) => ({ id, code: byId.get(id)!.code, nameZh: byId.get(id)!.nameZh })),
    moves: plan.moves.map((m) => ({ kind: m.thing.kind, id: m.thing.id, label: m.thing.label, from: label(m.from), to: label(m.to) })),
    movesByKind,
  };
  return { parent, cs, before, preview, gaps, moves: plan.moves, staffMap };
}

/** What an adjustment would do, without doing it. */
export async function previewAdjustment(deps: AdjustDeps, actor: Actor, parentId: string, req: AdjustmentRequest): Promise<AdjustmentPreview> {
  return (await evaluate(deps, deps.store, actor, parentId, req)).preview;
}

/** Applies an adjustment in one transaction: grids, history, moves, accepted gaps, audit. */
export async function commitAdjustment(deps: AdjustDeps, actor: Actor, parentId: string, req: AdjustmentRequest): Promise<{ id: string; preview: AdjustmentPreview }> {
  const result = await deps.store.transaction(async (tx) => {
    await tx.grids.lockArea(parentId);
    const ev = await evaluate(deps, tx, actor, parentId, req);
    if (!ev.preview.ok) {
      const blocking = ev.preview.problems.filter((p) => !(req.acceptGapsReason && p.kind === 'gap'));
      // The HTTP layer words each problem in the reader's language (coverProblemMessages).
      throw new DomainError('grid.cover_failed', 'invalid', { detail: '' }, { problems: blocking });
    }
    const at = deps.clock.now();
    const id = randomUUID();
    const undo: UndoRecord = { created: [], retired: [], updated: [], buildingMoves: [], staffMoves: [], caseMoves: [], registryMoves: [] };
    // Free the codes of retired grids and move renumbered ones out of the way before anything takes a code.
    for (const gid of ev.cs.retires) {
      await tx.grids.retireGrid(gid, at, id);
      undo.retired.push(gid);
    }
    const rows = new Map(ev.before.map((g) => [g.id, g]));
    if (req.kind === 'renumber') for (const u of ev.cs.updates) await tx.grids.parkCode(u.id);
    for (const u of ev.cs.updates) {
      const row = rows.get(u.id)!;
      undo.updated.push({ id: row.id, geometry: row.geometry, code: row.code, nameZh: row.nameZh, version: row.version, validFrom: row.validFrom.toISOString() });
      await tx.grids.updateGrid(row, u, at, id);
    }
    const realId = new Map<string, string>();
    for (const c of ev.cs.creates) {
      const newId = await tx.grids.createGrid(ev.parent, c, at);
      realId.set(c.tempId, newId);
      undo.created.push(newId);
    }
    const resolve = (x: string | null) => (x === null ? null : realId.get(x) ?? x);
    for (const [i, m] of ev.moves.entries()) {
      const to = resolve(m.to);
      if (m.thing.kind === 'building') {
        await tx.grids.setBuildingGrid(m.thing.id, to, false, null, at);
        undo.buildingMoves.push({ id: m.thing.id, from: m.from, to });
      } else if (m.thing.kind === 'staff' && to && m.from) {
        await tx.grids.moveStaff(m.thing.id, to);
        undo.staffMoves.push({ id: m.thing.id, from: m.from, to });
      } else if (m.thing.kind === 'case' && to && m.from) {
        await tx.cases.moveToGrid(m.thing.id, to, at);
        const state = m.thing.state as CaseState;
        const shown = ev.preview.moves[i]!;
        await tx.cases.appendEvent(m.thing.id, m.thing.districtId ?? null, {
          action: 'grid_adjusted', fromState: state, toState: state, actorId: actor.userId, actorName: actor.displayName, at, note: req.reason ?? null,
          data: { adjustmentId: id, kind: req.kind, grid: { from: { id: m.from, code: shown.from }, to: { id: to, code: shown.to } } },
        });
        undo.caseMoves!.push({ id: m.thing.id, from: m.from, to });
      }
    }
    // The registry follows: houses, households and people with their buildings; records placed straight in a retired grid into its successor.
    await tx.registry.regrid('buildings', undo.buildingMoves.map((m) => m.id));
    for (const [from, tempTo] of Object.entries(ev.staffMap)) {
      const to = resolve(tempTo)!;
      const byLedger = new Map<string, string[]>();
      for (const r of (await tx.registry.inGrids([from])).filter((x) => x.ledger !== 'buildings')) byLedger.set(r.ledger, [...(byLedger.get(r.ledger) ?? []), r.id]);
      for (const [ledger, ids] of byLedger) {
        await tx.registry.setGrid(ledger as LedgerKey, ids, to);
        undo.registryMoves!.push({ ledger, ids, from, to });
      }
    }
    for (const gap of ev.gaps) await tx.grids.addCoverException(ev.parent.id, gap.geometry, req.acceptGapsReason!, actor.username, at);
    await tx.grids.bumpEpoch();
    const summary = {
      created: ev.preview.creates.map((c) => ({ id: realId.get(c.tempId), code: c.code, nameZh: c.nameZh })),
      updated: ev.preview.updates.map((u) => ({ id: u.id, code: u.code })),
      retired: ev.preview.retires,
      movesByKind: ev.preview.movesByKind,
      acceptedGaps: ev.gaps.length,
    };
    await tx.grids.insertAdjustment({ id, kind: req.kind, parentId: ev.parent.id, reason: req.reason ?? null, summary, undo, actorId: actor.userId, actorName: actor.username, at });
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: `grid.${req.kind}`, entityType: 'area', entityId: ev.parent.id,
      areaId: ev.parent.id, diff: { adjustmentId: id, reason: req.reason ?? null, ...summary, acceptGapsReason: req.acceptGapsReason ?? null }, ip: actor.ip, requestId: actor.requestId,
    });
    return { id, preview: ev.preview };
  });
  deps.locators.invalidate();
  return result;
}

/** Undoes the latest adjustment of a parent: grids, codes, geometry and the things that moved. */
export async function revertAdjustment(deps: AdjustDeps, actor: Actor, parentId: string, adjustmentId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await tx.grids.lockArea(parentId);
    const parent = await tx.grids.area(parentId);
    if (!parent) throw notFound('area.not_found');
    authorize(actor, 'grid.manage', parent.path, 'area.not_found');
    const adj = await tx.grids.findAdjustment(adjustmentId);
    if (!adj || adj.parentId !== parent.id) throw notFound('grid.adjustment_not_found');
    const latest = await tx.grids.latestOpenAdjustment(parent.id);
    if (!latest || latest.id !== adj.id) throw conflict('grid.adjustment_not_latest');
    const at = deps.clock.now();
    const u = adj.undo;
    for (const gid of u.created) await tx.grids.retireGrid(gid, at, adj.id);
    const current = new Map<string, GridRow>();
    for (const prev of u.updated) current.set(prev.id, (await tx.grids.area(prev.id))!);
    for (const prev of u.updated) await tx.grids.parkCode(prev.id);
    for (const prev of u.updated) await tx.grids.restoreGrid(current.get(prev.id)!, prev, at, adj.id);
    for (const gid of u.retired) await tx.grids.unretireGrid(gid);
    for (const m of u.buildingMoves) await tx.grids.setBuildingGrid(m.id, m.from, false, null, at);
    for (const m of u.staffMoves) await tx.grids.moveStaff(m.id, m.from);
    for (const m of u.registryMoves ?? []) await tx.registry.setGrid(m.ledger as LedgerKey, m.ids, m.from);
    await tx.registry.regrid('buildings', u.buildingMoves.map((m) => m.id));
    for (const m of u.caseMoves ?? []) {
      await tx.cases.moveToGrid(m.id, m.from, at);
      const moved = await tx.cases.find(m.id);
      if (moved) {
        await tx.cases.appendEvent(m.id, moved.districtId, {
          action: 'grid_adjusted', fromState: moved.state, toState: moved.state, actorId: actor.userId, actorName: actor.displayName, at, note: null,
          data: { adjustmentId: adj.id, reverted: true, grid: { from: { id: m.to }, to: { id: m.from } } },
        });
      }
    }
    await tx.grids.bumpEpoch();
    await tx.grids.markReverted(adj.id, at, actor.username);
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: 'grid.adjustment_reverted', entityType: 'area', entityId: parent.id,
      areaId: parent.id, diff: { adjustmentId: adj.id, kind: adj.kind }, ip: actor.ip, requestId: actor.requestId,
    });
  });
  deps.locators.invalidate();
}

export async function listAdjustments(deps: AdjustDeps, actor: Actor, parentId: string) {
  const parent = await deps.store.grids.area(parentId);
  if (!parent) throw notFound('area.not_found');
  authorize(actor, 'area.read', parent.path, 'area.not_found');
  return deps.store.grids.adjustments(parent.id, 100);
}

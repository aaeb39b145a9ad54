import { describe, it, expect } from 'vitest';
import { CASE_ACTIONS, CASE_STATES, ROLES, type CaseState, type Role } from '@wangge/contracts';
import { rolePermissions } from '../auth/auth.policy.ts';
import type { Actor } from '../auth/auth.types.ts';
import type { GridRow } from '../grids/grids.types.ts';
import type { CaseRow, CaseViewer, CategoryRow } from './cases.ports.ts';
import { STATES, TRANSITIONS, closingAfter, flowMermaid, targetState, type FlowActor, type Guard, type TransitionDef } from './cases.machine.ts';
import { escalationTargetOf, guardHolds, isBy, type CaseFacts } from './cases.effects.ts';
import { traceEndFor } from './cases.usecases.ts';

// ── Fixtures ──────────────────────────────────────────────────────────────────

const COMMUNITY = '1.2.3.4.5';
const GRID = '1.2.3.4.5.6';

const actorWith = (role: Role, areaPath: string): Actor => ({
  userId: `user-${role}`, username: role, displayName: role, locale: 'zh-CN', mustChangePassword: false, sessionId: null, ip: null, requestId: null,
  grants: [{ id: `grant-${role}`, role, areaId: areaPath.split('.').at(-1)!, areaPath }],
});

const viewerWith = (unitIds: string[]): CaseViewer => ({
  readScope: { paths: [] }, dispatchScope: { paths: [] }, verifyScope: { paths: [] }, unitIds, userId: 'viewer',
});

/** What viewerOf builds for a member of `unitId`: the unit only counts for roles that hold case.handle. */
const memberViewer = (role: Role, unitId = 'u1') => viewerWith(rolePermissions[role].includes('case.handle') ? [unitId] : []);

const caseRow = (over: Partial<CaseRow> = {}): CaseRow => ({
  id: 'case-1', no: 'WG20260213001', districtId: '3', source: 'grid_worker', categoryId: 'cat-1', priority: 'normal', description: '暴露垃圾',
  state: 'reported', closingKind: null, version: 1, gridId: '6', gridPinned: false, areaPath: GRID, ownerAreaId: '5', ownerPath: COMMUNITY, unitId: 'u1', unitHistory: [], route: null,
  lon: null, lat: null, address: null, buildingId: null, reporterName: null, reporterPhoneMasked: null, reporterUserId: null, extra: {},
  dueAt: null, pausedAt: null, remainingMinutes: null, supervision: 'none', supervised: false, superviseNote: null, mergedInto: null,
  rating: null, ratingComment: null, dispatchedBy: null, reportedBy: null, reportedAt: new Date('2026-03-02T02:00:00Z'),
  dispatchedAt: null, handledAt: null, closedAt: null, updatedAt: new Date('2026-03-02T02:00:00Z'), ...over,
});

/** The case a row is tried on: owned by the grid while a grid settles it (就地解决), by the community otherwise. */
const caseFor = (t: TransitionDef): CaseRow =>
  t.by === 'reporter' ? caseRow({ state: t.from[0]!, ownerAreaId: '6', ownerPath: GRID }) : caseRow({ state: t.from[0]! });

const area = (id: string, path: string, level: GridRow['level']): GridRow => ({
  id, parentId: path.split('.').at(-2) ?? '', path, depth: path.split('.').length - 1, level, code: id, nameZh: id, gridType: null, geometry: null,
  version: 1, validFrom: new Date('2026-01-01T00:00:00Z'), districtId: '3', retired: false,
});

const category = (over: Partial<CategoryRow> = {}): CategoryRow => ({
  id: 'cat-1', parentId: null, code: 'SJ0102', level: 3, nameZh: '暴露垃圾', nameEn: null, defaultUnitId: null, limitUnit: 'hours',
  limits: { urgent: 1, high: 2, normal: 4 }, verifyRequired: true, pausePending: false, extraFields: [], open311Code: null, active: true, activeEffective: true, hasChildren: false, ancestorIds: ['cat-1'], ...over,
});

const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  c: caseRow(), category: category(), owner: area('5', COMMUNITY, 'community'), escalationTarget: area('4', '1.2.3.4', 'street'), ...over,
});

const rowLabel = (t: TransitionDef) => `${t.action} ${t.from.join('|')} → ${t.to} (${t.by})`;
const edges = (t: TransitionDef) => (t.to === 'same' ? [] : t.from.map((f) => [f, t.to as CaseState] as const));

// ── The table ─────────────────────────────────────────────────────────────────

describe('the flow table', () => {
  it('names every state of the contracts and nothing else', () => {
    expect(Object.keys(STATES).sort()).toEqual([...CASE_STATES].sort());
  });

  it('reaches every state from reported', () => {
    const seen = new Set<CaseState>(['reported']);
    const queue: CaseState[] = ['reported'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const t of TRANSITIONS) {
        if (!t.from.includes(s)) continue;
        const to = targetState(t, s);
        if (!seen.has(to)) { seen.add(to); queue.push(to); }
      }
    }
    expect([...seen].sort()).toEqual([...CASE_STATES].sort());
  });

  it.each(CASE_STATES.filter((s) => STATES[s].kind === 'open'))('open state %s has a way out to another state', (s) => {
    const out = TRANSITIONS.filter((t) => t.from.includes(s) && targetState(t, s) !== s);
    expect(out.length).toBeGreaterThan(0);
  });

  it('gives every closed state a closing kind; only evaluated keeps the one it had; only closed is solved', () => {
    for (const s of CASE_STATES) {
      const d = STATES[s];
      if (d.kind === 'open') expect(d.closing, s).toBeNull();
      else expect(d.closing, s).not.toBeNull();
      if (d.closing === 'keep') expect(s).toBe('evaluated');
    }
    expect(CASE_STATES.filter((s) => STATES[s].closing === 'solved')).toEqual(['closed']);
    expect(STATES.evaluated.closing).toBe('keep');
  });

  it('leaves closed states only by rate, unshelve and reopen', () => {
    const out = new Set(TRANSITIONS.filter((t) => t.from.some((s) => STATES[s].kind === 'closed')).map((t) => t.action));
    expect([...out].sort()).toEqual(['rate', 'reopen', 'unshelve']);
  });

  it('has a row for every action of the contracts', () => {
    for (const a of CASE_ACTIONS) expect(TRANSITIONS.some((t) => t.action === a), a).toBe(true);
  });

  it.each(TRANSITIONS.map((t) => [rowLabel(t), t] as const))('%s: requires and optional do not overlap', (_l, t) => {
    expect(t.requires.filter((f) => t.optional.includes(f))).toEqual([]);
  });

  it('starts the clock only with a unit: dispatch requires unitId, handle_here takes the level’s own office', () => {
    const starts = TRANSITIONS.filter((t) => t.deadline === 'start');
    expect(starts.map((t) => t.action).sort()).toEqual(['dispatch', 'handle_here']);
    for (const t of starts) expect(t.requires.includes('unitId') || t.action === 'handle_here', t.action).toBe(true);
  });

  it('keeps the closing kind through evaluated and clears it on reopening', () => {
    expect(closingAfter('evaluated', 'solved')).toBe('solved');
    expect(closingAfter('evaluated', 'settled_on_spot')).toBe('settled_on_spot');
    expect(closingAfter('closed', null)).toBe('solved');
    expect(closingAfter('settled', null)).toBe('settled_on_spot');
    expect(closingAfter('merged', null)).toBe('duplicate');
    expect(closingAfter('accepted', 'solved')).toBeNull(); // reopen / unshelve
    expect(closingAfter('accepted', 'shelved')).toBeNull();
  });

  it('draws every (from, to, action) edge in the Mermaid diagram', () => {
    const lines = new Set(flowMermaid().split('\n'));
    let n = 0;
    for (const t of TRANSITIONS) {
      for (const [f, to] of edges(t)) {
        n++;
        expect(lines.has(`  ${f} --> ${to}: ${t.action}${t.guard ? ` [${t.guard}]` : ''}`), `${f} --> ${to}: ${t.action}`).toBe(true);
      }
    }
    expect(n).toBeGreaterThan(40);
    expect(lines.has('  [*] --> reported: report')).toBe(true);
  });
});

// ── Who the `by` column names, role by role ───────────────────────────────────

/**
 * Written out by hand from rolePermissions: a change there must be a deliberate change here.
 * A grant on the community, a case in a grid under it.
 */
const EXPECTED_BY: Record<FlowActor, Role[]> = {
  dispatcher: ['command_center', 'street_center', 'community_staff', 'grid_leader'],
  unit: ['community_staff', 'dept_handler'],
  verifier: ['command_center', 'street_center', 'community_staff', 'grid_leader', 'grid_worker'],
  reporter: ['command_center', 'street_center', 'community_staff', 'grid_leader', 'grid_worker'],
  supervisor: ['leader', 'command_center', 'street_center'],
  rater: ['command_center', 'street_center', 'community_staff', 'grid_leader'],
};

const everyRowAndRole = TRANSITIONS.flatMap((t) => ROLES.map((role) => [rowLabel(t), role, t] as const));

describe('isBy: every transition × every role', () => {
  it('covers all eight roles', () => {
    expect(ROLES).toHaveLength(8);
  });

  it.each(everyRowAndRole)('%s as %s', (_l, role, t) => {
    const got = isBy(t, actorWith(role, COMMUNITY), memberViewer(role), caseFor(t));
    expect(got).toBe(EXPECTED_BY[t.by].includes(role));
  });

  it.each(everyRowAndRole)('%s as %s granted on an unrelated area 1.9: only unit membership can still count', (_l, role, t) => {
    const actor = actorWith(role, '1.9');
    const c = caseFor(t);
    // Without a unit of its own nobody on another branch of the tree is named by any row.
    expect(isBy(t, actor, viewerWith([]), c)).toBe(false);
    // A member of the case's unit is the unit wherever its grant lies (membership, not area, decides);
    // every other row still says no.
    expect(isBy(t, actor, memberViewer(role), c)).toBe(t.by === 'unit' && EXPECTED_BY.unit.includes(role));
  });

  it.each(TRANSITIONS.filter((t) => t.by === 'unit').flatMap((t) => ROLES.map((role) => [rowLabel(t), role, t] as const)))(
    '%s as %s of another unit (u2) is not the unit, even one the case was dispatched to before',
    (_l, role, t) => {
      expect(isBy(t, actorWith(role, COMMUNITY), memberViewer(role, 'u2'), caseFor(t))).toBe(false);
      expect(isBy(t, actorWith(role, COMMUNITY), memberViewer(role, 'u2'), { ...caseFor(t), unitHistory: ['u2', 'u1'] })).toBe(false);
    },
  );

  it('needs case.handle to act as the unit, even for a listed member', () => {
    const receive = TRANSITIONS.find((t) => t.action === 'receive')!;
    const c = caseRow({ state: 'dispatched' });
    for (const role of ['grid_worker', 'grid_leader', 'command_center', 'leader', 'system_admin'] as const) {
      expect(isBy(receive, actorWith(role, COMMUNITY), viewerWith(['u1']), c), role).toBe(false);
    }
    expect(isBy(receive, actorWith('dept_handler', COMMUNITY), viewerWith(['u1']), c)).toBe(true);
    expect(isBy(receive, actorWith('dept_handler', COMMUNITY), viewerWith(['u1']), caseRow({ state: 'dispatched', unitId: null }))).toBe(false);
  });

  it('decides at the owning level: a grid leader on the grid does not dispatch a case its community owns', () => {
    const leader = actorWith('grid_leader', GRID);
    const c = caseRow({ state: 'reported' }); // in the grid, owned by the community
    const by = (b: FlowActor) => isBy(TRANSITIONS.find((t) => t.by === b)!, leader, viewerWith([]), c);
    expect(by('dispatcher')).toBe(false);
    expect(by('verifier')).toBe(true);
    expect(by('reporter')).toBe(true);
    expect(by('rater')).toBe(true); // a dispatcher of the case's grid records the resident's rating
    expect(by('supervisor')).toBe(false);
    // While the grid itself owns the case, it decides there.
    expect(isBy(TRANSITIONS.find((t) => t.action === 'accept')!, leader, viewerWith([]), caseRow({ ownerAreaId: '6', ownerPath: GRID }))).toBe(true);
  });

  it('does not treat a sibling path with a shared prefix as inside the grant', () => {
    const accept = TRANSITIONS.find((t) => t.action === 'accept')!;
    const c = caseRow({ areaPath: '1.2.3.4.55.6', ownerPath: '1.2.3.4.55' });
    expect(isBy(accept, actorWith('community_staff', COMMUNITY), viewerWith([]), c)).toBe(false);
  });
});

// ── Guards ────────────────────────────────────────────────────────────────────

describe('guardHolds', () => {
  const community = area('5', COMMUNITY, 'community');
  const street = area('4', '1.2.3.4', 'street');
  const district = area('3', '1.2.3', 'district');
  const grid = area('6', GRID, 'grid');

  it.each<[Guard | null, Partial<CaseFacts>, Partial<CaseFacts>]>([
    [null, {}, {}],
    ['verify_required', { category: category({ verifyRequired: true }) }, { category: category({ verifyRequired: false }) }],
    ['verify_not_required', { category: category({ verifyRequired: false }) }, { category: category({ verifyRequired: true }) }],
    ['owner_is_local', { owner: community }, { owner: district }],
    ['owner_is_local', { owner: street }, { owner: grid }],
    ['owner_is_community', { owner: community }, { owner: street }],
    ['owner_is_community', { owner: community }, { owner: grid }],
    ['owner_has_parent', { escalationTarget: street }, { escalationTarget: null }],
    ['owner_is_grid', { owner: grid }, { owner: community }],
    ['unsatisfied', { c: caseRow({ rating: 'unsatisfied' }) }, { c: caseRow({ rating: 'basically_satisfied' }) }],
    ['unsatisfied', { c: caseRow({ rating: 'unsatisfied' }) }, { c: caseRow({ rating: null }) }],
  ])('%s: true, then false', (g, yes, no) => {
    expect(guardHolds(g, facts(yes))).toBe(true);
    if (g !== null) expect(guardHolds(g, facts(no))).toBe(false);
  });

  it('covers every guard the table uses', () => {
    const used = new Set(TRANSITIONS.map((t) => t.guard).filter((g) => g !== null));
    expect([...used].sort()).toEqual(['owner_has_parent', 'owner_is_community', 'owner_is_grid', 'owner_is_local', 'unsatisfied', 'verify_not_required', 'verify_required']);
  });
});

// ── Escalation ────────────────────────────────────────────────────────────────

describe('escalationTargetOf', () => {
  const province = area('1', '1', 'province');
  const city = area('2', '1.2', 'city');
  const district = area('3', '1.2.3', 'district');
  const street = area('4', '1.2.3.4', 'street');
  const community = area('5', '1.2.3.4.5', 'community');
  const grid = area('6', '1.2.3.4.5.6', 'grid');
  const subGrid = area('7', '1.2.3.4.5.6.7', 'grid');
  const microGrid = area('8', '1.2.3.4.5.6.7.8', 'grid');
  /** The chain as the repository returns it (the owner included), shuffled: order must not matter. */
  const chainOf = (a: GridRow) => [microGrid, street, province, grid, community, city, subGrid, district].filter((x) => a.path === x.path || a.path.startsWith(x.path + '.'));

  it.each<[string, GridRow, GridRow | null]>([
    ['a grid goes to its community', grid, community],
    ['a nested grid skips the grids above it to the community', subGrid, community],
    ['a micro grid too', microGrid, community],
    ['a community goes to its street', community, street],
    ['a street goes to its district', street, district],
    ['a district goes to its city', district, city],
    ['a city has nowhere to go', city, null],
    ['a province has nowhere to go', province, null],
  ])('%s', (_name, owner, expected) => {
    expect(escalationTargetOf(owner, chainOf(owner))?.id ?? null).toBe(expected?.id ?? null);
  });

  it('returns nothing when the level above is missing from the chain', () => {
    expect(escalationTargetOf(community, [community, grid])).toBeNull();
  });
});

describe('where the trace ends for a unit that left the case', () => {
  const ev = (seq: number, action: string, data: Record<string, unknown> = {}) => ({ seq, action, data });
  const trace = [ev(1, 'report'), ev(2, 'dispatch', { unit: { id: 'u1' } }), ev(3, 'receive'), ev(4, 'return', { unit: { id: 'u1' }, leftUnit: { id: 'u1' } }), ev(5, 'dispatch', { unit: { id: 'u2' } }), ev(6, 'feedback')];
  const now = caseRow({ state: 'handled', unitId: 'u2', unitHistory: ['u1', 'u2'] });

  it('ends at the step where the unit left, for that unit only', () => {
    expect(traceEndFor(viewerWith(['u1']), now, trace)).toBe(4);
    expect(traceEndFor(viewerWith(['u2']), now, trace)).toBeNull(); // the unit holding it now
    expect(traceEndFor({ ...viewerWith([]), readScope: { paths: [COMMUNITY] } }, now, trace)).toBeNull(); // by area
    expect(traceEndFor({ ...viewerWith([]), dispatchScope: { paths: [COMMUNITY] } }, now, trace)).toBeNull(); // its dispatcher
  });

  it('uses the last time it left when it held the case twice, and the whole trace once it holds it again', () => {
    const twice = [...trace, ev(7, 'verify_fail'), ev(8, 'return', { unit: { id: 'u2' }, leftUnit: { id: 'u2' } }), ev(9, 'dispatch', { unit: { id: 'u1' } }), ev(10, 'return', { unit: { id: 'u1' }, leftUnit: { id: 'u1' } }), ev(11, 'dispatch', { unit: { id: 'u3' } })];
    expect(traceEndFor(viewerWith(['u1']), { ...now, unitId: 'u3' }, twice)).toBe(10);
    expect(traceEndFor(viewerWith(['u1']), { ...now, unitId: 'u1' }, twice.slice(0, 9))).toBeNull();
  });

  it('knows a return recorded before steps named who left, and shows everything when nothing says the unit left', () => {
    const legacy = trace.map((e) => (e.action === 'return' ? ev(e.seq, 'return', { unit: { id: 'u1' } }) : e));
    expect(traceEndFor(viewerWith(['u1']), now, legacy)).toBe(4);
    const noLeave = trace.filter((e) => e.action !== 'return');
    expect(traceEndFor(viewerWith(['u1']), now, noLeave)).toBeNull();
  });
});

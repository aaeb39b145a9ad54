/**
 * The auth matrix: every route the server registers is called by every role, on an area inside
 * the role's grant and on one outside it, and must answer as the table below says. A route
 * added without a row here fails the first test, so new routes are covered the day they appear.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@wangge/contracts';
import { DEMO, rows } from '@wangge/db';
import { tokens } from './runtime.ts';
import { OTHER_POINT, startTestApp, type TestApp } from './testing/test-app.ts';

type Scope = 'in' | 'out';
interface Req { method: string; url: string; payload?: unknown; headers?: Record<string, string> }
interface Ctx { t: TestApp; role: Role; scope: Scope; areaCode: string; areaId: string }
interface Row {
  build: (c: Ctx) => Promise<Req> | Req;
  /** Expected status for a role on an area in or out of its scope; 'ok' = any 2xx. */
  expect: (role: Role, scope: Scope) => 'ok' | 403 | 404;
  public?: boolean;
  /** The call changes the caller (logout, password): use a throwaway account with the same grant. */
  throwaway?: boolean;
}

const ALL = [...ROLES];
const ADMIN: Role[] = ['system_admin'];
const USER_READERS: Role[] = ['system_admin', 'leader', 'command_center', 'street_center', 'community_staff', 'grid_leader'];

/** A thing that lives in an area: out of scope it is hidden (404); in scope, allowed roles succeed, others 403. */
const resource = (allowed: Role[]) => (role: Role, scope: Scope) => (scope === 'out' ? 404 : allowed.includes(role) ? 'ok' : 403);
/** A list filtered by area: roles without the permission anywhere get 403; an area outside scope is 404. */
const listing = (allowed: Role[]) => (role: Role, scope: Scope) => (!allowed.includes(role) ? 403 : scope === 'out' ? 404 : 'ok');
const everyone = () => 'ok' as const;
const onlyRoles = (allowed: Role[]) => (role: Role) => (allowed.includes(role) ? 'ok' : 403);

const newPassword = 'Another#Pass9';
const GRID_MANAGERS: Role[] = ['system_admin', 'street_center'];
const STAFF_MANAGERS: Role[] = ['system_admin', 'street_center', 'community_staff'];
const BUILDING_MANAGERS: Role[] = ['system_admin', 'street_center', 'community_staff', 'grid_leader', 'grid_worker'];
const DEMO_GRID = '610702002001001';
const DEMO_COMMUNITY = '610702002001';
/** In scope: the demo grid (inside every demo grant). Out of scope: the other province's grid. */
const gridOf = (c: Ctx) => (c.scope === 'in' ? DEMO_GRID : '990101001001001');
const parentOf = (c: Ctx) => (c.scope === 'in' ? (c.areaCode.length >= 12 ? c.areaCode : DEMO_COMMUNITY) : '990101001001');
async function pointIn(c: Ctx): Promise<{ lon: number; lat: number }> {
  if (c.scope === 'out') return OTHER_POINT;
  const g = await c.t.store.grids.area(await c.t.areaIdByCode(DEMO_GRID));
  const ring = g!.geometry!.coordinates[0]!.slice(0, -1);
  return { lon: ring.reduce((s, p) => s + p[0]!, 0) / ring.length, lat: ring.reduce((s, p) => s + p[1]!, 0) / ring.length };
}
async function staffIn(c: Ctx): Promise<{ gridId: string; staffId: string }> {
  const gridId = await c.t.areaIdByCode(gridOf(c));
  const staffId = await c.t.store.grids.addStaff(gridId, { duty: 'info_officer', name: '测试', phone: '13800000000', userId: null, serviceItems: '', isPublic: true }, c.t.clock.now());
  return { gridId, staffId };
}
async function buildingIn(c: Ctx): Promise<string> {
  const p = await pointIn(c);
  const gridId = await c.t.areaIdByCode(gridOf(c));
  return c.t.store.grids.insertBuilding({ name: '测试楼', code: null, address: null, lon: p.lon, lat: p.lat, floors: 3, gridId, districtId: null }, c.t.clock.now());
}

// ── cases ──
const CASE_READERS: Role[] = ['leader', 'command_center', 'street_center', 'community_staff', 'grid_leader', 'grid_worker'];
const CASE_LISTERS: Role[] = [...CASE_READERS, 'dept_handler'];
const REPORTERS: Role[] = ['command_center', 'street_center', 'community_staff', 'grid_leader', 'grid_worker'];
const SUPERVISORS: Role[] = ['leader', 'command_center', 'street_center'];
const REVEALERS: Role[] = ['command_center', 'street_center', 'community_staff'];
const CONFIGURERS: Role[] = ['system_admin', 'command_center'];
const UPLOADERS: Role[] = ['command_center', 'street_center', 'community_staff', 'grid_leader', 'grid_worker', 'dept_handler'];
/** A case in the demo grid (in) or the other province's grid (out): readers in scope see it, everyone else is told it does not exist. */
const caseVisible = (allowed: Role[]) => (role: Role, scope: Scope) => (scope === 'out' || !CASE_READERS.includes(role) ? 404 : allowed.includes(role) ? 'ok' : 403);

async function leafCategory(c: Ctx): Promise<string> {
  const [cat] = await rows<{ id: string }>(c.t.database.db, sql`SELECT id::text FROM case_categories WHERE code = 'SJ0102'`);
  return cat!.id;
}
/** A reported case owned by its grid, straight into the table (the matrix tests access, not the flow). */
async function caseIn(c: Ctx, opts: { state?: string; code?: string } = {}): Promise<{ id: string; no: string }> {
  const db = c.t.database.db;
  const [grid] = await rows<{ id: string; path: string; district_id: string | null }>(db, sql`SELECT id::text, path::text, district_id::text FROM areas WHERE code = ${gridOf(c)}`);
  const no = 'WGM' + randomBytes(5).toString('hex').toUpperCase();
  const closed = opts.state === 'closed';
  const [k] = await rows<{ id: string }>(db, sql`
    INSERT INTO cases (no, district_id, source, category_id, priority, description, state, state_kind, closing_kind, grid_id, area_path, owner_area_id, owner_path,
                       tracking_hash, reported_at, updated_at)
    VALUES (${no}, ${grid!.district_id}::bigint, 'grid_worker', ${await leafCategory(c)}::uuid, 'normal', '矩阵测试', ${opts.state ?? 'reported'}, ${closed ? 'closed' : 'open'},
            ${closed ? 'solved' : null}, ${grid!.id}::bigint, ${grid!.path}::ltree, ${grid!.id}::bigint, ${grid!.path}::ltree, ${opts.code ? tokens.hash(opts.code) : null}, now(), now())
    RETURNING id::text`);
  return { id: k!.id, no };
}
const WEBHOOK_BODY = { name: 'matrix', url: 'https://hooks.example.test/matrix', events: ['case.created'] };
async function myNotification(c: Ctx): Promise<string> {
  const user = await c.t.store.users.findByUsername(c.t.accountFor(c.role).username);
  await c.t.store.notify.notify([user!.id], { kind: 'case_handled', params: { no: 'WG-MATRIX' }, caseId: null, uniqueRef: null, at: c.t.clock.now() });
  return (await c.t.store.notify.list(user!.id, 1))[0]!.id;
}
const webhookFor = (c: Ctx) => c.t.store.notify.insertWebhook({ name: 'matrix', url: 'https://hooks.example.test/matrix', events: ['case.created'], active: true, secret: 'x'.repeat(64), at: c.t.clock.now() });
async function voiceNoteUpload(): Promise<Req> {
  const le = (n: number) => Buffer.from([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24]);
  const fmt = Buffer.concat([Buffer.from('fmt '), le(16), Buffer.from([1, 0, 1, 0]), le(8000), le(16000), Buffer.from([2, 0, 16, 0])]);
  const data = Buffer.concat([Buffer.from('data'), le(1600), Buffer.alloc(1600)]);
  const wav = Buffer.concat([Buffer.from('RIFF'), le(4 + fmt.length + data.length), Buffer.from('WAVE'), fmt, data]);
  const form = new FormData();
  form.append('file', new Blob([wav], { type: 'audio/wav' }), 'note.wav');
  const res = new Response(form);
  return { method: 'POST', url: '/api/attachments', payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } };
}
/** A photo on a case in the demo grid (in) or the other province's grid (out). */
async function attachmentOnCase(c: Ctx): Promise<string> {
  const kase = await caseIn(c);
  const uploader = randomUUID();
  const id = await c.t.store.attachments.insert({ kind: 'image', mime: 'image/jpeg', size: 3, width: 1, height: 1,
    data: Buffer.from([0xff, 0xd8, 0xff]), thumb: Buffer.from([0xff, 0xd8, 0xff]), uploadedBy: uploader, at: c.t.clock.now() });
  await c.t.store.attachments.link([id], kase.id, 1, null, uploader);
  return id;
}
// ── registry ──
const REG_READERS: Role[] = ['leader', 'command_center', 'street_center', 'community_staff', 'grid_leader', 'grid_worker'];
const REG_KEEPERS: Role[] = ['street_center', 'community_staff', 'grid_leader', 'grid_worker'];
const REG_REVEALERS: Role[] = ['street_center', 'community_staff', 'grid_leader', 'grid_worker'];
/** A person (in the demo grid, or the other province's grid), straight into the table. */
async function personIn(c: Ctx): Promise<string> {
  const gridId = await c.t.areaIdByCode(gridOf(c));
  const [id] = await c.t.store.registry.insert('persons', [{ gridId, districtId: null, values: { name: '矩阵', popType: '1', phone: '13800000000' } }], c.t.clock.now(), null);
  return id!;
}
async function householdIn(c: Ctx): Promise<string> {
  const gridId = await c.t.areaIdByCode(gridOf(c));
  const [id] = await c.t.store.registry.insert('households', [{ gridId, districtId: null, values: { householdNo: `M${randomBytes(5).toString('hex')}` } }], c.t.clock.now(), null);
  return id!;
}
async function tagIn(c: Ctx): Promise<string> {
  const personId = await personIn(c);
  return c.t.store.registry.insertTag({ personId, tag: 'entitled', values: {}, attention: null, nextVisitOn: null, lastVisitOn: null, note: null, startedOn: '2026-01-01' }, null);
}
const IMPORTERS: Role[] = ['street_center', 'community_staff'];
/** A finished (empty) import of households in the demo grid (in) or the other province's grid (out). */
async function importIn(c: Ctx): Promise<string> {
  const areaId = await c.t.areaIdByCode(gridOf(c));
  const at = c.t.clock.now();
  const id = await c.t.store.registryImports.create({ ledger: 'households', fileName: 'matrix.csv', areaId, districtId: null, rowsTotal: 0, actorId: randomUUID(), actorName: 'matrix', at });
  await c.t.store.registryImports.finish(id, 'done', at, { rowsTotal: 0, rowsDone: 0, created: 0, updated: 0, unchanged: 0, failed: 0 }, [], [], null);
  return id;
}
const ENTITLED = { code: 'entitled', kind: 'care', nameZh: '优抚对象', nameEn: 'Entitled groups', visitIntervalDays: 90, fields: [], active: true, sort: 40 };

const categoryBody = () => ({ parentId: null, code: `T${randomBytes(4).toString('hex')}`, nameZh: '测试分类', limitUnit: 'hours', limits: { urgent: 1, high: 2, normal: 4 } });
const ruleBody = async (c: Ctx) => ({ seq: 5, name: '矩阵规则', categoryId: null, areaId: null, unitId: (await c.t.store.cases.units())[0]!.id });

const matrix: Record<string, Row> = {
  'GET /api/health': { public: true, build: () => ({ method: 'GET', url: '/api/health' }), expect: everyone },
  'GET /api/meta': { public: true, build: () => ({ method: 'GET', url: '/api/meta' }), expect: everyone },
  'GET /api/openapi.json': { public: true, build: () => ({ method: 'GET', url: '/api/openapi.json' }), expect: everyone },
  'POST /api/auth/login': {
    public: true,
    build: ({ role }) => ({ method: 'POST', url: '/api/auth/login', payload: { username: role === 'system_admin' ? 'admin' : 'street', password: DEMO.password } }),
    expect: everyone,
  },
  'POST /api/auth/logout': { throwaway: true, build: () => ({ method: 'POST', url: '/api/auth/logout' }), expect: everyone },
  'GET /api/auth/me': { build: () => ({ method: 'GET', url: '/api/auth/me' }), expect: everyone },
  'POST /api/auth/password': {
    throwaway: true,
    build: () => ({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: DEMO.password, newPassword } }),
    expect: everyone,
  },
  'GET /api/areas/roots': { build: () => ({ method: 'GET', url: '/api/areas/roots' }), expect: everyone },
  'GET /api/areas/search': { build: () => ({ method: 'GET', url: '/api/areas/search?q=网格' }), expect: everyone },
  'GET /api/areas/:id': { build: ({ areaId }) => ({ method: 'GET', url: `/api/areas/${areaId}` }), expect: resource(ALL) },
  'GET /api/areas/:id/children': { build: ({ areaId }) => ({ method: 'GET', url: `/api/areas/${areaId}/children` }), expect: resource(ALL) },
  'PATCH /api/areas/:id': {
    build: ({ areaId }) => ({ method: 'PATCH', url: `/api/areas/${areaId}`, payload: { nameEn: 'Renamed' } }),
    expect: resource(ADMIN),
  },
  'GET /api/users': { build: ({ areaId }) => ({ method: 'GET', url: `/api/users?areaId=${areaId}` }), expect: listing(USER_READERS) },
  'POST /api/users': {
    build: ({ areaId }) => ({
      method: 'POST', url: '/api/users',
      payload: { username: `new_${Math.random().toString(36).slice(2, 9)}`, displayName: '新用户', password: 'Initial#Pass1', role: 'grid_worker', areaId },
    }),
    expect: resource(ADMIN),
  },
  'GET /api/users/:id': {
    build: async ({ t, areaCode }) => ({ method: 'GET', url: `/api/users/${(await t.createUser('grid_worker', areaCode)).id}` }),
    expect: resource(USER_READERS),
  },
  'PATCH /api/users/:id': {
    build: async ({ t, areaCode }) => ({ method: 'PATCH', url: `/api/users/${(await t.createUser('grid_worker', areaCode)).id}`, payload: { displayName: '改名' } }),
    expect: resource(ADMIN),
  },
  'POST /api/users/:id/password': {
    build: async ({ t, areaCode }) => ({ method: 'POST', url: `/api/users/${(await t.createUser('grid_worker', areaCode)).id}/password`, payload: { newPassword } }),
    expect: resource(ADMIN),
  },
  'POST /api/users/:id/grants': {
    build: async ({ t, areaCode, areaId }) => ({
      method: 'POST', url: `/api/users/${(await t.createUser('grid_worker', areaCode)).id}/grants`, payload: { role: 'grid_leader', areaId },
    }),
    expect: resource(ADMIN),
  },
  'DELETE /api/users/:id/grants/:grantId': {
    build: async ({ t, areaCode, areaId }) => {
      const u = await t.createUser('grid_worker', areaCode);
      const second = await t.store.users.addGrant(u.id, 'grid_leader', areaId, t.clock.now());
      return { method: 'DELETE', url: `/api/users/${u.id}/grants/${second.id}` };
    },
    expect: resource(ADMIN),
  },
  'GET /api/areas/:id/grid-map': { build: ({ areaId }) => ({ method: 'GET', url: `/api/areas/${areaId}/grid-map` }), expect: resource(ALL) },
  'GET /api/areas/:id/grids.geojson': { build: ({ areaId }) => ({ method: 'GET', url: `/api/areas/${areaId}/grids.geojson` }), expect: resource(ALL) },
  'GET /api/grids/:id/card': { build: async (c) => ({ method: 'GET', url: `/api/grids/${await c.t.areaIdByCode(gridOf(c))}/card` }), expect: resource(ALL) },
  'POST /api/areas/:id/adjustments/preview': {
    build: async (c) => ({ method: 'POST', url: `/api/areas/${await c.t.areaIdByCode(parentOf(c))}/adjustments/preview`, payload: { kind: 'renumber' } }),
    expect: resource(GRID_MANAGERS),
  },
  'POST /api/areas/:id/adjustments': {
    build: async (c) => ({ method: 'POST', url: `/api/areas/${await c.t.areaIdByCode(parentOf(c))}/adjustments`, payload: { kind: 'renumber', reason: 'matrix' } }),
    expect: resource(GRID_MANAGERS),
  },
  'GET /api/areas/:id/adjustments': { build: ({ areaId }) => ({ method: 'GET', url: `/api/areas/${areaId}/adjustments` }), expect: resource(ALL) },
  'POST /api/areas/:id/adjustments/:adjustmentId/revert': {
    build: async (c) => {
      if (c.scope === 'out') return { method: 'POST', url: `/api/areas/${await c.t.areaIdByCode('990101001001')}/adjustments/${randomUUID()}/revert` };
      const parentId = await c.t.areaIdByCode(DEMO_COMMUNITY);
      const admin = await c.t.login('admin');
      const made = await c.t.app.inject({ method: 'POST', url: `/api/areas/${parentId}/adjustments`, headers: admin, payload: { kind: 'renumber' } });
      return { method: 'POST', url: `/api/areas/${parentId}/adjustments/${made.json().id as string}/revert` };
    },
    // The adjustment is on the demo community: roles granted on one grid do not see it at all.
    expect: (role, scope) => (scope === 'in' && (role === 'grid_leader' || role === 'grid_worker') ? 404 : resource(GRID_MANAGERS)(role, scope)),
  },
  'GET /api/locate': { build: () => ({ method: 'GET', url: '/api/locate?lon=107.03&lat=33.07' }), expect: everyone },
  'GET /api/grids/:id/staff': { build: async (c) => ({ method: 'GET', url: `/api/grids/${await c.t.areaIdByCode(gridOf(c))}/staff` }), expect: resource(ALL) },
  'POST /api/grids/:id/staff': {
    build: async (c) => ({ method: 'POST', url: `/api/grids/${await c.t.areaIdByCode(gridOf(c))}/staff`, payload: { duty: 'info_officer', name: '新信息员', phone: '13912345678' } }),
    expect: resource(STAFF_MANAGERS),
  },
  'PUT /api/grids/:id/staff/:staffId': {
    build: async (c) => {
      const { gridId, staffId } = await staffIn(c);
      return { method: 'PUT', url: `/api/grids/${gridId}/staff/${staffId}`, payload: { duty: 'building_head', name: '改名' } };
    },
    expect: resource(STAFF_MANAGERS),
  },
  'DELETE /api/grids/:id/staff/:staffId': {
    build: async (c) => {
      const { gridId, staffId } = await staffIn(c);
      return { method: 'DELETE', url: `/api/grids/${gridId}/staff/${staffId}` };
    },
    expect: resource(STAFF_MANAGERS),
  },
  'GET /api/public/grids/:code/contact': { public: true, build: () => ({ method: 'GET', url: `/api/public/grids/${DEMO_GRID}/contact` }), expect: everyone },
  'GET /api/areas/:id/buildings': { build: ({ areaId }) => ({ method: 'GET', url: `/api/areas/${areaId}/buildings` }), expect: resource(ALL) },
  'POST /api/buildings': {
    build: async (c) => ({ method: 'POST', url: '/api/buildings', payload: { name: '新楼', ...(await pointIn(c)) } }),
    expect: resource(BUILDING_MANAGERS),
  },
  'PUT /api/buildings/:buildingId/grid': {
    build: async (c) => ({ method: 'PUT', url: `/api/buildings/${await buildingIn(c)}/grid`, payload: { gridId: null } }),
    expect: resource(BUILDING_MANAGERS),
  },
  'GET /api/cases/flow': { build: () => ({ method: 'GET', url: '/api/cases/flow' }), expect: everyone },
  'GET /api/cases': { build: ({ areaId }) => ({ method: 'GET', url: `/api/cases?areaId=${areaId}` }), expect: listing(CASE_LISTERS) },
  'GET /api/cases/counts': { build: () => ({ method: 'GET', url: '/api/cases/counts' }), expect: onlyRoles(CASE_LISTERS) },
  'GET /api/cases/export.xlsx': { build: ({ areaId }) => ({ method: 'GET', url: `/api/cases/export.xlsx?areaId=${areaId}` }), expect: listing(CASE_LISTERS) },
  'GET /api/cases/similar': { build: () => ({ method: 'GET', url: '/api/cases/similar?lon=107.03&lat=33.07&description=%E5%9E%83%E5%9C%BE' }), expect: onlyRoles(CASE_READERS) },
  'GET /api/cases/route-preview': {
    build: async (c) => ({ method: 'GET', url: `/api/cases/route-preview?categoryId=${await leafCategory(c)}&gridId=${await c.t.areaIdByCode(gridOf(c))}` }),
    expect: listing(REPORTERS),
  },
  'POST /api/cases': {
    build: async (c) => ({ method: 'POST', url: '/api/cases', payload: { source: 'hotline', categoryId: await leafCategory(c), description: '矩阵测试事件', gridId: await c.t.areaIdByCode(gridOf(c)) } }),
    expect: listing(REPORTERS),
  },
  'GET /api/cases/:id': { build: async (c) => ({ method: 'GET', url: `/api/cases/${(await caseIn(c)).id}` }), expect: caseVisible(CASE_READERS) },
  'POST /api/cases/:id/transitions': {
    build: async (c) => ({ method: 'POST', url: `/api/cases/${(await caseIn(c)).id}/transitions`, payload: { action: 'supervise', version: 1, note: '请尽快处理' } }),
    expect: caseVisible(SUPERVISORS),
  },
  'POST /api/cases/:id/reporter-phone': { build: async (c) => ({ method: 'POST', url: `/api/cases/${(await caseIn(c)).id}/reporter-phone` }), expect: caseVisible(REVEALERS) },
  'GET /api/public/cases/:no': {
    public: true,
    build: async (c) => ({ method: 'GET', url: `/api/public/cases/${(await caseIn({ ...c, scope: 'in' }, { code: 'MATRIX23' })).no}?code=MATRIX23` }),
    expect: everyone,
  },
  'POST /api/public/cases/:no/rating': {
    public: true,
    build: async (c) => ({ method: 'POST', url: `/api/public/cases/${(await caseIn({ ...c, scope: 'in' }, { code: 'MATRIX23', state: 'closed' })).no}/rating`, payload: { code: 'MATRIX23', rating: 'satisfied' } }),
    expect: everyone,
  },
  'GET /api/case-categories': { build: () => ({ method: 'GET', url: '/api/case-categories' }), expect: everyone },
  'POST /api/case-categories': { build: () => ({ method: 'POST', url: '/api/case-categories', payload: categoryBody() }), expect: onlyRoles(CONFIGURERS) },
  'PUT /api/case-categories/:id': {
    build: async (c) => {
      const body = categoryBody();
      const id = await c.t.store.cases.insertCategory({ ...body, level: 1, limitUnit: 'hours', verifyRequired: true, pausePending: true, extraFields: [], active: true } as never, c.t.clock.now());
      return { method: 'PUT', url: `/api/case-categories/${id}`, payload: { ...body, nameZh: '改名' } };
    },
    expect: onlyRoles(CONFIGURERS),
  },
  'POST /api/case-categories/import-open311': {
    build: () => ({ method: 'POST', url: '/api/case-categories/import-open311', payload: [{ service_code: `m${randomBytes(3).toString('hex')}`, service_name: 'Pothole', group: 'Streets' }] }),
    expect: onlyRoles(CONFIGURERS),
  },
  'GET /api/handling-units': { build: () => ({ method: 'GET', url: '/api/handling-units' }), expect: everyone },
  'GET /api/routing-rules': { build: () => ({ method: 'GET', url: '/api/routing-rules' }), expect: everyone },
  'POST /api/routing-rules': { build: async (c) => ({ method: 'POST', url: '/api/routing-rules', payload: await ruleBody(c) }), expect: onlyRoles(CONFIGURERS) },
  'PUT /api/routing-rules/:id': {
    build: async (c) => {
      const body = await ruleBody(c);
      const id = await c.t.store.cases.insertRule({ ...body, seq: 1_000_000, active: false }, c.t.clock.now());
      return { method: 'PUT', url: `/api/routing-rules/${id}`, payload: { ...body, seq: 999_999, active: false } };
    },
    expect: onlyRoles(CONFIGURERS),
  },
  'DELETE /api/routing-rules/:id': {
    build: async (c) => {
      const body = await ruleBody(c);
      return { method: 'DELETE', url: `/api/routing-rules/${await c.t.store.cases.insertRule({ ...body, seq: 1_000_000, active: false }, c.t.clock.now())}` };
    },
    expect: onlyRoles(CONFIGURERS),
  },
  'GET /api/calendar/:year': { build: () => ({ method: 'GET', url: '/api/calendar/2026' }), expect: everyone },
  'PUT /api/calendar/days': { build: () => ({ method: 'PUT', url: '/api/calendar/days', payload: { date: '2027-01-01', workday: false, name: '元旦' } }), expect: onlyRoles(CONFIGURERS) },
  'DELETE /api/calendar/days/:date': {
    build: async (c) => {
      await c.t.store.cases.setCalendarDay({ date: '2031-05-01', workday: false, name: '矩阵' }, 'matrix', c.t.clock.now());
      return { method: 'DELETE', url: '/api/calendar/days/2031-05-01' };
    },
    expect: onlyRoles(CONFIGURERS),
  },
  'POST /api/attachments': { build: () => voiceNoteUpload(), expect: onlyRoles(UPLOADERS) },
  'GET /api/attachments/:id': { build: async (c) => ({ method: 'GET', url: `/api/attachments/${await attachmentOnCase(c)}` }), expect: caseVisible(CASE_READERS) },
  'GET /api/attachments/:id/thumb': { build: async (c) => ({ method: 'GET', url: `/api/attachments/${await attachmentOnCase(c)}/thumb` }), expect: caseVisible(CASE_READERS) },
  'GET /api/notifications': { build: () => ({ method: 'GET', url: '/api/notifications' }), expect: everyone },
  'POST /api/notifications/read-all': { build: () => ({ method: 'POST', url: '/api/notifications/read-all' }), expect: everyone },
  'POST /api/notifications/:id/read': { build: async (c) => ({ method: 'POST', url: `/api/notifications/${await myNotification(c)}/read` }), expect: everyone },
  'GET /api/webhooks': { build: () => ({ method: 'GET', url: '/api/webhooks' }), expect: onlyRoles(CONFIGURERS) },
  'POST /api/webhooks': { build: () => ({ method: 'POST', url: '/api/webhooks', payload: WEBHOOK_BODY }), expect: onlyRoles(CONFIGURERS) },
  'PUT /api/webhooks/:id': { build: async (c) => ({ method: 'PUT', url: `/api/webhooks/${await webhookFor(c)}`, payload: WEBHOOK_BODY }), expect: onlyRoles(CONFIGURERS) },
  'DELETE /api/webhooks/:id': { build: async (c) => ({ method: 'DELETE', url: `/api/webhooks/${await webhookFor(c)}` }), expect: onlyRoles(CONFIGURERS) },
  'GET /api/registry/spec': { build: () => ({ method: 'GET', url: '/api/registry/spec' }), expect: onlyRoles([...REG_READERS, 'system_admin']) },
  'GET /api/registry/search': { build: (c) => ({ method: 'GET', url: `/api/registry/search?q=${encodeURIComponent('矩阵')}&areaId=${c.areaId}` }), expect: listing(REG_READERS) },
  'GET /api/registry/summary': { build: (c) => ({ method: 'GET', url: `/api/registry/summary?areaId=${c.areaId}` }), expect: listing(REG_READERS) },
  'GET /api/registry/completeness': { build: (c) => ({ method: 'GET', url: `/api/registry/completeness?areaId=${c.areaId}` }), expect: listing(REG_READERS) },
  'GET /api/registry/tags': { build: () => ({ method: 'GET', url: '/api/registry/tags' }), expect: everyone },
  'PUT /api/registry/tags/:code': { build: () => ({ method: 'PUT', url: '/api/registry/tags/entitled', payload: ENTITLED }), expect: onlyRoles(ADMIN) },
  'GET /api/registry/person-tags': { build: async (c) => ({ method: 'GET', url: `/api/registry/person-tags?personId=${await personIn(c)}` }), expect: resource(REG_READERS) },
  'POST /api/registry/person-tags': { build: async (c) => ({ method: 'POST', url: '/api/registry/person-tags', payload: { personId: await personIn(c), tag: 'entitled', values: {} } }), expect: resource(REG_KEEPERS) },
  'PATCH /api/registry/person-tags/:tagId': { build: async (c) => ({ method: 'PATCH', url: `/api/registry/person-tags/${await tagIn(c)}`, payload: { note: '矩阵' } }), expect: resource(REG_KEEPERS) },
  'DELETE /api/registry/person-tags/:tagId': { build: async (c) => ({ method: 'DELETE', url: `/api/registry/person-tags/${await tagIn(c)}` }), expect: resource(REG_KEEPERS) },
  'GET /api/registry/visits/due': { build: (c) => ({ method: 'GET', url: `/api/registry/visits/due?areaId=${c.areaId}` }), expect: listing(REG_READERS) },
  'GET /api/registry/:ledger': { build: (c) => ({ method: 'GET', url: `/api/registry/persons?areaId=${c.areaId}` }), expect: listing(REG_READERS) },
  'POST /api/registry/:ledger': {
    build: async (c) => ({ method: 'POST', url: '/api/registry/households', payload: { values: { householdNo: `M${randomBytes(5).toString('hex')}` }, gridId: await c.t.areaIdByCode(gridOf(c)) } }),
    expect: resource(REG_KEEPERS),
  },
  'GET /api/registry/:ledger/:id': { build: async (c) => ({ method: 'GET', url: `/api/registry/households/${await householdIn(c)}` }), expect: resource(REG_READERS) },
  'PATCH /api/registry/:ledger/:id': { build: async (c) => ({ method: 'PATCH', url: `/api/registry/households/${await householdIn(c)}`, payload: { values: { address: '矩阵路' }, version: 1 } }), expect: resource(REG_KEEPERS) },
  'DELETE /api/registry/:ledger/:id': { build: async (c) => ({ method: 'DELETE', url: `/api/registry/households/${await householdIn(c)}?version=1` }), expect: resource(REG_KEEPERS) },
  'GET /api/registry/:ledger/:id/history': { build: async (c) => ({ method: 'GET', url: `/api/registry/households/${await householdIn(c)}/history` }), expect: resource(REG_READERS) },
  'POST /api/registry/:ledger/:id/reveal': { build: async (c) => ({ method: 'POST', url: `/api/registry/persons/${await personIn(c)}/reveal`, payload: { field: 'phone' } }), expect: resource(REG_REVEALERS) },
  'GET /api/registry/:ledger/template.xlsx': { build: () => ({ method: 'GET', url: '/api/registry/persons/template.xlsx' }), expect: onlyRoles(REG_READERS) },
  'POST /api/registry/:ledger/imports': {
    build: async (c) => ({
      method: 'POST', url: `/api/registry/households/imports?areaId=${await c.t.areaIdByCode(gridOf(c))}&fileName=matrix.csv`,
      payload: `户号\nM${randomBytes(5).toString('hex')}\n`, headers: { 'content-type': 'text/csv' },
    }),
    expect: resource(IMPORTERS),
  },
  'GET /api/registry/imports': { build: () => ({ method: 'GET', url: '/api/registry/imports' }), expect: onlyRoles(IMPORTERS) },
  'GET /api/registry/imports/:importId': { build: async (c) => ({ method: 'GET', url: `/api/registry/imports/${await importIn(c)}` }), expect: resource(IMPORTERS) },
  'GET /api/registry/imports/:importId/errors.xlsx': { build: async (c) => ({ method: 'GET', url: `/api/registry/imports/${await importIn(c)}/errors.xlsx` }), expect: resource(IMPORTERS) },
  'POST /api/registry/imports/:importId/rollback': { build: async (c) => ({ method: 'POST', url: `/api/registry/imports/${await importIn(c)}/rollback` }), expect: resource(IMPORTERS) },
  'GET /api/registry/:ledger/export.xlsx': { build: (c) => ({ method: 'GET', url: `/api/registry/households/export.xlsx?areaId=${c.areaId}` }), expect: listing(REG_READERS) },
  'GET /api/registry/summary.xlsx': { build: (c) => ({ method: 'GET', url: `/api/registry/summary.xlsx?areaId=${c.areaId}` }), expect: listing(REG_READERS) },
  'GET /api/audit': { build: () => ({ method: 'GET', url: '/api/audit' }), expect: onlyRoles(ADMIN) },
  'POST /api/audit/verify': { build: () => ({ method: 'POST', url: '/api/audit/verify' }), expect: onlyRoles(ADMIN) },
};

let t: TestApp;
const sessions = new Map<Role, Record<string, string>>();
const OUT_AREA = '990101001001001';

beforeAll(async () => {
  t = await startTestApp();
  for (const role of ROLES) sessions.set(role, await t.login(t.accountFor(role).username));
});
afterAll(async () => t?.close());

describe('auth matrix', () => {
  it('has a row for every registered route, and no row for a route that does not exist', () => {
    const registered = t.app.routesList.map((r) => `${r.method} ${r.url}`).sort();
    expect(registered.filter((r) => !(r in matrix))).toEqual([]);
    expect(Object.keys(matrix).filter((k) => !registered.includes(k))).toEqual([]);
  });

  it('public routes are exactly the ones marked public', () => {
    const publicRoutes = t.app.routesList.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`).sort();
    expect(publicRoutes).toEqual(Object.entries(matrix).filter(([, r]) => r.public).map(([k]) => k).sort());
  });

  it.each(Object.keys(matrix))('%s without a session', async (key) => {
    const row = matrix[key]!;
    const req = await row.build({ t, role: 'system_admin', scope: 'in', areaCode: '61', areaId: await t.areaIdByCode('61') });
    const res = await t.app.inject({ method: req.method as never, url: req.url, payload: req.payload as never, headers: req.headers ?? {} });
    if (row.public) expect(res.statusCode).toBeLessThan(300);
    else {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('auth.required');
    }
  });

  const cases = Object.keys(matrix).flatMap((key) => ROLES.flatMap((role) => (['in', 'out'] as Scope[]).map((scope) => [key, role, scope] as const)));
  it.each(cases)('%s as %s, area %s scope', async (key, role, scope) => {
    const row = matrix[key]!;
    const areaCode = scope === 'in' ? t.accountFor(role).area : OUT_AREA;
    const ctx: Ctx = { t, role, scope, areaCode, areaId: await t.areaIdByCode(areaCode) };
    const req = await row.build(ctx);
    let headers = sessions.get(role)!;
    if (row.throwaway) headers = await t.login((await t.createUser(role, t.accountFor(role).area)).username);
    const res = await t.app.inject({ method: req.method as never, url: req.url, payload: req.payload as never, headers: { ...req.headers, ...headers } });
    const want = row.public ? 'ok' : row.expect(role, scope);
    if (want === 'ok') expect(res.statusCode, res.body).toBeLessThan(300);
    else {
      expect(res.statusCode, res.body).toBe(want);
      expect(res.json().error.code).toMatch(want === 404 ? /not_found$/ : /^(auth\.forbidden|case\.reveal_not_allowed|registry\.reveal_not_allowed)$/);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@wangge/db';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const auditOf = async (entityId: string) =>
  rows<{ action: string; diff: { before?: Record<string, unknown>; after?: Record<string, unknown> } | null; actor_name: string }>(
    t.database.db,
    sql`SELECT action, diff, actor_name FROM audit_log WHERE entity_type = 'user' AND entity_id = ${entityId} ORDER BY id`,
  );

describe('user administration', () => {
  it('creates a user with a grant; the new user must change the initial password; the change is audited', async () => {
    const areaId = await t.areaIdByCode('610702002003');
    const res = await t.app.inject({
      method: 'POST', url: '/api/users', headers: admin,
      payload: { username: 'wang.xiaoming', displayName: '王小明', password: 'Initial#Pass1', role: 'community_staff', areaId },
    });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ username: 'wang.xiaoming', displayName: '王小明', mustChangePassword: true, homeAreaName: '东大街居委会' });
    expect(user.grants).toEqual([expect.objectContaining({ role: 'community_staff', areaCode: '610702002003' })]);
    const trail = await auditOf(user.id);
    expect(trail[0]).toMatchObject({ action: 'user.created', actor_name: 'admin' });
    expect(trail[0]!.diff!.after).toMatchObject({ username: 'wang.xiaoming' });
    expect(JSON.stringify(trail)).not.toContain('Initial#Pass1');

    const dup = await t.app.inject({
      method: 'POST', url: '/api/users', headers: admin,
      payload: { username: 'WANG.XIAOMING', displayName: 'x', password: 'Initial#Pass1', role: 'grid_worker', areaId },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('user.username_taken');
  });

  it('lists users in SQL scope: a street centre sees its street only, filters by role and text', async () => {
    const street = await t.login('street');
    const list = (await t.app.inject({ method: 'GET', url: '/api/users?pageSize=200', headers: street })).json();
    expect(list.items.length).toBe(list.total);
    expect(list.items.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['street', 'community', 'gridworker']));
    expect(list.items.map((u: { username: string }) => u.username)).not.toContain('admin');
    expect(list.items.map((u: { username: string }) => u.username)).not.toContain('leader');
    const workers = (await t.app.inject({ method: 'GET', url: '/api/users?role=grid_worker', headers: street })).json();
    expect(workers.items.every((u: { grants: { role: string }[] }) => u.grants.some((g) => g.role === 'grid_worker'))).toBe(true);
    const byName = (await t.app.inject({ method: 'GET', url: `/api/users?q=${encodeURIComponent('孙丽')}`, headers: street })).json();
    expect(byName.items.map((u: { username: string }) => u.username)).toEqual(['gridworker']);
  });

  it('pages through users', async () => {
    const p1 = (await t.app.inject({ method: 'GET', url: '/api/users?pageSize=3&page=1', headers: admin })).json();
    const p2 = (await t.app.inject({ method: 'GET', url: '/api/users?pageSize=3&page=2', headers: admin })).json();
    expect(p1.items).toHaveLength(3);
    expect(p1.total).toBeGreaterThan(3);
    expect(p2.items[0].username > p1.items[2].username).toBe(true);
  });

  it('disables a user: their sessions end and they cannot sign in; an admin cannot disable themself', async () => {
    const u = await t.createUser('grid_worker', '610702002001002');
    const session = await t.login(u.username);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: admin, payload: { disabled: true } });
    expect(res.json().disabled).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: session })).statusCode).toBe(401);
    const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: admin })).json();
    const self = await t.app.inject({ method: 'PATCH', url: `/api/users/${me.id}`, headers: admin, payload: { disabled: true } });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.code).toBe('user.cannot_disable_self');
    const trail = await auditOf(u.id);
    expect(trail.at(-1)).toMatchObject({ action: 'user.disabled', diff: { before: { disabled: false }, after: { disabled: true } } });
  });

  it('resets a password: it must be changed at next login and a lock is lifted', async () => {
    const u = await t.createUser('grid_worker', '610702002001002');
    await t.store.users.update(u.id, { failedCount: 5, lockedUntil: new Date(t.clock.now().getTime() + 600_000) });
    const res = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/password`, headers: admin, payload: { newPassword: 'Reset#Pass2026' } });
    expect(res.statusCode).toBe(200);
    const session = await t.login(u.username, 'Reset#Pass2026');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: session })).json().mustChangePassword).toBe(true);
  });

  it('grants and removes roles; the last grant cannot be removed; a duplicate grant is refused', async () => {
    const u = await t.createUser('grid_worker', '610702002001002');
    const areaId = await t.areaIdByCode('610702002001');
    const added = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/grants`, headers: admin, payload: { role: 'grid_leader', areaId } });
    expect(added.json().grants).toHaveLength(2);
    const dup = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/grants`, headers: admin, payload: { role: 'grid_leader', areaId } });
    expect(dup.statusCode).toBe(409);
    const leaderGrant = added.json().grants.find((g: { role: string }) => g.role === 'grid_leader');
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/users/${u.id}/grants/${leaderGrant.id}`, headers: admin });
    expect(removed.json().grants).toHaveLength(1);
    const last = await t.app.inject({ method: 'DELETE', url: `/api/users/${u.id}/grants/${removed.json().grants[0].id}`, headers: admin });
    expect(last.statusCode).toBe(400);
    expect(last.json().error.code).toBe('user.last_grant');
  });

  it('a new grant takes effect for the user at once', async () => {
    const u = await t.createUser('grid_worker', '610702002001002');
    const session = await t.login(u.username);
    const other = await t.areaIdByCode('610702002003');
    expect((await t.app.inject({ method: 'GET', url: `/api/areas/${other}`, headers: session })).statusCode).toBe(404);
    await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/grants`, headers: admin, payload: { role: 'grid_worker', areaId: other } });
    expect((await t.app.inject({ method: 'GET', url: `/api/areas/${other}`, headers: session })).statusCode).toBe(200);
  });
});

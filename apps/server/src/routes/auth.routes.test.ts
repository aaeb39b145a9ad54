import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, rows } from '@wangge/db';
import { MINUTE } from '@wangge/core';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const loginReq = (username: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });

async function auditActions(username: string): Promise<string[]> {
  const r = await rows<{ action: string }>(t.database.db, sql`SELECT action FROM audit_log WHERE actor_name = ${username} ORDER BY id`);
  return r.map((x) => x.action);
}

describe('login', () => {
  it('signs in with a demo account, sets an httpOnly SameSite cookie, and /me shows grants and permissions', async () => {
    const res = await loginReq('street', DEMO.password);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'wg_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(res.json().token).toBeUndefined();
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `wg_session=${cookie.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'street', displayName: '陈志强', grants: [{ role: 'street_center', areaCode: '610702002', areaName: '东大街街道' }] });
    expect(me.json().permissions).toContain('user.read');
    expect(me.json().permissions).not.toContain('user.manage');
    expect(me.json().passwordExpired).toBe(true); // the published demo password: the console suggests a change
  });

  it('gives bearer tokens for the API and CLI, and the token works in the Authorization header', async () => {
    const headers = await t.login('leader', DEMO.password, 'bearer');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(me.json().username).toBe('leader');
  });

  it('answers a wrong password and an unknown user the same way, in the request language, and audits both', async () => {
    const wrong = await loginReq('command', 'Wrong#pass1', { 'accept-language': 'en-US,en;q=0.9' });
    const unknown = await loginReq('nobody_here', 'Wrong#pass1');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error).toEqual({ code: 'auth.invalid_credentials', message: 'Wrong username or password' });
    expect(unknown.json().error).toEqual({ code: 'auth.invalid_credentials', message: '用户名或密码错误' });
    expect(await auditActions('command')).toContain('auth.login_failed');
    expect(await auditActions('nobody_here')).toEqual(['auth.login_failed']);
  });

  it('locks the account for 15 minutes after 5 failed logins, even for the right password, then lets it in', async () => {
    const u = await t.createUser('grid_worker', '610702002001001');
    for (let i = 1; i <= 4; i++) expect((await loginReq(u.username, 'Wrong#pass1')).statusCode).toBe(401);
    const fifth = await loginReq(u.username, 'Wrong#pass1');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('auth.account_locked');
    expect(fifth.json().error.message).toContain('15');
    expect((await loginReq(u.username, DEMO.password)).statusCode).toBe(423);
    t.clock.advance(15 * MINUTE + 1000);
    expect((await loginReq(u.username, DEMO.password)).statusCode).toBe(200);
    expect(await auditActions(u.username)).toContain('auth.account_locked');
  });

  it('ends a session after the idle timeout, server-side', async () => {
    const headers = await t.login('community');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(200);
    t.clock.advance(t.config.SESSION_IDLE_MINUTES * MINUTE + 1000);
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.session_expired');
  });

  it('keeps an active session alive past the idle timeout', async () => {
    const headers = await t.login('community');
    for (let i = 0; i < 3; i++) {
      t.clock.advance(20 * MINUTE);
      expect((await t.app.inject({ method: 'GET', url: '/api/areas/roots', headers })).statusCode).toBe(200);
    }
  });

  it('logout invalidates the session on the server: the same cookie no longer works', async () => {
    const headers = await t.login('dept');
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(401);
    expect(await auditActions('dept')).toContain('auth.logout');
  });

  it('refuses a disabled account', async () => {
    const u = await t.createUser('grid_worker', '610702002001001');
    await t.store.users.update(u.id, { disabled: true });
    const res = await loginReq(u.username, DEMO.password);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.account_disabled');
  });
});

describe('passwords', () => {
  it('forces a user with an initial password to change it before anything else', async () => {
    const u = await t.createUser('street_center', '610702002', { mustChangePassword: true });
    const headers = await t.login(u.username);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/areas/roots', headers });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('auth.password_change_required');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).json().mustChangePassword).toBe(true);
    const changed = await t.app.inject({
      method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword: DEMO.password, newPassword: 'Fresh#Start2026' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/areas/roots', headers })).statusCode).toBe(200);
    expect((await loginReq(u.username, 'Fresh#Start2026')).statusCode).toBe(200);
    expect((await loginReq(u.username, DEMO.password)).statusCode).toBe(401);
  });

  it.each([
    ['Ab1#xyz', 'password.too_short'],
    ['abcdefgh1', 'password.too_weak'],
    ['ABCDEFGH', 'password.too_weak'],
  ])('rejects the new password %s with %s and keeps the old one', async (newPassword, code) => {
    const u = await t.createUser('grid_worker', '610702002001001');
    const headers = await t.login(u.username);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword: DEMO.password, newPassword } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect((await loginReq(u.username, DEMO.password)).statusCode).toBe(200);
  });

  it('rejects a wrong current password', async () => {
    const u = await t.createUser('grid_worker', '610702002001001');
    const headers = await t.login(u.username);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword: 'Nope#nope1', newPassword: 'Good#Pass2026' } });
    expect(res.json().error.code).toBe('password.wrong_current');
  });

  it('ends the other sessions of a user who changes their password', async () => {
    const u = await t.createUser('grid_worker', '610702002001001');
    const a = await t.login(u.username);
    const b = await t.login(u.username);
    await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: a, payload: { currentPassword: DEMO.password, newPassword: 'Good#Pass2026' } });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: a })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: b })).statusCode).toBe(401);
  });
});

describe('login rate limit', () => {
  it('answers 429 with a code once a client passes the per-minute limit', async () => {
    const limited = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'x' } });
        codes.push(r.statusCode);
        if (r.statusCode === 429) expect(r.json().error.code).toBe('request.rate_limited');
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes.slice(3)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});

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

const userCount = async () => (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM users`))[0]!.n;

describe('system endpoints', () => {
  it('GET /api/health names the database engine', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toEqual({ status: 'ok', db: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('serves the OpenAPI document generated from the contracts, and the docs page', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/areas/{id}/children', '/api/users', '/api/audit/verify']));
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('username');
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('puts security headers on every response', async () => {
    for (const url of ['/api/health', '/api/auth/me', '/api/nope']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('answers an unknown API route with 404 route.not_found in the request language', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'route.not_found', message: 'No such endpoint' });
  });
});

describe('bad input never writes and never answers 500', () => {
  const validUser = async () => ({
    username: `u_${Math.random().toString(36).slice(2, 8)}`, displayName: '网格员甲', password: 'Initial#Pass1', role: 'grid_worker',
    areaId: await t.areaIdByCode('610702002001'),
  });

  it.each([
    ['malformed JSON', '{"username": "x",', 'request.malformed_json'],
    ['an empty JSON body', '', 'request.malformed_json'],
  ])('%s → 400 %s', async (_name, body, code) => {
    const before = await userCount();
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: { ...admin, 'content-type': 'application/json' }, payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(await userCount()).toBe(before);
  });

  it('unknown fields → 400 request.invalid naming the field', async () => {
    const before = await userCount();
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { ...(await validUser()), isAdmin: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('request.invalid');
    expect(res.json().error.message).toContain('isAdmin');
    expect(await userCount()).toBe(before);
  });

  it('wrong types → 400 request.invalid with details per field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { ...(await validUser()), role: 42, locale: 'fr' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['locale', 'role']);
  });

  it('an oversized body → 400 request.too_large', async () => {
    const before = await userCount();
    const res = await t.app.inject({
      method: 'POST', url: '/api/users', headers: { ...admin, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...(await validUser()), displayName: 'x'.repeat(2_000_000) }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('request.too_large');
    expect(await userCount()).toBe(before);
  });

  it('a bad path parameter → 400, not a database error', async () => {
    for (const url of ['/api/areas/abc', '/api/users/not-a-uuid', '/api/areas/99999999999999999999']) {
      const res = await t.app.inject({ method: 'GET', url, headers: admin });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('request.invalid');
    }
  });

  it('a weak initial password → 400 with nothing written, and the message in English when asked', async () => {
    const before = await userCount();
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: { ...admin, 'accept-language': 'en' }, payload: { ...(await validUser()), password: 'short' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'password.too_short', message: 'The password must have at least 8 characters' });
    expect(await userCount()).toBe(before);
  });
});

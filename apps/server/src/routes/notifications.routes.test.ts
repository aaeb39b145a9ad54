import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@wangge/db';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let dept: Record<string, string>;
let street: Record<string, string>;
let admin: Record<string, string>;
let command: Record<string, string>;
let deptId: string;

beforeAll(async () => {
  t = await startTestApp();
  [dept, street, admin, command] = await Promise.all([t.login('dept'), t.login('street'), t.login('admin'), t.login('command')]);
  deptId = (await t.store.users.findByUsername('dept'))!.id;
});
afterAll(async () => t?.close());

const inject = (method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
  t.app.inject({ method: method as never, url, headers, payload: payload as never });

const CASE_ID = '3f1d2c7e-6a55-4d0b-9b0e-0d6f8d6c1a11';

describe('notification centre', () => {
  beforeAll(async () => {
    await t.store.notify.notify([deptId], { kind: 'case_dispatched', params: { no: 'WG20260302000001', unit: '城管局', due: '3月3日 17:00' }, caseId: CASE_ID, uniqueRef: 'case:1:dispatched', at: t.clock.now() });
    t.clock.advance(60_000);
    await t.store.notify.notify([deptId], { kind: 'case_returned', params: { no: 'WG20260302000002', reason: '不属本单位' }, caseId: null, uniqueRef: 'case:2:returned', at: t.clock.now() });
    // The same reference again notifies nobody.
    expect(await t.store.notify.notify([deptId], { kind: 'case_returned', params: { no: 'WG20260302000002', reason: '不属本单位' }, caseId: null, uniqueRef: 'case:2:returned', at: t.clock.now() })).toEqual([]);
  });

  it('lists my notifications newest first, rendered in Chinese by default, with the unread count', async () => {
    const res = await inject('GET', '/api/notifications', dept);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.unread).toBe(2);
    expect(body.items.map((n: { text: string }) => n.text)).toEqual([
      '事件 WG20260302000002 被退单：不属本单位',
      '事件 WG20260302000001 已派遣给 城管局，请于 3月3日 17:00 前办结',
    ]);
    expect(body.items[1]).toMatchObject({ kind: 'case_dispatched', caseId: CASE_ID, readAt: null, id: expect.stringMatching(/^\d+$/) });
    expect(new Date(body.items[1].createdAt).getTime()).toBeLessThan(new Date(body.items[0].createdAt).getTime());
  });

  it('renders them in English when the request asks for it', async () => {
    const body = (await inject('GET', '/api/notifications', { ...dept, 'accept-language': 'en-US,en;q=0.9' })).json();
    expect(body.items.map((n: { text: string }) => n.text)).toEqual([
      'Case WG20260302000002 was returned: 不属本单位',
      'Case WG20260302000001 was dispatched to 城管局; due 3月3日 17:00',
    ]);
  });

  it("shows nobody else's notifications", async () => {
    expect((await inject('GET', '/api/notifications', street)).json()).toEqual({ items: [], unread: 0 });
  });

  it('marks one read; another user gets 404 for it and changes nothing', async () => {
    const [newest] = (await inject('GET', '/api/notifications', dept)).json().items;
    const other = await inject('POST', `/api/notifications/${newest.id}/read`, street);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('notification.not_found');
    expect((await inject('GET', '/api/notifications', dept)).json().unread).toBe(2);

    const res = await inject('POST', `/api/notifications/${newest.id}/read`, dept);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    const after = (await inject('GET', '/api/notifications', dept)).json();
    expect(after.unread).toBe(1);
    expect(after.items[0].readAt).toBe(t.clock.now().toISOString());
  });

  it('answers 404 for an unknown id and 400 for an id that is not one', async () => {
    expect((await inject('POST', '/api/notifications/999999999/read', dept)).statusCode).toBe(404);
    for (const bad of ['abc', '-1', '1.5', '1234567890123456789']) {
      expect((await inject('POST', `/api/notifications/${bad}/read`, dept)).statusCode).toBe(400);
    }
  });

  it('marks all read and says how many', async () => {
    expect((await inject('POST', '/api/notifications/read-all', dept)).json()).toEqual({ ok: true, count: 1 });
    expect((await inject('GET', '/api/notifications', dept)).json().unread).toBe(0);
    expect((await inject('POST', '/api/notifications/read-all', dept)).json()).toEqual({ ok: true, count: 0 });
  });

  it('needs a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/notifications/read-all' })).statusCode).toBe(401);
  });
});

describe('webhooks', () => {
  const body = { name: '12345 热线', url: 'https://hooks.example.test/wangge?access_token=tok-123', events: ['case.created', 'case.overdue'] };
  let id: string;
  let secret: string;

  it('refuses addresses on this machine, link-local (cloud metadata) and private networks by default (SSRF), writing nothing', async () => {
    const before = (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM webhooks`))[0]!.n;
    for (const url of ['http://127.0.0.1:8080/x', 'http://localhost/x', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.8/x', 'http://[::1]/x', 'http://[::ffff:192.168.1.1]/x']) {
      const res = await inject('POST', '/api/webhooks', { ...admin, 'accept-language': 'zh-CN' }, { ...body, url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'webhook.url_internal', message: expect.stringContaining('内网') });
    }
    expect((await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM webhooks`))[0]!.n).toBe(before);
  });

  it('the administrator creates one and sees its secret this once', async () => {
    const res = await inject('POST', '/api/webhooks', admin, body);
    expect(res.statusCode).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ ...body, active: true, lastDelivery: null, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(view.secret).toMatch(/^[0-9a-f]{64}$/);
    ({ id, secret } = view);
    const [raw] = await rows<{ secret_enc: string }>(t.database.db, sql`SELECT secret_enc FROM webhooks WHERE id = ${id}::uuid`);
    expect(raw!.secret_enc).not.toContain(secret);
  });

  it('never shows the secret again', async () => {
    const res = await inject('GET', '/api/webhooks', admin);
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items).toEqual([expect.objectContaining({ id, name: body.name, url: body.url, events: body.events, active: true })]);
    expect(items[0]).not.toHaveProperty('secret');
    expect(res.body).not.toContain(secret);
    // The command centre configures them too.
    expect((await inject('GET', '/api/webhooks', command)).json().items).toHaveLength(1);
  });

  it('updates one, keeping its secret', async () => {
    const res = await inject('PUT', `/api/webhooks/${id}`, command, { ...body, name: '热线平台', events: ['case.transitioned'], active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, name: '热线平台', events: ['case.transitioned'], active: false });
    expect(res.json()).not.toHaveProperty('secret');
    const [raw] = await rows<{ secret_enc: string }>(t.database.db, sql`SELECT secret_enc FROM webhooks WHERE id = ${id}::uuid`);
    expect(raw!.secret_enc).toMatch(/^(gcm|sm4):/);
  });

  it('refuses a bad URL, a bad event or no events with 400, and changes nothing', async () => {
    for (const bad of [
      { ...body, url: 'not a url' }, { ...body, url: 'ftp://example.test/x' }, { ...body, url: 'javascript:alert(1)' },
      { ...body, events: [] }, { ...body, events: ['case.deleted'] }, { ...body, name: '' }, { ...body, extra: 1 },
    ]) {
      const res = await inject('POST', '/api/webhooks', admin, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await inject('PUT', `/api/webhooks/${id}`, admin, { ...body, url: 'nope' })).statusCode).toBe(400);
    expect((await inject('GET', '/api/webhooks', admin)).json().items).toHaveLength(1);
  });

  it('answers 404 for an unknown id and 400 for one that is not a uuid', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const put = await inject('PUT', `/api/webhooks/${unknown}`, admin, body);
    expect(put.statusCode).toBe(404);
    expect(put.json().error.code).toBe('webhook.not_found');
    expect((await inject('DELETE', `/api/webhooks/${unknown}`, admin)).statusCode).toBe(404);
    expect((await inject('DELETE', '/api/webhooks/123', admin)).statusCode).toBe(400);
    expect((await inject('PUT', '/api/webhooks/not-a-uuid', admin, body)).statusCode).toBe(400);
  });

  it('is forbidden to a street account (403) and needs a session (401)', async () => {
    expect((await inject('GET', '/api/webhooks', street)).statusCode).toBe(403);
    expect((await inject('POST', '/api/webhooks', street, body)).statusCode).toBe(403);
    expect((await inject('PUT', `/api/webhooks/${id}`, street, body)).statusCode).toBe(403);
    expect((await inject('DELETE', `/api/webhooks/${id}`, street)).statusCode).toBe(403);
    expect((await inject('GET', '/api/webhooks', dept)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/webhooks' })).statusCode).toBe(401);
    expect((await inject('GET', '/api/webhooks', admin)).json().items[0]).toMatchObject({ name: '热线平台' });
  });

  it('deletes one', async () => {
    const res = await inject('DELETE', `/api/webhooks/${id}`, admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect((await inject('GET', '/api/webhooks', admin)).json().items).toEqual([]);
    expect((await inject('DELETE', `/api/webhooks/${id}`, admin)).statusCode).toBe(404);
  });

  it('audited every change, by whom, without the secret or the URL token', async () => {
    const audit = await rows<{ action: string; actor_name: string; entity_id: string; diff: unknown }>(t.database.db, sql`
      SELECT action, actor_name, entity_id, diff FROM audit_log WHERE entity_type = 'webhook' ORDER BY id`);
    expect(audit.map((a) => [a.action, a.actor_name, a.entity_id])).toEqual([
      ['webhook.created', 'admin', id], ['webhook.updated', 'command', id], ['webhook.deleted', 'admin', id],
    ]);
    expect(audit[1]!.diff).toEqual({
      before: { name: body.name, url: 'https://hooks.example.test/wangge?…', events: body.events, active: true },
      after: { name: '热线平台', url: 'https://hooks.example.test/wangge?…', events: ['case.transitioned'], active: false },
    });
    const all = JSON.stringify(await rows(t.database.db, sql`SELECT diff FROM audit_log`));
    expect(all).not.toContain(secret);
    expect(all).not.toContain('tok-123');
    // And the administrator finds them in the audit trail.
    const list = (await inject('GET', `/api/audit?entityType=webhook&entityId=${id}`, admin)).json();
    expect(list.items.map((e: { action: string }) => e.action).sort()).toEqual(['webhook.created', 'webhook.deleted', 'webhook.updated']);
  });
});

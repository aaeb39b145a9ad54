import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { NotifyPort } from '@wangge/core';
import { openTestDatabase } from '../testing.ts';
import { rows } from '../connection/open.ts';
import { FieldCrypto } from '../crypto/field-crypto.ts';
import { notifyRepo } from './notify.repo.ts';

const crypto = new FieldCrypto(randomBytes(32));
const at = new Date('2026-03-02T02:00:00.000Z');
const later = new Date('2026-03-02T03:00:00.000Z');

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let repo: NotifyPort;
let alice: string;
let bob: string;

beforeAll(async () => {
  database = await openTestDatabase();
  repo = notifyRepo(database.db, crypto);
  const [area] = await rows<{ id: string }>(database.db, sql`
    INSERT INTO areas (path, depth, level, code, name_zh) VALUES ('1', 0, 'city', 'T-CITY', '测试市') RETURNING id::text`);
  const user = async (username: string) => {
    const [u] = await rows<{ id: string }>(database.db, sql`
      INSERT INTO users (username, display_name, password_hash, home_area_id) VALUES (${username}, ${username}, 'x', ${area!.id}::bigint) RETURNING id::text`);
    return u!.id;
  };
  alice = await user('alice');
  bob = await user('bob');
});
afterAll(async () => {
  await database?.drop();
});
beforeEach(async () => {
  await database.db.execute(sql`DELETE FROM notifications`);
  await database.db.execute(sql`DELETE FROM jobs`);
  await database.db.execute(sql`DELETE FROM outbox`);
  await database.db.execute(sql`DELETE FROM webhooks`);
});

const dispatched = (uniqueRef: string | null, no = 'WG1') =>
  ({ kind: 'case_dispatched', params: { no, unit: '城管局', due: '3月3日' }, caseId: null, uniqueRef, at }) as const;

const jobs = () => rows<{ type: string; payload: Record<string, unknown>; unique_ref: string | null; max_attempts: number }>(
  database.db, sql`SELECT type, payload, unique_ref, max_attempts FROM jobs ORDER BY id`);

describe('notifications', () => {
  it('notifies each user once per reference, and returns only the users actually notified', async () => {
    expect((await repo.notify([alice, bob], dispatched('case:1:dispatched'))).sort()).toEqual([alice, bob].sort());
    expect(await repo.notify([alice, bob, alice], dispatched('case:1:dispatched'))).toEqual([]);
    expect(await repo.notify([alice], dispatched('case:2:dispatched', 'WG2'))).toEqual([alice]);
    expect(await repo.notify([], dispatched('case:3:dispatched'))).toEqual([]);
    expect((await repo.list(alice, 10)).map((n) => n.params.no)).toEqual(['WG2', 'WG1']);
    expect(await repo.list(bob, 10)).toHaveLength(1);
  });

  it('never treats a NULL reference as a duplicate', async () => {
    await repo.notify([alice], dispatched(null));
    expect(await repo.notify([alice], dispatched(null))).toEqual([alice]);
    expect(await repo.unread(alice)).toBe(2);
  });

  it('lists newest first with kind, params, case id and times, up to the limit', async () => {
    const caseId = '3f1d2c7e-6a55-4d0b-9b0e-0d6f8d6c1a11';
    await repo.notify([alice], dispatched('a', 'WG1'));
    await repo.notify([alice], { kind: 'case_returned', params: { no: 'WG2', reason: '不属本单位' }, caseId, uniqueRef: 'b', at: later });
    const [first, second] = await repo.list(alice, 10);
    expect(first).toEqual({ id: expect.stringMatching(/^\d+$/), kind: 'case_returned', params: { no: 'WG2', reason: '不属本单位' }, caseId, createdAt: later, readAt: null });
    expect(second!.kind).toBe('case_dispatched');
    expect(second!.createdAt).toEqual(at);
    expect(await repo.list(alice, 1)).toHaveLength(1);
  });

  it("marks one read for its owner only: another user's id answers false and changes nothing", async () => {
    await repo.notify([alice], dispatched('a'));
    const [n] = await repo.list(alice, 10);
    expect(await repo.markRead(bob, n!.id, later)).toBe(false);
    expect(await repo.unread(alice)).toBe(1);
    expect(await repo.markRead(alice, '999999999', later)).toBe(false);
    expect(await repo.markRead(alice, n!.id, later)).toBe(true);
    expect(await repo.unread(alice)).toBe(0);
    // Reading again is still the user's and keeps the first read time.
    expect(await repo.markRead(alice, n!.id, new Date('2026-03-05T00:00:00Z'))).toBe(true);
    expect((await repo.list(alice, 10))[0]!.readAt).toEqual(later);
  });

  it("marks all of one user's unread read and counts them, leaving other users' alone", async () => {
    await repo.notify([alice, bob], dispatched('a'));
    await repo.notify([alice], dispatched('b'));
    await repo.notify([alice], dispatched('c'));
    await repo.markRead(alice, (await repo.list(alice, 1))[0]!.id, at);
    expect(await repo.markAllRead(alice, later)).toBe(2);
    expect(await repo.unread(alice)).toBe(0);
    expect(await repo.unread(bob)).toBe(1);
    expect(await repo.markAllRead(alice, later)).toBe(0);
  });
});

describe('webhooks and the outbox', () => {
  const hook = (name: string, events: ('case.created' | 'case.transitioned' | 'case.overdue')[], active = true) =>
    repo.insertWebhook({ name, url: `http://127.0.0.1:9/${name}`, events, active, secret: 'a'.repeat(64), at });

  it('stores the secret encrypted and never returns it', async () => {
    const id = await hook('ops', ['case.created']);
    const [r] = await rows<{ secret_enc: string }>(database.db, sql`SELECT secret_enc FROM webhooks WHERE id = ${id}::uuid`);
    expect(r!.secret_enc).not.toContain('a'.repeat(16));
    expect(crypto.decrypt(r!.secret_enc)).toBe('a'.repeat(64));
    const w = await repo.webhook(id);
    expect(w).toEqual({ id, name: 'ops', url: 'http://127.0.0.1:9/ops', events: ['case.created'], active: true, createdAt: at, lastDelivery: null });
    expect(JSON.stringify(await repo.webhooks())).not.toContain('secret');
  });

  it('updates and deletes, answering false for an unknown id', async () => {
    const id = await hook('ops', ['case.created']);
    expect(await repo.updateWebhook(id, { name: 'ops2', url: 'https://example.test/h', events: ['case.overdue'], active: false })).toBe(true);
    expect(await repo.webhook(id)).toMatchObject({ name: 'ops2', url: 'https://example.test/h', events: ['case.overdue'], active: false });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await repo.updateWebhook(unknown, { name: 'x', url: 'https://x.test', events: ['case.created'], active: true })).toBe(false);
    expect(await repo.deleteWebhook(unknown)).toBe(false);
    expect(await repo.deleteWebhook(id)).toBe(true);
    expect(await repo.webhook(id)).toBeNull();
    expect(await repo.webhooks()).toEqual([]);
  });

  it('shows the newest delivery attempt as lastDelivery', async () => {
    const id = await hook('ops', ['case.created']);
    const [o] = await rows<{ id: string }>(database.db, sql`INSERT INTO outbox (event, payload, created_at) VALUES ('case.created', '{}', now()) RETURNING id::text`);
    await database.db.execute(sql`INSERT INTO webhook_deliveries (webhook_id, outbox_id, attempt, status, error, at) VALUES
      (${id}::uuid, ${o!.id}::bigint, 1, 500, 'HTTP 500', ${at.toISOString()}::timestamptz),
      (${id}::uuid, ${o!.id}::bigint, 2, 204, NULL, ${later.toISOString()}::timestamptz)`);
    expect((await repo.webhook(id))!.lastDelivery).toEqual({ at: later, status: 204, error: null });
    expect((await repo.webhooks())[0]!.lastDelivery).toEqual({ at: later, status: 204, error: null });
  });

  it('emit queues one delivery job per active subscribed webhook, none for inactive or unsubscribed ones', async () => {
    const a = await hook('a', ['case.created', 'case.transitioned']);
    const b = await hook('b', ['case.created']);
    await hook('off', ['case.created'], false);
    await hook('other', ['case.overdue']);
    await repo.emit('case.created', { caseId: 'c1', no: 'WG1' }, at);
    const [o] = await rows<{ id: string; event: string; payload: unknown; created_at: string }>(database.db, sql`
      SELECT id::text, event, payload, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at FROM outbox`);
    expect(o).toEqual({ id: expect.any(String), event: 'case.created', payload: { caseId: 'c1', no: 'WG1' }, created_at: at.toISOString() });
    const queued = await jobs();
    expect(queued.map((j) => j.payload).sort((x, y) => String(x.webhookId).localeCompare(String(y.webhookId))))
      .toEqual([{ outboxId: o!.id, webhookId: a }, { outboxId: o!.id, webhookId: b }].sort((x, y) => x.webhookId.localeCompare(y.webhookId)));
    expect(queued.every((j) => j.type === 'webhook.deliver' && j.max_attempts === 8)).toBe(true);
    expect(queued.map((j) => j.unique_ref).sort()).toEqual([`webhook:${o!.id}:${a}`, `webhook:${o!.id}:${b}`].sort());
  });

  it('an event nobody subscribes to is still written to the outbox, with no job', async () => {
    await hook('a', ['case.created']);
    await repo.emit('case.overdue', { caseId: 'c1' }, at);
    expect(await rows(database.db, sql`SELECT id FROM outbox`)).toHaveLength(1);
    expect(await jobs()).toEqual([]);
  });

  it('emitting the same event twice writes two outbox rows and two deliveries', async () => {
    await hook('a', ['case.transitioned']);
    await repo.emit('case.transitioned', { caseId: 'c1', action: 'accept' }, at);
    await repo.emit('case.transitioned', { caseId: 'c1', action: 'accept' }, at);
    expect(await rows(database.db, sql`SELECT id FROM outbox`)).toHaveLength(2);
    expect(new Set((await jobs()).map((j) => j.payload.outboxId)).size).toBe(2);
  });

  it('is part of the caller\'s transaction: a rolled-back change leaves no outbox row and no job', async () => {
    await hook('a', ['case.created']);
    await expect(database.transaction(async (tx) => {
      await notifyRepo(tx, crypto).emit('case.created', { caseId: 'c1' }, at);
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    expect(await rows(database.db, sql`SELECT id FROM outbox`)).toHaveLength(0);
    expect(await jobs()).toEqual([]);
  });
});

describe('queueSms', () => {
  it('queues one job per reference and keeps neither the phone number nor the text in clear', async () => {
    const text = '【网格通】您反映的问题已登记，编号 WG1，查询码 AB23CD45。';
    await repo.queueSms('13800138000', text, 'case:1:overdue', at);
    await repo.queueSms('13800138000', text, 'case:1:overdue', at);
    const queued = await jobs();
    expect(queued).toHaveLength(1);
    expect(queued[0]!.type).toBe('sms.send');
    expect(queued[0]!.unique_ref).toBe('sms:case:1:overdue');
    const stored = JSON.stringify(queued[0]!.payload);
    expect(stored).not.toContain('13800138000');
    expect(stored).not.toContain('38001380');
    expect(stored).not.toContain('AB23CD45');
    expect(stored).not.toContain('网格通');
    expect(stored).not.toContain('WG1');
    expect(Object.keys(queued[0]!.payload).sort()).toEqual(['phoneEnc', 'textEnc']);
    expect(crypto.decrypt(queued[0]!.payload.phoneEnc as string)).toBe('13800138000');
    expect(crypto.decrypt(queued[0]!.payload.textEnc as string)).toBe(text);
  });

  it('without a reference every call queues a message', async () => {
    await repo.queueSms('13800138000', 'a', null, at);
    await repo.queueSms('13800138000', 'a', null, at);
    expect((await jobs()).map((j) => j.unique_ref)).toEqual([null, null]);
  });

  it('refuses to queue when field encryption is not configured', async () => {
    await expect(notifyRepo(database.db).queueSms('13800138000', 'a', null, at)).rejects.toThrow(/encryption/);
    expect(await jobs()).toEqual([]);
  });
});

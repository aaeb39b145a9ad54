import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { FakeClock, type SmsSender, type WebhookTargets } from '@wangge/core';
import { openTestDatabase } from '../testing.ts';
import { rows } from '../connection/open.ts';
import { FieldCrypto } from '../crypto/field-crypto.ts';
import { backoffMs, enqueue, JobRunner } from '../jobs/job-queue.ts';
import { notifyRepo } from '../repos/notify.repo.ts';
import { notifyJobHandlers, sign, verifySignature } from './webhook-delivery.ts';

const crypto = new FieldCrypto(randomBytes(32));
const SECRET = randomBytes(32).toString('hex');

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let clock: FakeClock;

/** A receiver on 127.0.0.1 that answers with the scripted statuses in turn (then 200), or never when `hang`, or a byte every 50 ms for ever when `trickle`. */
interface Receiver { url: string; requests: { headers: IncomingHttpHeaders; body: string }[]; statuses: number[]; hang: boolean; trickle: boolean; close(): Promise<void> }
async function receiver(): Promise<Receiver> {
  const r: Omit<Receiver, 'url' | 'close'> = { requests: [], statuses: [], hang: false, trickle: false };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (r.hang) return;
      if (r.trickle) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('.'), 50);
        res.on('close', () => clearInterval(t));
        return;
      }
      res.writeHead(r.statuses.shift() ?? 200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return Object.assign(r, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  });
}

const sent: { phone: string; text: string }[] = [];
const sms: SmsSender = { send: async (phone, text) => { sent.push({ phone, text }); } };
// The receivers here listen on loopback: only `any` lets a delivery reach them.
const runner = (timeoutMs?: number, targets: WebhookTargets = 'any') => new JobRunner({
  database, clock, handlers: notifyJobHandlers({ crypto, sms, targets, now: () => clock.now(), ...(timeoutMs ? { timeoutMs } : {}) }),
});

const deliveries = () => rows<{ attempt: number; status: number | null; error: string | null; at: string }>(database.db, sql`
  SELECT attempt, status, error, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM webhook_deliveries ORDER BY id`);
const jobs = () => rows<{ type: string; status: string; attempts: number; last_error: string | null }>(database.db, sql`
  SELECT type, status, attempts, last_error FROM jobs ORDER BY id`);

let rx: Receiver;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});
beforeEach(async () => {
  clock = new FakeClock('2026-03-02T02:00:00.000Z');
  sent.length = 0;
  await database.db.execute(sql`DELETE FROM jobs`);
  await database.db.execute(sql`DELETE FROM outbox`);
  await database.db.execute(sql`DELETE FROM webhooks`);
  rx = await receiver();
});
afterEach(async () => {
  await rx.close();
});

const addHook = (url: string, events: ('case.created' | 'case.transitioned' | 'case.overdue')[] = ['case.created']) =>
  notifyRepo(database.db, crypto).insertWebhook({ name: 'ops', url, events, active: true, secret: SECRET, at: clock.now() });
const emit = (payload: Record<string, unknown> = { caseId: 'c1', no: 'WG20260302000001' }) =>
  notifyRepo(database.db, crypto).emit('case.created', payload, clock.now());

describe('webhook.deliver', () => {
  it('POSTs the event as JSON with a signature the secret verifies', async () => {
    await addHook(rx.url);
    await emit();
    expect(await runner().runOnce()).toBe(1);
    expect(rx.requests).toHaveLength(1);
    const { headers, body } = rx.requests[0]!;
    const [o] = await rows<{ id: string }>(database.db, sql`SELECT id::text FROM outbox`);
    expect(JSON.parse(body)).toEqual({ id: o!.id, event: 'case.created', createdAt: '2026-03-02T02:00:00.000Z', data: { caseId: 'c1', no: 'WG20260302000001' } });
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe('Wangge-Webhook/1');
    expect(headers['x-wangge-event']).toBe('case.created');
    expect(headers['x-wangge-delivery']).toBe(o!.id);
    expect(headers['x-wangge-timestamp']).toBe(String(Date.parse('2026-03-02T02:00:00.000Z') / 1000));
    const signature = headers['x-wangge-signature'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, headers['x-wangge-timestamp'] as string, body, signature)).toBe(true);
    expect(verifySignature(randomBytes(32).toString('hex'), headers['x-wangge-timestamp'] as string, body, signature)).toBe(false);
    expect(body).not.toContain(SECRET);
    expect(await deliveries()).toEqual([{ attempt: 1, status: 200, error: null, at: '2026-03-02T02:00:00.000Z' }]);
    expect((await jobs()).map((j) => j.status)).toEqual(['done']);
  });

  it('retries a 500 after the backoff and delivers exactly once more, keeping a row for each attempt', async () => {
    await addHook(rx.url);
    await emit();
    rx.statuses.push(500);
    const r = runner();
    expect(await r.runOnce()).toBe(1);
    expect(rx.requests).toHaveLength(1);
    // The failed attempt's row survived the job's rollback; the job waits for its retry.
    expect(await deliveries()).toEqual([{ attempt: 1, status: 500, error: 'HTTP 500', at: '2026-03-02T02:00:00.000Z' }]);
    expect(await jobs()).toEqual([{ type: 'webhook.deliver', status: 'pending', attempts: 1, last_error: 'webhook ops: HTTP 500' }]);

    // Not before the backoff has passed.
    clock.advance(backoffMs(1) - 1000);
    expect(await r.runOnce()).toBe(0);
    expect(rx.requests).toHaveLength(1);

    clock.advance(1000);
    expect(await r.runOnce()).toBe(1);
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[1]!.body).toBe(rx.requests[0]!.body);
    expect(rx.requests[1]!.headers['x-wangge-delivery']).toBe(rx.requests[0]!.headers['x-wangge-delivery']);
    expect(await deliveries()).toEqual([
      { attempt: 1, status: 500, error: 'HTTP 500', at: '2026-03-02T02:00:00.000Z' },
      { attempt: 2, status: 200, error: null, at: '2026-03-02T02:00:30.000Z' },
    ]);
    expect((await jobs()).map((j) => j.status)).toEqual(['done']);

    clock.advance(3_600_000);
    expect(await r.runOnce()).toBe(0);
    expect(rx.requests).toHaveLength(2);
  });

  it('does not connect to loopback unless WEBHOOK_TARGETS allows it: an IP literal, or a name that resolves there', async () => {
    for (const url of [rx.url, rx.url.replace('127.0.0.1', 'localhost')]) {
      await database.db.execute(sql`DELETE FROM webhooks`);
      await database.db.execute(sql`DELETE FROM jobs`);
      await database.db.execute(sql`DELETE FROM webhook_deliveries`);
      await addHook(url);
      await emit();
      for (const targets of ['public', 'private'] as const) {
        await runner(undefined, targets).runOnce();
        clock.advance(3_600_000); // past the retry's backoff
      }
      expect(rx.requests).toHaveLength(0);
      const ds = await deliveries();
      expect(ds).toHaveLength(2);
      for (const d of ds) expect(d).toMatchObject({ status: null, error: expect.stringMatching(/not allowed for webhooks/) });
    }
    await runner(undefined, 'any').runOnce();
    expect(rx.requests).toHaveLength(1);
  });

  it('records a refused connection (no status) and retries it', async () => {
    const closed = await receiver();
    await closed.close();
    await addHook(closed.url);
    await emit();
    await runner().runOnce();
    const [d] = await deliveries();
    expect(d).toMatchObject({ attempt: 1, status: null });
    expect(d!.error).toMatch(/ECONNREFUSED|fetch failed/);
    expect((await jobs())[0]).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('gives up on a receiver that does not answer within the time limit', async () => {
    rx.hang = true;
    await addHook(rx.url);
    await emit();
    await runner(200).runOnce();
    expect(rx.requests).toHaveLength(1);
    expect(await deliveries()).toEqual([{ attempt: 1, status: null, error: 'timed out', at: '2026-03-02T02:00:00.000Z' }]);
    expect((await jobs())[0]).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('gives up on a receiver that keeps trickling its answer past the time limit (the limit is for the whole attempt)', async () => {
    rx.trickle = true;
    await addHook(rx.url);
    await emit();
    const t0 = Date.now();
    await runner(300).runOnce();
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await deliveries()).toMatchObject([{ attempt: 1, status: null, error: 'timed out' }]);
  });

  it('a redirect is not followed: it counts as a failed attempt', async () => {
    rx.statuses.push(302);
    await addHook(rx.url);
    await emit();
    await runner().runOnce();
    expect(rx.requests).toHaveLength(1);
    expect(await deliveries()).toMatchObject([{ attempt: 1, status: 302, error: 'HTTP 302' }]);
  });

  it('sends nothing for a webhook deactivated (or deleted) after the event was queued, and finishes the job', async () => {
    const repo = notifyRepo(database.db, crypto);
    const off = await addHook(rx.url);
    const gone = await addHook(rx.url);
    await emit();
    await repo.updateWebhook(off, { name: 'ops', url: rx.url, events: ['case.created'], active: false });
    await repo.deleteWebhook(gone);
    expect(await runner().runOnce()).toBe(2);
    expect(rx.requests).toHaveLength(0);
    expect(await deliveries()).toEqual([]);
    expect((await jobs()).map((j) => j.status)).toEqual(['done', 'done']);
  });

  it('sends nothing once the webhook no longer subscribes to the event', async () => {
    const id = await addHook(rx.url);
    await emit();
    await notifyRepo(database.db, crypto).updateWebhook(id, { name: 'ops', url: rx.url, events: ['case.overdue'], active: true });
    await runner().runOnce();
    expect(rx.requests).toHaveLength(0);
  });
});

describe('sms.send', () => {
  it('decrypts the number and the text and hands them to the sender once', async () => {
    const repo = notifyRepo(database.db, crypto);
    const text = '【网格通】您反映的问题已登记，编号 WG1，查询码 AB23CD45。';
    await repo.queueSms('13800138000', text, 'case:1:overdue', clock.now());
    await repo.queueSms('13800138000', text, 'case:1:overdue', clock.now());
    const [stored] = await rows<{ payload: Record<string, unknown> }>(database.db, sql`SELECT payload FROM jobs`);
    expect(JSON.stringify(stored!.payload)).not.toContain('13800138000');
    expect(JSON.stringify(stored!.payload)).not.toContain('AB23CD45');
    expect(JSON.stringify(stored!.payload)).not.toContain('网格通');
    expect(await runner().runOnce()).toBe(1);
    expect(sent).toEqual([{ phone: '13800138000', text }]);
    expect((await jobs()).map((j) => j.status)).toEqual(['done']);
  });

  it('still sends a job queued before the text was encrypted (a plain `text` field)', async () => {
    await enqueue(database.db, { type: 'sms.send', payload: { phoneEnc: crypto.encrypt('13800138000'), text: '事件 WG1 已超时' }, runAt: clock.now() });
    expect(await runner().runOnce()).toBe(1);
    expect(sent).toEqual([{ phone: '13800138000', text: '事件 WG1 已超时' }]);
    expect((await jobs()).map((j) => j.status)).toEqual(['done']);
  });

  it('a sender that fails leaves the job to be retried', async () => {
    await notifyRepo(database.db, crypto).queueSms('13800138000', 'x', null, clock.now());
    const failing = new JobRunner({ database, clock, handlers: notifyJobHandlers({ crypto, targets: 'any', sms: { send: () => Promise.reject(new Error('gateway down')) } }) });
    await failing.runOnce();
    expect(await jobs()).toEqual([{ type: 'sms.send', status: 'pending', attempts: 1, last_error: 'gateway down' }]);
  });
});

describe('verifySignature', () => {
  const ts = 1772416800;
  const body = '{"id":"1","event":"case.created"}';
  const header = `sha256=${sign(SECRET, ts, body)}`;

  it('accepts the signature of the body and timestamp, as a string or a Buffer, in either hex case', () => {
    expect(verifySignature(SECRET, ts, body, header)).toBe(true);
    expect(verifySignature(SECRET, String(ts), Buffer.from(body), header)).toBe(true);
    expect(verifySignature(SECRET, ts, body, header.toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
  });

  it('refuses another body, timestamp or secret, and malformed headers', () => {
    expect(verifySignature(SECRET, ts, body + ' ', header)).toBe(false);
    expect(verifySignature(SECRET, ts + 1, body, header)).toBe(false);
    expect(verifySignature(SECRET.replace(/.$/, (c) => (c === '0' ? '1' : '0')), ts, body, header)).toBe(false);
    for (const bad of [undefined, null, '', 'sha256=', header.slice(7), `sha1=${header.slice(7)}`, header.slice(0, -2), `${header}00`, 'sha256=' + 'z'.repeat(64)]) {
      expect(verifySignature(SECRET, ts, body, bad)).toBe(false);
    }
    expect(verifySignature(SECRET, 'abc', body, header)).toBe(false);
  });

  it('with maxAgeSeconds refuses stale and future timestamps', () => {
    const at = (s: number) => new Date((ts + s) * 1000);
    expect(verifySignature(SECRET, ts, body, header, { maxAgeSeconds: 300, now: at(299) })).toBe(true);
    expect(verifySignature(SECRET, ts, body, header, { maxAgeSeconds: 300, now: at(301) })).toBe(false);
    expect(verifySignature(SECRET, ts, body, header, { maxAgeSeconds: 300, now: at(-301) })).toBe(false);
  });
});

import { createHmac, timingSafeEqual } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { sql } from 'drizzle-orm';
import { targetAllowed, urlTargetAllowed, type SmsSender, type WebhookTargets } from '@wangge/core';
import { rows } from '../connection/open.ts';
import type { FieldCrypto } from '../crypto/field-crypto.ts';
import { JobFailure, type ClaimedJob, type JobHandler } from '../jobs/job-queue.ts';
import { isoZ } from '../repos/sql-helpers.ts';

/**
 * Delivery of the outbox: signed webhook POSTs and queued text messages, as job handlers.
 *
 * Every webhook attempt leaves a `webhook_deliveries` row. A failed attempt throws so that the
 * JobRunner rolls the job back and retries it with backoff — and its row must survive that
 * rollback, so it is written after the rollback (JobFailure.afterRollback).
 */
export interface NotifyJobOptions {
  crypto: FieldCrypto;
  sms: SmsSender;
  /** Where webhooks may be sent (config WEBHOOK_TARGETS): every address a name resolves to is checked, and the request connects to the checked one. */
  targets: WebhookTargets;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** The time stamped on the request and the delivery row; default the system time. */
  now?: () => Date;
}

export const SIGNATURE_HEADER = 'x-wangge-signature';

/** HMAC-SHA256 over `<timestamp>.<body>` with the webhook's secret (the hex string as given at creation), as hex. */
export function sign(secret: string, timestamp: string | number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * For receivers (copy it): true when `header` (X-Wangge-Signature, `sha256=<hex>`) signs the raw
 * request body with the secret and the X-Wangge-Timestamp value. Compares in constant time.
 * Pass `maxAgeSeconds` (and `now`) to also refuse old or future timestamps (replays).
 */
export function verifySignature(
  secret: string, timestamp: string | number, body: string | Buffer, header: string | null | undefined,
  opts: { maxAgeSeconds?: number; now?: Date } = {},
): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec((header ?? '').trim());
  const ts = String(timestamp);
  if (!m || !/^\d{1,12}$/.test(ts)) return false;
  if (opts.maxAgeSeconds !== undefined) {
    const nowS = Math.floor((opts.now ?? new Date()).getTime() / 1000);
    if (Math.abs(nowS - Number(ts)) > opts.maxAgeSeconds) return false;
  }
  const given = Buffer.from(m[1]!.toLowerCase(), 'hex');
  const want = Buffer.from(sign(secret, ts, body), 'hex');
  return given.length === want.length && timingSafeEqual(given, want);
}

const errorText = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return 'timed out';
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return (detail ? `${e.message} (${detail})` : e.message).slice(0, 500);
};

interface DeliverPayload { outboxId: string; webhookId: string }

const notAllowed = (targets: WebhookTargets, address: string) =>
  Object.assign(new Error(`address not allowed for webhooks (WEBHOOK_TARGETS=${targets}): ${address}`), { code: 'EADDRNOTALLOWED' });

/**
 * A DNS lookup that fails unless every address of the name is allowed, so a name cannot be pointed
 * at an internal address (nor one of several, nor between a check and the connection: the socket
 * connects to the address this returns).
 */
export function guardedLookup(targets: WebhookTargets): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !targetAllowed(a.address, targets));
      if (refused || addresses.length === 0) return callback(notAllowed(targets, refused?.address ?? 'none'), '', 0);
      if (options.all) return callback(null, addresses as never);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * One POST within `timeoutMs` in all (connecting, sending, the whole answer: a receiver that trickles
 * bytes is cut off too); the answer's status, its body discarded. Redirects are not followed: a
 * redirect is an answer to fix at the receiver.
 */
function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, lookup: LookupFunction): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = (u.protocol === 'https:' ? https : http).request(u, {
      method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup,
    }, (res) => {
      res.resume();
      res.on('end', () => done(() => resolve(res.statusCode ?? 0)));
      res.on('error', (e) => done(() => reject(e)));
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), timeoutMs);
    const done = (settle: () => void) => {
      clearTimeout(timer);
      settle();
    };
    req.on('error', (e) => done(() => reject(e)));
    req.end(body);
  });
}

export function notifyJobHandlers(opts: NotifyJobOptions): Record<string, JobHandler> {
  const lookup = guardedLookup(opts.targets);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = opts.now ?? (() => new Date());

  const deliver: JobHandler = async (job: ClaimedJob, ctx) => {
    const { outboxId, webhookId } = job.payload as unknown as DeliverPayload;
    const [o] = await rows<{ id: string; event: string; payload: unknown; created_at: string }>(ctx.db, sql`
      SELECT id::text, event, payload, ${isoZ(sql`created_at`)} AS created_at FROM outbox WHERE id = ${outboxId}::bigint`);
    const [w] = await rows<{ id: string; name: string; url: string; secret_enc: string; events: string[]; active: boolean }>(ctx.db, sql`
      SELECT id::text, name, url, secret_enc, events, active FROM webhooks WHERE id = ${webhookId}::uuid`);
    // Deleted, switched off or no longer subscribed since the event was queued: nothing to send.
    if (!o || !w || !w.active || !w.events.includes(o.event)) return;

    const body = JSON.stringify({ id: o.id, event: o.event, createdAt: o.created_at, data: o.payload });
    const at = now();
    const timestamp = Math.floor(at.getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Node does not look up an IP literal: it is checked here, as when the webhook was saved; names are checked by the lookup.
      if (!urlTargetAllowed(w.url, opts.targets)) throw notAllowed(opts.targets, new URL(w.url).hostname);
      status = await post(w.url, body, {
        'content-type': 'application/json',
        'user-agent': 'Wangge-Webhook/1',
        'x-wangge-event': o.event,
        'x-wangge-delivery': o.id,
        'x-wangge-timestamp': String(timestamp),
        [SIGNATURE_HEADER]: `sha256=${sign(opts.crypto.decrypt(w.secret_enc), timestamp, body)}`,
      }, timeoutMs, lookup);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = errorText(e);
    }
    const row = sql`INSERT INTO webhook_deliveries (webhook_id, outbox_id, attempt, status, error, at)
      VALUES (${w.id}::uuid, ${o.id}::bigint, ${job.attempts}, ${status}, ${error}, ${at.toISOString()}::timestamptz)`;
    if (error === null) {
      await ctx.db.execute(row); // commits with the job's 'done'
      return;
    }
    throw new JobFailure(`webhook ${w.name}: ${error}`, async (db) => {
      await db.execute(row);
    });
  };

  const sendSms: JobHandler = async (job) => {
    // `textEnc` since the text was encrypted; a job queued before that still carries a plain `text`.
    const { phoneEnc, textEnc, text } = job.payload as { phoneEnc: string; textEnc?: string; text?: string };
    const message = textEnc !== undefined ? opts.crypto.decrypt(textEnc) : text;
    if (message === undefined) throw new Error('sms.send job has no text');
    await opts.sms.send(opts.crypto.decrypt(phoneEnc), message);
  };

  return { 'webhook.deliver': deliver, 'sms.send': sendSms };
}

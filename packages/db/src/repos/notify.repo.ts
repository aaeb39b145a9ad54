import { sql, type SQL } from 'drizzle-orm';
import type { NotificationRow, NotifyPort, WebhookEvent, WebhookRow } from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import type { FieldCrypto } from '../crypto/field-crypto.ts';
import { enqueue, enqueueSql, type NewJob } from '../jobs/job-queue.ts';
import { isoZ } from './sql-helpers.ts';

interface NotificationDbRow { id: string; kind: NotificationRow['kind']; params: NotificationRow['params']; case_id: string | null; created_at: string; read_at: string | null }
interface WebhookDbRow {
  id: string; name: string; url: string; events: WebhookEvent[]; active: boolean; created_at: string;
  d_at: string | null; d_status: number | null; d_error: string | null;
}

const toNotification = (r: NotificationDbRow): NotificationRow => ({
  id: r.id, kind: r.kind, params: r.params ?? {}, caseId: r.case_id, createdAt: new Date(r.created_at), readAt: r.read_at ? new Date(r.read_at) : null,
});

const toWebhook = (r: WebhookDbRow): WebhookRow => ({
  id: r.id, name: r.name, url: r.url, events: r.events, active: r.active, createdAt: new Date(r.created_at),
  lastDelivery: r.d_at ? { at: new Date(r.d_at), status: r.d_status, error: r.d_error } : null,
});

/** Each webhook with its newest delivery attempt. The secret is never selected here: only the delivery job reads it. */
const webhookSelect = sql`
  SELECT w.id::text, w.name, w.url, w.events, w.active, ${isoZ(sql`w.created_at`)} AS created_at,
         ${isoZ(sql`d.at`)} AS d_at, d.status AS d_status, d.error AS d_error
  FROM webhooks w
  LEFT JOIN LATERAL (SELECT at, status, error FROM webhook_deliveries wd WHERE wd.webhook_id = w.id ORDER BY wd.id DESC LIMIT 1) d ON true`;

/** How many times a webhook delivery is tried (30 s, 1 min, 2 min … about an hour in all) before the job is marked failed. */
const WEBHOOK_MAX_ATTEMPTS = 8;

/**
 * The two CTEs of an emit, named `${name}_outbox` and `${name}_jobs`: the outbox row, and one delivery
 * job per active webhook subscribed to the event. For `emit` and for statements that write more.
 */
export function emitCtes(name: string, event: WebhookEvent, payload: Record<string, unknown>, at: Date): SQL[] {
  const outbox = sql.raw(`${name}_outbox`);
  return [
    sql`${outbox} AS (INSERT INTO outbox (event, payload, created_at) VALUES (${event}, ${JSON.stringify(payload)}::jsonb, ${at.toISOString()}::timestamptz) RETURNING id)`,
    sql`${sql.raw(`${name}_jobs`)} AS (
      INSERT INTO jobs (type, payload, run_at, unique_ref, max_attempts)
      SELECT 'webhook.deliver', jsonb_build_object('outboxId', o.id::text, 'webhookId', w.id::text), ${at.toISOString()}::timestamptz,
             'webhook:' || o.id::text || ':' || w.id::text, ${WEBHOOK_MAX_ATTEMPTS}::int
      FROM ${outbox} o CROSS JOIN webhooks w WHERE w.active AND w.events @> ${JSON.stringify([event])}::jsonb ORDER BY w.created_at, w.id
      ON CONFLICT (unique_ref) DO NOTHING)`,
  ];
}

/** The job that sends a text message: number and text both encrypted (the text may hold the resident's tracking code). */
export function smsJob(crypto: FieldCrypto, phone: string, text: string, uniqueRef: string | null, at: Date): NewJob {
  return {
    type: 'sms.send', payload: { phoneEnc: crypto.encrypt(phone), textEnc: crypto.encrypt(text) }, runAt: at,
    ...(uniqueRef !== null ? { uniqueRef: `sms:${uniqueRef}` } : {}),
  };
}

/** An SMS job's INSERT, for statements that write more than one thing. */
export const smsJobSql = (crypto: FieldCrypto, phone: string, text: string, uniqueRef: string | null, at: Date): SQL =>
  enqueueSql(smsJob(crypto, phone, text, uniqueRef, at));

export function notifyRepo(db: Db, crypto?: FieldCrypto): NotifyPort {
  const needCrypto = (): FieldCrypto => {
    if (!crypto) throw new Error('field encryption is not configured');
    return crypto;
  };

  return {
    async notify(userIds, n) {
      const unique = [...new Set(userIds)];
      if (unique.length === 0) return [];
      const params = JSON.stringify(n.params);
      const at = n.at.toISOString();
      // A NULL unique_ref never conflicts (NULLs are distinct in a unique index): such notifications always go in.
      const r = await rows<{ user_id: string }>(db, sql`
        INSERT INTO notifications (user_id, kind, params, case_id, unique_ref, created_at)
        VALUES ${sql.join(unique.map((u) => sql`(${u}::uuid, ${n.kind}, ${params}::jsonb, ${n.caseId}::uuid, ${n.uniqueRef}, ${at}::timestamptz)`), sql`, `)}
        ON CONFLICT (user_id, unique_ref) DO NOTHING RETURNING user_id::text`);
      return r.map((x) => x.user_id);
    },
    async list(userId, limit) {
      const r = await rows<NotificationDbRow>(db, sql`
        SELECT id::text, kind, params, case_id::text, ${isoZ(sql`created_at`)} AS created_at, ${isoZ(sql`read_at`)} AS read_at
        FROM notifications WHERE user_id = ${userId}::uuid ORDER BY id DESC LIMIT ${limit}`);
      return r.map(toNotification);
    },
    async unread(userId) {
      const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM notifications WHERE user_id = ${userId}::uuid AND read_at IS NULL`);
      return r?.n ?? 0;
    },
    async markRead(userId, id, at) {
      // Reading it again keeps the first read time; it is still the user's, so the answer is true.
      const r = await rows<{ id: string }>(db, sql`
        UPDATE notifications SET read_at = COALESCE(read_at, ${at.toISOString()}::timestamptz)
        WHERE id = ${id}::bigint AND user_id = ${userId}::uuid RETURNING id::text`);
      return r.length > 0;
    },
    async markAllRead(userId, at) {
      const [r] = await rows<{ n: number }>(db, sql`
        WITH u AS (UPDATE notifications SET read_at = ${at.toISOString()}::timestamptz
                   WHERE user_id = ${userId}::uuid AND read_at IS NULL RETURNING 1)
        SELECT count(*)::int AS n FROM u`);
      return r?.n ?? 0;
    },
    async emit(event, payload, at) {
      // One statement: the outbox row and its delivery jobs.
      await db.execute(sql`WITH ${sql.join(emitCtes('e', event, payload, at), sql`, `)} SELECT 1`);
    },
    async queueSms(phone, text, uniqueRef, at) {
      await enqueue(db, smsJob(needCrypto(), phone, text, uniqueRef, at));
    },
    async webhooks() {
      return (await rows<WebhookDbRow>(db, sql`${webhookSelect} ORDER BY w.created_at, w.name, w.id`)).map(toWebhook);
    },
    async webhook(id) {
      const [r] = await rows<WebhookDbRow>(db, sql`${webhookSelect} WHERE w.id = ${id}::uuid`);
      return r ? toWebhook(r) : null;
    },
    async insertWebhook(w) {
      const [r] = await rows<{ id: string }>(db, sql`
        INSERT INTO webhooks (name, url, secret_enc, events, active, created_at)
        VALUES (${w.name}, ${w.url}, ${needCrypto().encrypt(w.secret)}, ${JSON.stringify(w.events)}::jsonb, ${w.active}, ${w.at.toISOString()}::timestamptz)
        RETURNING id::text`);
      return r!.id;
    },
    async updateWebhook(id, w) {
      const r = await rows<{ id: string }>(db, sql`
        UPDATE webhooks SET name = ${w.name}, url = ${w.url}, events = ${JSON.stringify(w.events)}::jsonb, active = ${w.active}
        WHERE id = ${id}::uuid RETURNING id::text`);
      return r.length > 0;
    },
    async deleteWebhook(id) {
      // Its deliveries go with it (ON DELETE CASCADE); queued delivery jobs find it gone and finish quietly.
      const r = await rows<{ id: string }>(db, sql`DELETE FROM webhooks WHERE id = ${id}::uuid RETURNING id::text`);
      return r.length > 0;
    },
  };
}

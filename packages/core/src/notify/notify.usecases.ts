import { randomBytes } from 'node:crypto';
import { format, notificationTexts, type Locale, type NotificationKind } from '@wangge/contracts';
import type { Actor } from '../auth/auth.types.ts';
import { requireSomewhere } from '../auth/auth.policy.ts';
import { invalid, notFound } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { Store } from '../ports.ts';
import type { NotificationRow, WebhookEvent, WebhookRow } from './notify.ports.ts';
import { urlTargetAllowed, type WebhookTargets } from './webhook-target.rules.ts';

/**
 * The notification centre (each signed-in user's own notifications) and the webhook settings
 * (anyone holding 'case.configure' somewhere). Notifications themselves are written by the
 * use-cases that cause them, through `NotifyPort.notify`, in the transaction of the change.
 */
export interface NotifyDeps {
  store: Store;
  clock: Clock;
  /** Where webhooks may point (SSRF); delivery checks every resolved address again. */
  webhookTargets: WebhookTargets;
}

export interface NotificationItem {
  id: string;
  kind: NotificationKind;
  text: string;
  caseId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface WebhookItem {
  id: string;
  name: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  createdAt: string;
  /** Only in the answer to createWebhook: the one time the plain secret is shown. */
  secret?: string;
  lastDelivery: { at: string; status: number | null; error: string | null } | null;
}

export interface WebhookInput {
  name: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
}

/** A notification's text in one language: the kind's template with its params filled in. */
export function renderNotification(kind: NotificationKind, params: Record<string, string | number>, locale: Locale): string {
  return format(notificationTexts[kind][locale], params);
}

const notificationView = (n: NotificationRow, locale: Locale): NotificationItem => ({
  id: n.id, kind: n.kind, text: renderNotification(n.kind, n.params, locale), caseId: n.caseId,
  createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null,
});

const webhookView = (w: WebhookRow): WebhookItem => ({
  id: w.id, name: w.name, url: w.url, events: w.events, active: w.active, createdAt: w.createdAt.toISOString(),
  lastDelivery: w.lastDelivery ? { at: w.lastDelivery.at.toISOString(), status: w.lastDelivery.status, error: w.lastDelivery.error } : null,
});

/** Notification ids are bigint digits; anything else cannot be one of the user's. */
const NOTIFICATION_ID = /^\d{1,18}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listMine(deps: NotifyDeps, actor: Actor, limit = 50): Promise<{ items: NotificationItem[]; unread: number }> {
  const [items, unread] = await Promise.all([deps.store.notify.list(actor.userId, limit), deps.store.notify.unread(actor.userId)]);
  return { items: items.map((n) => notificationView(n, actor.locale)), unread };
}

/** Marks one of the actor's notifications read; someone else's answers not found (we do not confirm it exists). */
export async function markRead(deps: NotifyDeps, actor: Actor, id: string): Promise<void> {
  if (!NOTIFICATION_ID.test(id) || !(await deps.store.notify.markRead(actor.userId, id, deps.clock.now()))) {
    throw notFound('notification.not_found');
  }
}

export async function markAllRead(deps: NotifyDeps, actor: Actor): Promise<number> {
  return deps.store.notify.markAllRead(actor.userId, deps.clock.now());
}

// ── Webhooks ──────────────────────────────────────────────────────────────────

/**
 * What the audit row says about a webhook. The secret never appears; the URL loses its user
 * info and query string, which often carry a receiver's access token (钉钉/企业微信 robots).
 */
function auditShape(w: WebhookInput) {
  let url = w.url;
  try {
    const u = new URL(w.url);
    url = `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    url = '(invalid url)';
  }
  return { name: w.name, url, events: w.events, active: w.active };
}

export async function listWebhooks(deps: NotifyDeps, actor: Actor): Promise<WebhookItem[]> {
  requireSomewhere(actor, 'case.configure');
  return (await deps.store.notify.webhooks()).map(webhookView);
}

/** Creates a webhook with a fresh signing secret, stored encrypted; the answer is the only time the secret is shown. */
function checkTarget(deps: NotifyDeps, url: string) {
  if (!urlTargetAllowed(url, deps.webhookTargets)) throw invalid('webhook.url_internal');
}

export async function createWebhook(deps: NotifyDeps, actor: Actor, input: WebhookInput): Promise<WebhookItem> {
  requireSomewhere(actor, 'case.configure');
  checkTarget(deps, input.url);
  const at = deps.clock.now();
  const secret = randomBytes(32).toString('hex');
  const row = await deps.store.transaction(async (tx) => {
    const id = await tx.notify.insertWebhook({ ...input, secret, at });
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: 'webhook.created', entityType: 'webhook', entityId: id, areaId: null,
      diff: { after: auditShape(input) }, ip: actor.ip, requestId: actor.requestId,
    });
    return (await tx.notify.webhook(id))!;
  });
  return { ...webhookView(row), secret };
}

export async function updateWebhook(deps: NotifyDeps, actor: Actor, id: string, input: WebhookInput): Promise<WebhookItem> {
  requireSomewhere(actor, 'case.configure');
  checkTarget(deps, input.url);
  const at = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const before = UUID.test(id) ? await tx.notify.webhook(id) : null;
    if (!before || !(await tx.notify.updateWebhook(id, input))) throw notFound('webhook.not_found');
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: 'webhook.updated', entityType: 'webhook', entityId: id, areaId: null,
      diff: { before: auditShape(before), after: auditShape(input) }, ip: actor.ip, requestId: actor.requestId,
    });
    return webhookView((await tx.notify.webhook(id))!);
  });
}

export async function deleteWebhook(deps: NotifyDeps, actor: Actor, id: string): Promise<void> {
  requireSomewhere(actor, 'case.configure');
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const before = UUID.test(id) ? await tx.notify.webhook(id) : null;
    if (!before || !(await tx.notify.deleteWebhook(id))) throw notFound('webhook.not_found');
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: 'webhook.deleted', entityType: 'webhook', entityId: id, areaId: null,
      diff: { before: auditShape(before) }, ip: actor.ip, requestId: actor.requestId,
    });
  });
}

import type { NotificationKind, WEBHOOK_EVENTS } from '@wangge/contracts';

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  params: Record<string, string | number>;
  caseId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface WebhookRow {
  id: string;
  name: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  createdAt: Date;
  lastDelivery: { at: Date; status: number | null; error: string | null } | null;
}

/**
 * The notification centre and the outbox (implemented in @wangge/db). Everything here runs in
 * the caller's transaction: a notification or an outgoing event commits with the change it reports.
 */
export interface NotifyPort {
  /** One row per user; a (user, uniqueRef) pair that exists already is skipped (a sweep that runs twice notifies once). Returns the users actually notified. */
  notify(userIds: string[], n: { kind: NotificationKind; params: Record<string, string | number>; caseId: string | null; uniqueRef: string | null; at: Date }): Promise<string[]>;
  list(userId: string, limit: number): Promise<NotificationRow[]>;
  unread(userId: string): Promise<number>;
  /** false when the notification is not the user's. */
  markRead(userId: string, id: string, at: Date): Promise<boolean>;
  markAllRead(userId: string, at: Date): Promise<number>;
  /** Writes an outbox row and queues one delivery job per active webhook subscribed to the event. */
  emit(event: WebhookEvent, payload: Record<string, unknown>, at: Date): Promise<void>;
  /** Queues an SMS (the phone is stored encrypted in the job); `uniqueRef` makes it idempotent. */
  queueSms(phone: string, text: string, uniqueRef: string | null, at: Date): Promise<void>;
  webhooks(): Promise<WebhookRow[]>;
  webhook(id: string): Promise<WebhookRow | null>;
  insertWebhook(w: { name: string; url: string; events: WebhookEvent[]; active: boolean; secret: string; at: Date }): Promise<string>;
  updateWebhook(id: string, w: { name: string; url: string; events: WebhookEvent[]; active: boolean }): Promise<boolean>;
  deleteWebhook(id: string): Promise<boolean>;
}

/** Sends a text message. Production plugs in an operator's gateway; development logs it (phone masked). */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

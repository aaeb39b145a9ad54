import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotificationList, OkResponse, WebhookBody, WebhookView, type Locale } from '@wangge/contracts';
import { notifyCases, type Actor, type NotifyDeps } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';
import { localeOf } from '../http/errors.ts';

/** Notification ids are bigint identities; webhook ids are uuids. Anything else answers 400 before a query runs. */
const NotificationParams = z.strictObject({ id: z.string().regex(/^\d{1,18}$/) });
const WebhookParams = z.strictObject({ id: z.string().uuid() });
const ReadAllResponse = z.object({ ok: z.literal(true), count: z.number().int() });

/** The language asked for by this request (Accept-Language or ?lang=), else the user's own setting. */
function readerLocale(request: FastifyRequest, actor: Actor): Locale {
  const asked = request.headers['accept-language'] || typeof (request.query as Record<string, unknown> | undefined)?.lang === 'string';
  return asked ? localeOf(request) : actor.locale;
}

export const notificationRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const d: NotifyDeps = deps.notify;

  app.get('/api/notifications', {
    schema: { tags: ['notifications'], summary: 'My notifications, newest first, in my language, with the unread count', response: { 200: NotificationList } },
  }, async (request) => {
    const actor = actorOf(request);
    return notifyCases.listMine(d, { ...actor, locale: readerLocale(request, actor) });
  });

  app.post('/api/notifications/read-all', {
    schema: { tags: ['notifications'], summary: 'Mark all my notifications read', response: { 200: ReadAllResponse } },
  }, async (request) => ({ ok: true as const, count: await notifyCases.markAllRead(d, actorOf(request)) }));

  app.post('/api/notifications/:id/read', {
    schema: { tags: ['notifications'], summary: 'Mark one of my notifications read', params: NotificationParams, response: { 200: OkResponse } },
  }, async (request) => {
    await notifyCases.markRead(d, actorOf(request), request.params.id);
    return { ok: true as const };
  });

  app.get('/api/webhooks', {
    schema: { tags: ['webhooks'], summary: 'Webhooks with their last delivery (secrets are never shown again)', response: { 200: z.object({ items: z.array(WebhookView) }) } },
  }, async (request) => ({ items: await notifyCases.listWebhooks(d, actorOf(request)) }));

  app.post('/api/webhooks', {
    schema: { tags: ['webhooks'], summary: 'Add a webhook; the answer carries its signing secret, shown this once', body: WebhookBody, response: { 201: WebhookView } },
  }, async (request, reply) => reply.code(201).send(await notifyCases.createWebhook(d, actorOf(request), request.body)));

  app.put('/api/webhooks/:id', {
    schema: { tags: ['webhooks'], summary: 'Change a webhook (name, URL, events, on/off); the secret stays', params: WebhookParams, body: WebhookBody, response: { 200: WebhookView } },
  }, async (request) => notifyCases.updateWebhook(d, actorOf(request), request.params.id, request.body));

  app.delete('/api/webhooks/:id', {
    schema: { tags: ['webhooks'], summary: 'Remove a webhook and its delivery history', params: WebhookParams, response: { 200: OkResponse } },
  }, async (request) => {
    await notifyCases.deleteWebhook(d, actorOf(request), request.params.id);
    return { ok: true as const };
  });
};

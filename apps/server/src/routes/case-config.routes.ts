import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CalendarDay, CalendarDayBody, CalendarYear, CategoryBody, CategoryView, OkResponse, Open311ServiceList, RoutingRuleBody, RoutingRuleView, UnitView,
} from '@wangge/contracts';
import { caseConfig } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';

const IdParams = z.strictObject({ id: z.string().uuid() });

export const caseConfigRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const d = deps.cases;

  app.get('/api/case-categories', {
    schema: { tags: ['case config'], summary: 'The category tree (大类/小类/细类) with units, limits and extra fields', response: { 200: z.object({ items: z.array(CategoryView) }) } },
  }, async (request) => ({ items: await caseConfig.listCategories(d, actorOf(request)) }));

  app.post('/api/case-categories', {
    schema: { tags: ['case config'], summary: 'Add a category', body: CategoryBody, response: { 201: CategoryView } },
  }, async (request, reply) => reply.code(201).send(await caseConfig.createCategory(d, actorOf(request), request.body)));

  app.put('/api/case-categories/:id', {
    schema: { tags: ['case config'], summary: 'Change a category', params: IdParams, body: CategoryBody, response: { 200: CategoryView } },
  }, async (request) => caseConfig.updateCategory(d, actorOf(request), request.params.id, request.body));

  app.post('/api/case-categories/import-open311', {
    schema: { tags: ['case config'], summary: 'Import an Open311 GeoReport v2 service list (services.json) as categories', body: Open311ServiceList, response: { 200: z.object({ created: z.number().int(), updated: z.number().int() }) } },
  }, async (request) => caseConfig.importOpen311(d, actorOf(request), request.body));

  app.get('/api/handling-units', {
    schema: { tags: ['case config'], summary: 'Handling units (departments and local offices)', response: { 200: z.object({ items: z.array(UnitView) }) } },
  }, async (request) => ({ items: await caseConfig.listUnits(d, actorOf(request)) }));

  app.get('/api/routing-rules', {
    schema: { tags: ['case config'], summary: 'Routing rules in the order they are tried', response: { 200: z.object({ items: z.array(RoutingRuleView) }) } },
  }, async (request) => ({ items: await caseConfig.listRules(d, actorOf(request)) }));

  app.post('/api/routing-rules', {
    schema: { tags: ['case config'], summary: 'Add a routing rule', body: RoutingRuleBody, response: { 201: RoutingRuleView } },
  }, async (request, reply) => reply.code(201).send(await caseConfig.saveRule(d, actorOf(request), null, request.body)));

  app.put('/api/routing-rules/:id', {
    schema: { tags: ['case config'], summary: 'Change a routing rule', params: IdParams, body: RoutingRuleBody, response: { 200: RoutingRuleView } },
  }, async (request) => caseConfig.saveRule(d, actorOf(request), request.params.id, request.body));

  app.delete('/api/routing-rules/:id', {
    schema: { tags: ['case config'], summary: 'Delete a routing rule', params: IdParams, response: { 200: OkResponse } },
  }, async (request) => {
    await caseConfig.deleteRule(d, actorOf(request), request.params.id);
    return { ok: true as const };
  });

  app.get('/api/calendar/:year', {
    schema: { tags: ['case config'], summary: 'The working calendar of a year: holidays and 调休 working days', params: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) }), response: { 200: CalendarYear } },
  }, async (request) => caseConfig.calendarYear(d, actorOf(request), request.params.year, deps.config.WORKING_HOURS));

  app.put('/api/calendar/days', {
    schema: { tags: ['case config'], summary: 'Set a day as working day or holiday (e.g. next year’s published schedule)', body: CalendarDayBody, response: { 200: CalendarDay } },
  }, async (request) => caseConfig.setCalendarDay(d, actorOf(request), request.body, actorOf(request).locale));

  app.delete('/api/calendar/days/:date', {
    schema: { tags: ['case config'], summary: 'Remove a day’s entry: it follows Monday–Friday again', params: z.strictObject({ date: CalendarDayBody.shape.date }), response: { 200: OkResponse } },
  }, async (request) => {
    await caseConfig.deleteCalendarDay(d, actorOf(request), request.params.date);
    return { ok: true as const };
  });
};

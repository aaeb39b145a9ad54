import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CaseCounts, CaseDetail, CaseIdParams, CaseIntake, CaseList, CaseListQuery, FlowView, PublicCaseParams, PublicCaseQuery, PublicCaseView, PublicRateBody,
  RouteExplain, SimilarCase, SimilarQuery, TransitionBody,
} from '@wangge/contracts';
import { cases } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';
import { localeOf } from '../http/errors.ts';
import { exportCases } from './cases.export.ts';

export const caseRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const d = deps.cases;

  app.get('/api/cases/flow', {
    schema: { tags: ['cases'], summary: 'The case flow: every state with its kind and every transition (who, required fields, deadline effect, guard)', response: { 200: FlowView } },
  }, async (request) => {
    actorOf(request);
    return cases.flow();
  });

  app.get('/api/cases', {
    schema: { tags: ['cases'], summary: 'Cases in a work queue, filtered, scoped to the actor', querystring: CaseListQuery, response: { 200: CaseList } },
  }, async (request) => cases.list(d, actorOf(request), request.query));

  app.get('/api/cases/counts', {
    schema: { tags: ['cases'], summary: 'How many cases each work queue holds for the actor', response: { 200: CaseCounts } },
  }, async (request) => cases.counts(d, actorOf(request)));

  app.get('/api/cases/export.xlsx', {
    schema: { tags: ['cases'], summary: 'Export a work queue with its filters as .xlsx (phones masked)', querystring: CaseListQuery },
  }, async (request, reply) => exportCases(deps, actorOf(request), request.query, reply, localeOf(request)));

  app.get('/api/cases/similar', {
    schema: { tags: ['cases'], summary: 'Possible duplicates: open cases near the place, recent, same category, similar words', querystring: SimilarQuery, response: { 200: z.object({ items: z.array(SimilarCase) }) } },
  }, async (request) => cases.similar(d, actorOf(request), request.query));

  app.get('/api/cases/route-preview', {
    schema: { tags: ['cases'], summary: 'Which unit a case of this category in this grid would be routed to, and why', querystring: z.strictObject({ categoryId: z.string().uuid(), gridId: z.string().regex(/^\d{1,18}$/) }), response: { 200: RouteExplain } },
  }, async (request) => cases.routePreview(d, actorOf(request), request.query.categoryId, request.query.gridId));

  app.post('/api/cases', {
    schema: { tags: ['cases'], summary: 'Create a case (any channel): located to its grid, routed, traced, audited', body: CaseIntake, response: { 201: CaseDetail } },
  }, async (request, reply) => reply.code(201).send(await cases.intake(d, actorOf(request), request.body)));

  app.get('/api/cases/:id', {
    schema: { tags: ['cases'], summary: 'A case with its trace, files and the transitions the actor may fire now', params: CaseIdParams, response: { 200: CaseDetail } },
  }, async (request) => cases.detail(d, actorOf(request), request.params.id));

  app.post('/api/cases/:id/transitions', {
    schema: { tags: ['cases'], summary: 'Fire a transition of the flow (optimistic: send the version you saw)', params: CaseIdParams, body: TransitionBody, response: { 200: CaseDetail } },
  }, async (request) => cases.transition(d, actorOf(request), request.params.id, request.body));

  app.post('/api/cases/:id/reporter-phone', {
    schema: { tags: ['cases'], summary: 'The reporter’s full phone number (audited)', params: CaseIdParams, response: { 200: z.object({ phone: z.string().nullable() }) } },
  }, async (request) => cases.revealPhone(d, actorOf(request), request.params.id));

  app.get('/api/public/cases/:no', {
    config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags: ['public'], summary: 'A resident follows a case by its number and tracking code (no personal data)', params: PublicCaseParams, querystring: PublicCaseQuery, response: { 200: PublicCaseView } },
  }, async (request) => cases.publicView(d, request.params.no, request.query.code, localeOf(request)));

  app.post('/api/public/cases/:no/rating', {
    config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { tags: ['public'], summary: 'A resident rates a closed case (满意/基本满意/不满意)', params: PublicCaseParams, body: PublicRateBody, response: { 200: PublicCaseView } },
  }, async (request) => cases.publicRate(d, request.params.no, request.body, localeOf(request)));
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AreaDetail, AreaIdParams, AreaList, AreaSearchQuery, AreaUpdateBody } from '@wangge/contracts';
import { areas } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';

export const areaRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const d = { store: deps.store, clock: deps.clock };

  app.get('/api/areas/roots', {
    schema: { tags: ['areas'], summary: 'Top areas of my grants, with counts', response: { 200: AreaList } },
  }, async (request) => ({ items: await areas.areaRoots(d, actorOf(request)) }));

  app.get('/api/areas/search', {
    schema: { tags: ['areas'], summary: 'Find areas by name or code within my scope', querystring: AreaSearchQuery, response: { 200: AreaList } },
  }, async (request) => ({ items: await areas.searchAreas(d, actorOf(request), request.query.q, request.query.limit) }));

  app.get('/api/areas/:id', {
    schema: { tags: ['areas'], summary: 'One area with ancestors and counts', params: AreaIdParams, response: { 200: AreaDetail } },
  }, async (request) => areas.areaDetail(d, actorOf(request), request.params.id));

  app.get('/api/areas/:id/children', {
    schema: { tags: ['areas'], summary: 'Children of an area, with counts', params: AreaIdParams, response: { 200: AreaList } },
  }, async (request) => ({ items: await areas.areaChildren(d, actorOf(request), request.params.id) }));

  app.patch('/api/areas/:id', {
    schema: { tags: ['areas'], summary: 'Rename an area', params: AreaIdParams, body: AreaUpdateBody, response: { 200: AreaDetail } },
  }, async (request) => areas.updateArea(d, actorOf(request), request.params.id, request.body));
};

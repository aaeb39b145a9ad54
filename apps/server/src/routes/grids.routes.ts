import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdjustmentList, AdjustmentParams, AdjustmentPreview, AdjustmentRequest, AreaIdParams, BuildingBody, BuildingList, BuildingParams,
  BuildingPinBody, BuildingView, GridCard, GridMap, LocateQuery, LocateResult, OkResponse, PublicContact, PublicGridParams, StaffBody,
  StaffParams, StaffView,
} from '@wangge/contracts';
import { gridAdjust, grids, type AdjustDeps } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';

export const gridRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const d: AdjustDeps = deps.grids;

  app.get('/api/areas/:id/grid-map', {
    schema: { tags: ['grids'], summary: 'Every live grid below an area as GeoJSON, with figures to colour by', params: AreaIdParams, response: { 200: GridMap } },
  }, async (request) => grids.gridMap(d, actorOf(request), request.params.id));

  app.get('/api/areas/:id/grids.geojson', {
    schema: { tags: ['grids'], summary: 'Export the grids below an area as a GeoJSON file', params: AreaIdParams },
  }, async (request, reply) => {
    const map = await grids.gridMap(d, actorOf(request), request.params.id);
    const body = {
      type: 'FeatureCollection',
      features: map.features.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { code: f.properties.code, name: f.properties.name, gridType: f.properties.gridType } })),
    };
    return reply
      .header('content-disposition', `attachment; filename="grids-${request.params.id}.geojson"`)
      .type('application/geo+json; charset=utf-8')
      .send(JSON.stringify(body));
  });

  app.get('/api/grids/:id/card', {
    schema: { tags: ['grids'], summary: 'A grid’s card: code, type, responsible people, figures', params: AreaIdParams, response: { 200: GridCard } },
  }, async (request) => grids.gridCard(d, actorOf(request), request.params.id));

  app.post('/api/areas/:id/adjustments/preview', {
    schema: { tags: ['grids'], summary: 'What an adjustment (create, redraw, split, merge, retire, import, renumber) would do, with the seamless-cover check', params: AreaIdParams, body: AdjustmentRequest, response: { 200: AdjustmentPreview } },
  }, async (request) => gridAdjust.previewAdjustment(d, actorOf(request), request.params.id, request.body));

  app.post('/api/areas/:id/adjustments', {
    schema: { tags: ['grids'], summary: 'Commit an adjustment in one transaction (refused while the cover check finds problems)', params: AreaIdParams, body: AdjustmentRequest, response: { 201: z.object({ id: z.string(), preview: AdjustmentPreview }) } },
  }, async (request, reply) => reply.code(201).send(await gridAdjust.commitAdjustment(d, actorOf(request), request.params.id, request.body)));

  app.get('/api/areas/:id/adjustments', {
    schema: { tags: ['grids'], summary: 'Adjustment history of an area', params: AreaIdParams, response: { 200: AdjustmentList } },
  }, async (request) => {
    const items = await gridAdjust.listAdjustments(d, actorOf(request), request.params.id);
    return { items: items.map(({ undo: _u, createdAt, revertedAt, ...a }) => ({ ...a, createdAt: createdAt.toISOString(), revertedAt: revertedAt?.toISOString() ?? null })) };
  });

  app.post('/api/areas/:id/adjustments/:adjustmentId/revert', {
    schema: { tags: ['grids'], summary: 'Revert the latest adjustment of an area', params: AdjustmentParams, response: { 200: OkResponse } },
  }, async (request) => {
    await gridAdjust.revertAdjustment(d, actorOf(request), request.params.id, request.params.adjustmentId);
    return { ok: true as const };
  });

  app.get('/api/locate', {
    schema: { tags: ['grids'], summary: 'Locate a WGS-84 point to its grids (basic and dedicated) and the path above', querystring: LocateQuery, response: { 200: LocateResult } },
  }, async (request) => {
    actorOf(request);
    return grids.locate(d, request.query.lon, request.query.lat, request.query.nearMetres);
  });

  app.get('/api/grids/:id/staff', {
    schema: { tags: ['grids'], summary: 'Responsible people of a grid', params: AreaIdParams, response: { 200: z.object({ items: z.array(StaffView) }) } },
  }, async (request) => ({ items: await grids.listStaff(d, actorOf(request), request.params.id) }));

  app.post('/api/grids/:id/staff', {
    schema: { tags: ['grids'], summary: 'Assign a person to a grid', params: AreaIdParams, body: StaffBody, response: { 201: StaffView } },
  }, async (request, reply) => reply.code(201).send(await grids.addStaff(d, actorOf(request), request.params.id, request.body)));

  app.put('/api/grids/:id/staff/:staffId', {
    schema: { tags: ['grids'], summary: 'Change a grid staff entry', params: StaffParams, body: StaffBody, response: { 200: StaffView } },
  }, async (request) => grids.updateStaff(d, actorOf(request), request.params.id, request.params.staffId, request.body));

  app.delete('/api/grids/:id/staff/:staffId', {
    schema: { tags: ['grids'], summary: 'End an assignment (kept for the record)', params: StaffParams, response: { 200: OkResponse } },
  }, async (request) => {
    await grids.endStaff(d, actorOf(request), request.params.id, request.params.staffId);
    return { ok: true as const };
  });

  app.get('/api/public/grids/:code/contact', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: 'Public contact card of a grid (三公开)', params: PublicGridParams, response: { 200: PublicContact } },
  }, async (request) => grids.publicContact(d, request.params.code));

  app.get('/api/areas/:id/buildings', {
    schema: { tags: ['buildings'], summary: 'Buildings below an area', params: AreaIdParams, response: { 200: BuildingList } },
  }, async (request) => ({ items: await grids.listBuildings(d, actorOf(request), request.params.id) }));

  app.post('/api/buildings', {
    schema: { tags: ['buildings'], summary: 'Place a building; its grid is computed from its location', body: BuildingBody, response: { 201: BuildingView } },
  }, async (request, reply) => reply.code(201).send(await grids.createBuilding(d, actorOf(request), request.body)));

  app.put('/api/buildings/:buildingId/grid', {
    schema: { tags: ['buildings'], summary: 'Assign a building to a grid by hand (with a reason), or back to the computed grid', params: BuildingParams, body: BuildingPinBody, response: { 200: BuildingView } },
  }, async (request) => grids.pinBuilding(d, actorOf(request), request.params.buildingId, request.body.gridId, request.body.reason));
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Health, Meta } from '@wangge/contracts';
import { PASSWORD_MIN_CLASSES, PASSWORD_MIN_LENGTH } from '@wangge/core';
import type { AppDeps } from '../app.ts';

export const systemRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/health', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Liveness and database mode', response: { 200: Health } },
  }, async () => ({ status: 'ok' as const, db: deps.database.kind }));

  app.get('/api/meta', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Public facts the web apps need before login', response: { 200: Meta } },
  }, async () => ({
    name: '网格通 Wangge', version: deps.version, db: deps.database.kind, timeZone: deps.config.TIME_ZONE,
    demo: deps.config.LOAD_DEMO, passwordPolicy: { minLength: PASSWORD_MIN_LENGTH, minClasses: PASSWORD_MIN_CLASSES },
    mapTileUrl: deps.config.MAP_TILE_URL ?? null,
  }));
};

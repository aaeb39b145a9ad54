import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { DomainError, type AdjustDeps, type AttachmentDeps, type AuthDeps, type CaseDeps, type Clock, type NotifyDeps, type PasswordHasher, type RegistryDeps, type Store } from '@wangge/core';
import type { Database } from '@wangge/db';
import type { Config } from './config.ts';
import { errorHandler, sendError } from './http/errors.ts';
import { authHook } from './http/auth.ts';
import { systemRoutes } from './routes/system.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { areaRoutes } from './routes/areas.routes.ts';
import { userRoutes } from './routes/users.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { gridRoutes } from './routes/grids.routes.ts';
import { caseRoutes } from './routes/cases.routes.ts';
import { caseConfigRoutes } from './routes/case-config.routes.ts';
import { attachmentRoutes } from './routes/attachments.routes.ts';
import { notificationRoutes } from './routes/notifications.routes.ts';
import { registryRoutes } from './routes/registry.routes.ts';
import { registryImportRoutes } from './routes/registry-import.routes.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  store: Store;
  hasher: PasswordHasher;
  clock: Clock;
  auth: AuthDeps;
  grids: AdjustDeps;
  cases: CaseDeps;
  attachments: AttachmentDeps;
  notify: NotifyDeps;
  registry: RegistryDeps;
  version: string;
  logger: Logger;
  /** Built web apps to serve; absent in API-only tests. */
  webDist?: string | null;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: 'public' | 'authenticated';
}

/** Builds the HTTP app. Every route registered here is also listed in `app.routesList` for the auth-matrix test. */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    trustProxy: deps.config.TRUST_PROXY,
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.decorateRequest('actor', null);

  const routesList: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routesList.push({ method, url: route.url, access: route.config?.access === 'public' ? 'public' : 'authenticated' });
    }
  });

  // Security headers (helmet), the policy built once: @fastify/helmet built it again on every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // antd injects its styles at run time
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'https:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: deps.config.COOKIE_SECURE,
  });
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false, errorResponseBuilder: () => ({ statusCode: 429, code: 'RATE_LIMITED', message: 'rate limited' }) as never });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '网格通 Wangge API', version: deps.version, description: 'Grid-based community governance and service. Errors: `{ error: { code, message } }`, message in the language of Accept-Language (zh-CN default, en).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'wg_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list', deepLinking: false } });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  // A NUL character is valid JSON but no text column can hold it: refuse it before anything runs.
  const hasNul = (v: unknown): boolean =>
    typeof v === 'string' ? v.includes('\u0000')
      : Array.isArray(v) ? v.some(hasNul)
        : v !== null && typeof v === 'object' && !Buffer.isBuffer(v) ? Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x)) : false;
  app.addHook('preValidation', async (request) => {
    if (hasNul(request.body) || hasNul(request.query) || hasNul(request.params)) throw new DomainError('request.invalid', 'invalid', { detail: 'NUL character' });
  });

  app.addHook('preHandler', authHook(deps.auth));

  await app.register(systemRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(areaRoutes(deps));
  await app.register(userRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(gridRoutes(deps));
  await app.register(caseRoutes(deps));
  await app.register(caseConfigRoutes(deps));
  await app.register(attachmentRoutes(deps));
  await app.register(notificationRoutes(deps));
  await app.register(registryRoutes(deps));
  // Templates, imports (with their own raw-body parser), error reports, rollback and .xlsx exports.
  await app.register(registryImportRoutes(deps));

  const webDist = deps.webDist;
  if (webDist && existsSync(join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'], maxAge: '1h' });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET' || !webDist || !existsSync(join(webDist, 'index.html'))) {
      return sendError(request, reply, 404, 'route.not_found');
    }
    // Client-side routes of the single-page app.
    return reply.header('cache-control', 'no-cache').sendFile('index.html', webDist);
  });

  return Object.assign(app, { routesList });
}
export type App = Awaited<ReturnType<typeof buildApp>>;

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ChangePasswordBody, ErrorBody, LoginBody, LoginResponse, Me, OkResponse } from '@wangge/contracts';
import { auth } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { SESSION_COOKIE, actorOf, requestContext } from '../http/auth.ts';

export const authRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.config.COOKIE_SECURE };

  app.post('/api/auth/login', {
    config: {
      access: 'public',
      rateLimit: { max: deps.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 },
    },
    schema: {
      tags: ['auth'],
      summary: 'Sign in; mode "cookie" sets an httpOnly session cookie, "bearer" returns a token',
      body: LoginBody,
      response: { 200: LoginResponse, 401: ErrorBody, 423: ErrorBody },
    },
  }, async (request, reply) => {
    const { token, expiresAt, actor } = await auth.login(deps.auth, request.body, requestContext(request));
    if (request.body.mode === 'cookie') reply.setCookie(SESSION_COOKIE, token, cookieOptions);
    const user = await auth.me(deps.auth, actor);
    return { user, expiresAt: expiresAt.toISOString(), ...(request.body.mode === 'bearer' ? { token } : {}) };
  });

  app.post('/api/auth/logout', {
    config: { allowDuringPasswordChange: true },
    schema: { tags: ['auth'], summary: 'Sign out: the session ends on the server', response: { 200: OkResponse } },
  }, async (request, reply) => {
    await auth.logout(deps.auth, actorOf(request));
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return { ok: true as const };
  });

  app.get('/api/auth/me', {
    config: { allowDuringPasswordChange: true },
    schema: { tags: ['auth'], summary: 'The signed-in user, grants and permissions', response: { 200: Me } },
  }, async (request) => auth.me(deps.auth, actorOf(request)));

  app.post('/api/auth/password', {
    config: { allowDuringPasswordChange: true },
    schema: { tags: ['auth'], summary: 'Change my password (other sessions end)', body: ChangePasswordBody, response: { 200: OkResponse } },
  }, async (request) => {
    await auth.changePassword(deps.auth, actorOf(request), request.body);
    return { ok: true as const };
  });
};

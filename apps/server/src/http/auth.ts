import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, auth, type Actor, type AuthDeps, type RequestContext } from '@wangge/core';

export const SESSION_COOKIE = 'wg_session';

/** How a route is reached: by anyone, or by a signed-in user (the default). */
export type Access = 'public' | 'authenticated';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Reachable while the user still has to replace an initial password (me, change password, logout). */
    allowDuringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function requestContext(request: FastifyRequest): RequestContext {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null, requestId: String(request.id) };
}

export function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

/** preHandler: builds the request's Actor from the session, or refuses the request. */
export function authHook(deps: AuthDeps) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    request.actor = null;
    const cfg = request.routeOptions.config;
    const url = request.routeOptions.url;
    // Only the API needs a session: the web apps' files, unknown routes (answered 404 by the
    // not-found handler) and the API docs page are public.
    if (cfg.access === 'public' || url === undefined || !url.startsWith('/api/') || url.startsWith('/api/docs')) return;
    const token = tokenOf(request);
    if (!token) throw new DomainError('auth.required', 'unauthenticated');
    const actor = await auth.authenticate(deps, token, requestContext(request));
    if (actor.mustChangePassword && !cfg.allowDuringPasswordChange) {
      throw new DomainError('auth.password_change_required', 'forbidden');
    }
    request.actor = actor;
  };
}

/** The actor of an authenticated route (the hook guarantees it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new DomainError('auth.required', 'unauthenticated');
  return request.actor;
}

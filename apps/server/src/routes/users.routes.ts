import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CreateUserBody, GrantBody, GrantParams, OkResponse, ResetPasswordBody, UpdateUserBody, UserIdParams, UserList, UserListQuery, UserView } from '@wangge/contracts';
import { users } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';

export const userRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const d = { store: deps.store, hasher: deps.hasher, clock: deps.clock };

  app.get('/api/users', {
    schema: { tags: ['users'], summary: 'Users whose home area is in my scope', querystring: UserListQuery, response: { 200: UserList } },
  }, async (request) => {
    const r = await users.listUsers(d, actorOf(request), request.query);
    return { ...r, page: request.query.page, pageSize: request.query.pageSize };
  });

  app.post('/api/users', {
    schema: { tags: ['users'], summary: 'Create a user with a first grant; the initial password must be changed at first login', body: CreateUserBody, response: { 201: UserView } },
  }, async (request, reply) => reply.code(201).send(await users.createUser(d, actorOf(request), request.body)));

  app.get('/api/users/:id', {
    schema: { tags: ['users'], params: UserIdParams, response: { 200: UserView } },
  }, async (request) => users.getUser(d, actorOf(request), request.params.id));

  app.patch('/api/users/:id', {
    schema: { tags: ['users'], summary: 'Rename, change language, disable or enable', params: UserIdParams, body: UpdateUserBody, response: { 200: UserView } },
  }, async (request) => users.updateUser(d, actorOf(request), request.params.id, request.body));

  app.post('/api/users/:id/password', {
    schema: { tags: ['users'], summary: 'Reset a password (it becomes an initial password again)', params: UserIdParams, body: ResetPasswordBody, response: { 200: OkResponse } },
  }, async (request) => {
    await users.resetPassword(d, actorOf(request), request.params.id, request.body.newPassword);
    return { ok: true as const };
  });

  app.post('/api/users/:id/grants', {
    schema: { tags: ['users'], summary: 'Grant a role on an area', params: UserIdParams, body: GrantBody, response: { 200: UserView } },
  }, async (request) => users.addGrant(d, actorOf(request), request.params.id, request.body.role, request.body.areaId));

  app.delete('/api/users/:id/grants/:grantId', {
    schema: { tags: ['users'], summary: 'Remove a grant', params: GrantParams, response: { 200: UserView } },
  }, async (request) => users.removeGrant(d, actorOf(request), request.params.id, request.params.grantId));
};

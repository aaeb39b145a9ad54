import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditList, AuditListQuery, AuditVerifyResult } from '@wangge/contracts';
import { audit, requireSomewhere } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';

export const auditRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/audit', {
    schema: { tags: ['audit'], summary: 'Audit trail within my scope', querystring: AuditListQuery, response: { 200: AuditList } },
  }, async (request) => {
    const q = request.query;
    const r = await audit.listAudit(deps.store, actorOf(request), {
      ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined,
    });
    return { ...r, page: q.page, pageSize: q.pageSize };
  });

  app.post('/api/audit/verify', {
    schema: { tags: ['audit'], summary: 'Verify the hash chain of the whole audit trail', response: { 200: AuditVerifyResult } },
  }, async (request) => {
    requireSomewhere(actorOf(request), 'audit.read');
    return audit.verifyAuditChain(deps.store.audit);
  });
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CompletenessResult, DueVisitList, DueVisitQuery, HistoryList, LEDGER_SPECS, LEDGERS, LedgerParams, OkResponse, PersonSearchQuery, PersonSearchResult,
  PersonTag, PersonTagBody, PersonTagList, PersonTagPatch, RecordParams, RegistryDeleteQuery, RegistryList, RegistryListQuery, RegistryRecord, RegistrySpec,
  RegistrySummary, RegistryWriteBody, RevealBody, RevealResult, SummaryQuery, TagCodeParams, TagDef, TagDefBody, TagDefList,
} from '@wangge/contracts';
import { registry, registryTags, forbidden, invalid, scopeFor } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';

const AreaQuery = z.strictObject({ areaId: z.string().regex(/^\d+$/).optional() });

export const registryRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const d = deps.registry;

  app.get('/api/registry/spec', {
    schema: { tags: ['registry'], summary: 'The ledgers with their fields, the code tables and the tags (for forms)', response: { 200: RegistrySpec } },
  }, async (request) => {
    const actor = actorOf(request);
    if (scopeFor(actor, 'registry.read').paths.length === 0 && scopeFor(actor, 'registry.configure').paths.length === 0) throw forbidden();
    const [dicts, tags] = await Promise.all([d.store.registry.dicts(), d.store.registry.tagDefs()]);
    return { ledgers: LEDGERS.map((k) => LEDGER_SPECS[k]), dicts, tags };
  });

  app.get('/api/registry/search', {
    schema: { tags: ['registry'], summary: 'People search: name (two characters), pinyin initials, ID number, phone or address; masked, scoped', querystring: PersonSearchQuery, response: { 200: PersonSearchResult } },
  }, async (request) => registry.search(d, actorOf(request), request.query));

  app.get('/api/registry/summary', {
    schema: { tags: ['registry'], summary: '分类汇总: an area and each child, rolled up live from the grids', querystring: SummaryQuery, response: { 200: RegistrySummary } },
  }, async (request) => registry.summary(d, actorOf(request), request.query.areaId));

  app.get('/api/registry/completeness', {
    schema: { tags: ['registry'], summary: '区不漏房、房不漏户、户不漏项 per grid', querystring: AreaQuery, response: { 200: CompletenessResult } },
  }, async (request) => registry.completeness(d, actorOf(request), request.query.areaId));

  app.get('/api/registry/tags', {
    schema: { tags: ['registry'], summary: 'Care-object and special-group tags with their follow-up fields', response: { 200: TagDefList } },
  }, async (request) => {
    actorOf(request);
    return { items: await d.store.registry.tagDefs() };
  });

  app.put('/api/registry/tags/:code', {
    schema: { tags: ['registry'], summary: 'Create or edit a tag (registry.configure)', params: TagCodeParams, body: TagDefBody, response: { 200: TagDef } },
  }, async (request) => {
    if (request.body.code !== request.params.code) throw invalid('request.invalid', { detail: 'code' });
    return registryTags.saveTagDef(d, actorOf(request), request.body);
  });

  app.get('/api/registry/person-tags', {
    schema: { tags: ['registry'], summary: 'A person’s open tags (special groups only for roles that need them)', querystring: z.strictObject({ personId: z.string().uuid() }), response: { 200: PersonTagList } },
  }, async (request) => registryTags.listTags(d, actorOf(request), request.query.personId));

  app.post('/api/registry/person-tags', {
    schema: { tags: ['registry'], summary: 'Tag a person as a care object or a special group', body: PersonTagBody.extend({ personId: z.string().uuid() }), response: { 201: PersonTag } },
  }, async (request, reply) => reply.code(201).send(await registryTags.addTag(d, actorOf(request), request.body)));

  app.patch('/api/registry/person-tags/:tagId', {
    schema: { tags: ['registry'], summary: 'Update a tag’s follow-up values, or record a visit (schedules the next)', params: z.strictObject({ tagId: z.string().uuid() }), body: PersonTagPatch, response: { 200: PersonTag } },
  }, async (request) => registryTags.updateTag(d, actorOf(request), request.params.tagId, request.body));

  app.delete('/api/registry/person-tags/:tagId', {
    schema: { tags: ['registry'], summary: 'End a tag (kept in the history)', params: z.strictObject({ tagId: z.string().uuid() }), response: { 200: OkResponse } },
  }, async (request) => registryTags.endTag(d, actorOf(request), request.params.tagId));

  app.get('/api/registry/visits/due', {
    schema: { tags: ['registry'], summary: 'Visits due (and overdue) for care objects and special groups in the actor’s scope', querystring: DueVisitQuery, response: { 200: DueVisitList } },
  }, async (request) => registryTags.dueVisits(d, actorOf(request), request.query));

  app.get('/api/registry/:ledger', {
    schema: { tags: ['registry'], summary: 'A ledger’s records in an area, searched and filtered (f.<field>=value), masked', params: LedgerParams, querystring: RegistryListQuery, response: { 200: RegistryList } },
  }, async (request) => registry.list(d, actorOf(request), request.params.ledger, request.query));

  app.post('/api/registry/:ledger', {
    schema: { tags: ['registry'], summary: 'Add a record; its grid comes from its parent record, its point or the named grid', params: LedgerParams, body: RegistryWriteBody, response: { 201: RegistryRecord } },
  }, async (request, reply) => reply.code(201).send(await registry.create(d, actorOf(request), request.params.ledger, request.body)));

  app.get('/api/registry/:ledger/:id', {
    schema: { tags: ['registry'], summary: 'One record', params: RecordParams, response: { 200: RegistryRecord } },
  }, async (request) => registry.get(d, actorOf(request), request.params.ledger, request.params.id));

  app.patch('/api/registry/:ledger/:id', {
    schema: { tags: ['registry'], summary: 'Change fields of a record (give the version read)', params: RecordParams, body: RegistryWriteBody, response: { 200: RegistryRecord } },
  }, async (request) => registry.update(d, actorOf(request), request.params.ledger, request.params.id, request.body));

  app.delete('/api/registry/:ledger/:id', {
    schema: { tags: ['registry'], summary: 'Delete a record entered by mistake (refused while others point to it)', params: RecordParams, querystring: RegistryDeleteQuery, response: { 200: OkResponse } },
  }, async (request) => registry.remove(d, actorOf(request), request.params.ledger, request.params.id, request.query.version));

  app.get('/api/registry/:ledger/:id/history', {
    schema: { tags: ['registry'], summary: 'Who changed what and when (before/after; sensitive values masked)', params: RecordParams, response: { 200: HistoryList } },
  }, async (request) => registry.history(d, actorOf(request), request.params.ledger, request.params.id));

  app.post('/api/registry/:ledger/:id/reveal', {
    schema: { tags: ['registry'], summary: 'The full ID number or phone of a record (audited)', params: RecordParams, body: RevealBody, response: { 200: RevealResult } },
  }, async (request) => registry.reveal(d, actorOf(request), request.params.ledger, request.params.id, request.body.field));
};

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  errorMessage, ImportList, ImportParams, ImportStartQuery, ImportView, LEDGER_SPECS, LEDGERS, LedgerParams, RegistryListQuery, SummaryQuery, type Locale,
} from '@wangge/contracts';
import { registry, registryImport, type ImportDeps, type ImportRecord, type ImportSource } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';
import { localeOf, sendError } from '../http/errors.ts';
import { fieldLabel, inspectXlsx, openCsv, openXlsx, sniffKind, wordProblem, writeErrors, writeExport, writeSummary, writeTemplate, xlsxType } from './registry.xlsx.ts';

/**
 * The Excel side of the registry: templates, imports (the file as the request body, run in the
 * background, polled for progress), their error reports and rollback, and .xlsx exports of any
 * list and of the summary.
 */

/** The upload as the handler sees it: the raw request stream, kept off enumerable properties (the NUL-check hook walks bodies). */
class UploadBody {
  readonly #stream: Readable;
  constructor(stream: Readable) {
    this.#stream = stream;
  }
  get stream() {
    return this.#stream;
  }
}

/** Writes the upload to a file, counting bytes; 'too_large' as soon as it passes the limit (nothing kept). */
async function saveUpload(body: unknown, path: string, limit: number): Promise<{ first: Buffer } | 'too_large'> {
  if (!(body instanceof UploadBody)) throw registryImport.malformed({ 'zh-CN': '请求中没有文件', en: 'the request carries no file' });
  const out = createWriteStream(path);
  let size = 0;
  let first = Buffer.alloc(0);
  try {
    for await (const chunk of body.stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return 'too_large';
      if (first.length < 8192) first = Buffer.concat([first, chunk.subarray(0, 8192 - first.length)]);
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close').catch(() => undefined);
  }
  return { first };
}

const STATUS_LANG = z.strictObject({ lang: z.enum(['zh-CN', 'en']).optional() });

/** An import as the API shows it: problems worded in the reader's language, the first 200 of them and of the changes. */
export function presentImport(r: ImportRecord, l: Locale): ImportView {
  const errors = [];
  for (const e of r.errors) {
    for (const p of e.problems) {
      if (errors.length >= 200) break;
      errors.push({ row: e.row, column: p.field ? fieldLabel(r.ledger, p.field, l) : null, code: p.code, reason: wordProblem(p, l) });
    }
  }
  let message: string | null = null;
  if (r.message) {
    const undone = r.message.undone === true ? errorMessage('registry.import_undone', l) : r.message.undone === false ? errorMessage('registry.import_not_undone', l) : '';
    message = [wordProblem(r.message, l), undone].filter((x) => x !== '').join(l === 'en' ? '. ' : '；');
  }
  return {
    id: r.id, ledger: r.ledger, fileName: r.fileName, status: r.status, rowsTotal: r.rowsTotal, rowsDone: r.rowsDone, created: r.created, updated: r.updated,
    unchanged: r.unchanged, failed: r.failed, errors, changes: r.changes.slice(0, 200), message, actorName: r.actorName,
    createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
  };
}

/** An attachment name: ASCII for old clients, the localised one in filename*. */
const disposition = (ascii: string, localised: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(localised)}`;
const sendXlsx = (reply: FastifyReply, stream: Readable, ascii: string, localised: string) =>
  reply.header('content-disposition', disposition(ascii, localised)).type(xlsxType).send(stream);

export const registryImportRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const d = deps.registry;
  const importDeps: ImportDeps = { ...d, batchSize: deps.config.REGISTRY_IMPORT_BATCH };
  const log = deps.logger.child({ module: 'registry-import' });
  // Imports run in the background of this process; closing the server stops them at the next batch (and undoes them).
  const running = new Set<Promise<void>>();
  const stopping = new AbortController();
  app.addHook('onClose', async () => {
    stopping.abort();
    await Promise.allSettled([...running]);
  });
  // Only this plugin's routes take a raw file body (xlsx, CSV, whatever the browser calls it).
  app.addContentTypeParser('*', (_request, payload, done) => done(null, new UploadBody(payload)));

  const tooLarge = (request: FastifyRequest, reply: FastifyReply) =>
    sendError(request, reply.header('connection', 'close'), 413, 'registry.import_too_large', { limit: deps.config.REGISTRY_IMPORT_MAX_MB });

  app.get('/api/registry/:ledger/template.xlsx', {
    schema: { tags: ['registry'], summary: 'The import template of a ledger (.xlsx: headers in the reader’s language, dropdowns, notes)', params: LedgerParams, querystring: STATUS_LANG },
  }, async (request, reply) => {
    const l = localeOf(request);
    const dicts = await registryImport.templateDicts(d, actorOf(request));
    const { ledger } = request.params;
    return sendXlsx(reply, writeTemplate(ledger, dicts, l), `${ledger}-template.xlsx`, `${LEDGER_SPECS[ledger].label[l]}${l === 'en' ? ' template' : '导入模板'}.xlsx`);
  });

  app.post('/api/registry/:ledger/imports', {
    schema: {
      tags: ['registry'],
      summary: 'Import an .xlsx or .csv (the file is the request body; UTF-8 or GB18030): 202 at once, then poll GET /api/registry/imports/:importId',
      params: LedgerParams, querystring: ImportStartQuery, response: { 202: ImportView },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const { ledger } = request.params;
    // The area first: a refused import reads no bytes.
    await registryImport.importArea(d, actor, request.query.areaId);
    const limit = Math.floor(deps.config.REGISTRY_IMPORT_MAX_MB * 1024 * 1024);
    if (Number(request.headers['content-length'] ?? 0) > limit) return tooLarge(request, reply);
    const dir = await mkdtemp(join(tmpdir(), 'wangge-import-'));
    const path = join(dir, 'upload');
    let handedOver = false;
    try {
      const saved = await saveUpload(request.body, path, limit);
      if (saved === 'too_large') return tooLarge(request, reply);
      const fileName = request.query.fileName ?? '';
      const kind = sniffKind(saved.first, fileName, request.headers['content-type']);
      if (!kind) throw registryImport.malformed({ 'zh-CN': '只能导入 .xlsx 或 .csv 文件', en: 'only .xlsx and .csv files can be imported' });
      let source: ImportSource;
      if (kind === 'xlsx') {
        const facts = await inspectXlsx(path);
        if (facts.inflated > limit * 20) return tooLarge(request, reply); // a zip bomb
        source = await openXlsx(path, facts);
      } else source = await openCsv(path);
      const started = await registryImport.startImport(importDeps, actor, ledger, { areaId: request.query.areaId, fileName: fileName || `import.${kind}` }, source)
        .catch(async (e: unknown) => {
          await source.close();
          throw e;
        });
      handedOver = true;
      const job = started.run(stopping.signal)
        .then((r) => {
          if (r.unexpected) log.error({ err: r.unexpected, importId: started.record.id }, 'registry import failed');
        })
        .catch((e: unknown) => log.error({ err: e, importId: started.record.id }, 'registry import could not record its end'))
        .finally(() => rm(dir, { recursive: true, force: true }));
      running.add(job);
      void job.finally(() => running.delete(job));
      return reply.code(202).send(presentImport(started.record, localeOf(request)));
    } finally {
      if (!handedOver) await rm(dir, { recursive: true, force: true });
    }
  });

  app.get('/api/registry/imports', {
    schema: { tags: ['registry'], summary: 'The imports in the actor’s import scope, newest first (errors and changes: GET /api/registry/imports/:importId)', querystring: STATUS_LANG.extend({ ledger: z.enum(LEDGERS).optional() }), response: { 200: ImportList } },
  }, async (request) => {
    const l = localeOf(request);
    return { items: (await registryImport.listImports(d, actorOf(request), request.query.ledger)).map((r) => presentImport(r, l)) };
  });

  app.get('/api/registry/imports/:importId', {
    schema: { tags: ['registry'], summary: 'An import: progress, counts, the first 200 row errors and updated records', params: ImportParams, querystring: STATUS_LANG, response: { 200: ImportView } },
  }, async (request) => presentImport(await registryImport.getImport(d, actorOf(request), request.params.importId), localeOf(request)));

  app.get('/api/registry/imports/:importId/errors.xlsx', {
    schema: { tags: ['registry'], summary: 'Every row an import refused: row, columns, reasons and the row’s cells (.xlsx, can be corrected and imported again)', params: ImportParams, querystring: STATUS_LANG },
  }, async (request, reply) => {
    const l = localeOf(request);
    const r = await registryImport.getImport(d, actorOf(request), request.params.importId, 'all');
    return sendXlsx(reply, writeErrors(r.ledger, r.errors, l), `import-errors-${r.id.slice(0, 8)}.xlsx`, `${l === 'en' ? 'import errors' : '导入错误'}-${r.fileName.replace(/\.(xlsx|csv)$/i, '')}.xlsx`);
  });

  app.post('/api/registry/imports/:importId/rollback', {
    schema: { tags: ['registry'], summary: 'Undo an import: delete what it created, restore what it updated (refused if any of it changed since)', params: ImportParams, response: { 200: ImportView } },
  }, async (request) => presentImport(await registryImport.rollbackImport(d, actorOf(request), request.params.importId), localeOf(request)));

  app.get('/api/registry/:ledger/export.xlsx', {
    schema: { tags: ['registry'], summary: 'A ledger’s list with its filters as .xlsx (areaId, q, f.<field>; masked; codes as labels; audited)', params: LedgerParams, querystring: RegistryListQuery },
  }, async (request, reply) => {
    const l = localeOf(request);
    const { ledger } = request.params;
    const { page: _p, pageSize: _s, lang: _l, ...query } = request.query;
    const r = await registryImport.exportRecords(d, actorOf(request), ledger, query);
    return sendXlsx(reply, writeExport(ledger, r.pages, r.dicts, l), `${ledger}.xlsx`, `${LEDGER_SPECS[ledger].label[l]}.xlsx`);
  });

  app.get('/api/registry/summary.xlsx', {
    schema: { tags: ['registry'], summary: '分类汇总 of an area and each child as .xlsx', querystring: SummaryQuery },
  }, async (request, reply) => {
    const l = localeOf(request);
    const s = await registry.summary(d, actorOf(request), request.query.areaId);
    return sendXlsx(reply, writeSummary(s, l), `summary-${s.area.code}.xlsx`, `${l === 'en' ? 'summary' : '分类汇总'}-${s.area.name}.xlsx`);
  });
};

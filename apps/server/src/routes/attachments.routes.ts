import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AttachmentView, UuidParam } from '@wangge/contracts';
import { attachments, invalid, type AttachmentDeps } from '@wangge/core';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../http/auth.ts';
import { sendError } from '../http/errors.ts';
import { prepareUpload } from '../media/media.ts';

const AttachmentParams = z.strictObject({ id: UuidParam });

/** One `bytes=` range (a-b, a-, -n) within `size`; anything else (several ranges, beyond the end) is ignored and the whole file sent. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '') || size === 0) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : null;
}

/**
 * The stored bytes, for <img> and <audio>: inline, private to the browser cache (the file is as
 * confidential as its case), never sniffed into another type. Single byte ranges are served
 * because Safari plays audio only from servers that answer them.
 */
function sendStored(request: FastifyRequest, reply: FastifyReply, file: { mime: string; bytes: Buffer }) {
  reply
    .header('cache-control', 'private, max-age=3600')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', 'inline')
    .header('accept-ranges', 'bytes')
    .type(file.mime);
  const range = byteRange(request.headers.range, file.bytes.length);
  if (!range) return reply.send(file.bytes);
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${file.bytes.length}`)
    .send(file.bytes.subarray(range.start, range.end + 1));
}

export const attachmentRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const d: AttachmentDeps = deps.attachments;
  const maxMb = deps.config.ATTACHMENT_MAX_MB;
  // Registered here, so multipart bodies are accepted by these routes only.
  await app.register(multipart, {
    limits: { fileSize: Math.floor(maxMb * 1024 * 1024), files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 100 },
  });

  app.post('/api/attachments', {
    schema: {
      tags: ['cases'],
      summary: 'Upload a photo or a voice note (multipart/form-data, one file in the field "file"); photos are resized and stripped of EXIF/GPS. Link it to a case step by its id.',
      response: { 201: AttachmentView },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    attachments.requireUploader(actor); // before a byte is read or decoded
    if (!request.isMultipart()) return sendError(request, reply, 415, 'request.unsupported_media_type');
    let bytes: Buffer;
    try {
      const part = await request.file();
      if (!part || part.fieldname !== 'file') throw invalid('request.invalid', { detail: 'multipart field "file" with one file is required' });
      bytes = await part.toBuffer();
    } catch (e) {
      if (e instanceof app.multipartErrors.RequestFileTooLargeError) return sendError(request, reply, 413, 'attachment.too_large', { limit: maxMb });
      if (e instanceof app.multipartErrors.FieldsLimitError || e instanceof app.multipartErrors.PartsLimitError || e instanceof app.multipartErrors.PrototypeViolationError) {
        throw invalid('request.invalid', { detail: 'only one file in the field "file" is accepted' });
      }
      throw e;
    }
    const row = await attachments.upload(d, actor, await prepareUpload(bytes));
    return reply.code(201).send(attachments.present(row));
  });

  app.get('/api/attachments/:id', {
    schema: { tags: ['cases'], summary: 'The file of an attachment (photo or voice note), with its type', params: AttachmentParams },
  }, async (request, reply) => sendStored(request, reply, await attachments.read(d, actorOf(request), request.params.id, 'data')));

  app.get('/api/attachments/:id/thumb', {
    schema: { tags: ['cases'], summary: 'The 320 px JPEG thumbnail of a photo (404 for a voice note)', params: AttachmentParams },
  }, async (request, reply) => sendStored(request, reply, await attachments.read(d, actorOf(request), request.params.id, 'thumb')));
};

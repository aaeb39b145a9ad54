import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { coverProblemMessages, errorMessage, format, geometryProblemMessages, pickLocale, type ErrorCode, type Locale } from '@wangge/contracts';
import { isDomainError, type DomainError, type ErrorKind } from '@wangge/core';
import { DivisionNotFoundError } from '@wangge/db';

export const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  rate_limited: 429,
  unavailable: 503,
};

export function localeOf(request: FastifyRequest): Locale {
  const q = (request.query as Record<string, unknown> | undefined)?.lang;
  return pickLocale(typeof q === 'string' ? q : request.headers['accept-language']);
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  params?: Record<string, string | number>,
  details?: unknown,
) {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message: errorMessage(code, localeOf(request), params), ...(details === undefined ? {} : { details }) } });
}

/**
 * Errors that carry a list of problems (geometry, seamless cover) are worded here, problem by
 * problem, in the reader's language; the domain only names the problems and where they are.
 */
function problemDetail(domain: DomainError, locale: Locale): Record<string, string | number> | undefined {
  const sep = locale === 'zh-CN' ? '；' : '; ';
  if (domain.code === 'geometry.invalid' && Array.isArray(domain.details)) {
    const list = (domain.details as { code: keyof typeof geometryProblemMessages; where: string }[])
      .map((p) => format(geometryProblemMessages[p.code]?.[locale] ?? p.code, { where: p.where }))
      .join(sep);
    return { detail: `${domain.params?.detail ?? ''}: ${list}` };
  }
  if (domain.code === 'grid.cover_failed') {
    const problems = (domain.details as { problems?: { kind: keyof typeof coverProblemMessages; areaM2: number; codes: string[]; where: string }[] })?.problems ?? [];
    const list = problems.map((p) => format(coverProblemMessages[p.kind][locale], { areaM2: p.areaM2, grids: p.codes.join(locale === 'zh-CN' ? '、' : ', '), where: p.where }));
    return { detail: list.join(sep) };
  }
  if (!domain.params) return undefined;
  return Object.fromEntries(Object.entries(domain.params).map(([k, v]) => [k, typeof v === 'object' ? v[locale] : v]));
}

/** Finds a DomainError in an error or its causes (drizzle wraps driver errors). */
function domainErrorIn(e: unknown): DomainError | null {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (isDomainError(cur)) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

/** The SQLSTATE of a database error in an error or its causes (both drivers put it in `code`). */
function sqlStateIn(e: unknown): string | null {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

/** One mapping from every failure to `{ error: { code, message } }`; unknown errors are a 500 with the request id. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const domain = domainErrorIn(error);
  if (domain) {
    if (domain.kind === 'unavailable') request.log.warn({ err: error }, 'unavailable');
    return sendError(request, reply, statusOfKind[domain.kind], domain.code, problemDetail(domain, localeOf(request)), domain.details);
  }
  if (error instanceof DivisionNotFoundError) return sendError(request, reply, 404, 'area.division_not_found', { code: error.districtCode });
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({
      in: error.validationContext,
      path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
      message: v.message,
    }));
    const detail = details.map((d) => `${d.in}${d.path ? '.' + d.path : ''}: ${d.message}`).join('; ');
    return sendError(request, reply, 400, 'request.invalid', { detail }, details);
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response did not match its schema');
    return sendError(request, reply, 500, 'internal', { requestId: request.id });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(request, reply, 400, 'request.malformed_json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(request, reply, 400, 'request.too_large', { limit: request.server.initialConfig.bodyLimit ?? 0 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return sendError(request, reply, 415, 'request.unsupported_media_type');
    default:
      break;
  }
  if (error.statusCode === 429) return sendError(request, reply, 429, 'request.rate_limited');
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return sendError(request, reply, 400, 'request.invalid', { detail: error.message });
  }
  // Last line of defence for what validation let through: a value the database cannot store is bad
  // input; a uniqueness race or a deadlock between two requests is a conflict to retry.
  const state = sqlStateIn(error);
  if (state?.startsWith('22')) return sendError(request, reply, 400, 'request.invalid', { detail: 'value cannot be stored' });
  if (state === '23505' || state === '40P01' || state === '40001') return sendError(request, reply, 409, 'request.conflict');
  if (state === '23503') return sendError(request, reply, 409, 'request.in_use');
  request.log.error({ err: error }, 'unhandled error');
  return sendError(request, reply, 500, 'internal', { requestId: request.id });
}

import type { ErrorCode, Text } from '@wangge/contracts';

/** A value in an error message: plain, or a text in every language (worded in the reader's language by the HTTP layer). */
export type ErrorParam = string | number | Text;

/** What kind of failure this is; only the HTTP layer turns a kind into a status code. */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'rate_limited'
  | 'unavailable';

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly params: Record<string, ErrorParam> | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, kind: ErrorKind, params?: Record<string, ErrorParam>, details?: unknown) {
    super(code);
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    this.params = params;
    this.details = details;
  }
}

export const notFound = (code: ErrorCode, params?: Record<string, ErrorParam>) => new DomainError(code, 'not_found', params);
export const forbidden = (code: ErrorCode = 'auth.forbidden') => new DomainError(code, 'forbidden');
export const invalid = (code: ErrorCode, params?: Record<string, ErrorParam>, details?: unknown) =>
  new DomainError(code, 'invalid', params, details);
export const conflict = (code: ErrorCode, params?: Record<string, ErrorParam>) => new DomainError(code, 'conflict', params);

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

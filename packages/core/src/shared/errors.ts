import type { ErrorCode } from '@wangge/contracts';

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
  readonly params: Record<string, string | number> | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, kind: ErrorKind, params?: Record<string, string | number>, details?: unknown) {
    super(code);
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    this.params = params;
    this.details = details;
  }
}

export const notFound = (code: ErrorCode, params?: Record<string, string | number>) => new DomainError(code, 'not_found', params);
export const forbidden = (code: ErrorCode = 'auth.forbidden') => new DomainError(code, 'forbidden');
export const invalid = (code: ErrorCode, params?: Record<string, string | number>, details?: unknown) =>
  new DomainError(code, 'invalid', params, details);
export const conflict = (code: ErrorCode, params?: Record<string, string | number>) => new DomainError(code, 'conflict', params);

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

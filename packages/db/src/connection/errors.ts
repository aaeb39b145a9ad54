import { DomainError } from '@wangge/core';

/** A query passed its time limit; answered as 503 db.timeout, never as a hang. */
export class DbTimeoutError extends DomainError {
  constructor(
    readonly timeoutMs: number,
    readonly sqlHead: string,
  ) {
    super('db.timeout', 'unavailable', { ms: timeoutMs });
  }
}

/** An error reported by the database, with the PostgreSQL SQLSTATE when there is one. */
export class DbQueryError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly detail?: string,
    readonly constraint?: string,
  ) {
    super(message);
    this.name = 'DbQueryError';
  }
}

/** SQLSTATE of an error from either driver (node-postgres errors carry `code` too). */
export function sqlState(e: unknown): string | undefined {
  const err = e as { code?: unknown; cause?: { code?: unknown } };
  if (typeof err?.code === 'string') return err.code;
  if (typeof err?.cause?.code === 'string') return err.cause.code;
  return undefined;
}

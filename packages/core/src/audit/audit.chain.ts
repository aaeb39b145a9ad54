import { createHash } from 'node:crypto';

/** The fields of an audit row that its hash covers. */
export interface AuditRecord {
  id: string;
  at: string; // ISO 8601, milliseconds, Z
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  areaId: string | null;
  diff: unknown;
  ip: string | null;
  requestId: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
  }
  return JSON.stringify(value);
}

/**
 * hash(row) = SHA-256(previous hash ‖ canonical row without its id): changing, removing or
 * reordering a row breaks every later link. The id is left out so the hash can be computed
 * before the database assigns it; order is proven by the links, not by the ids.
 */
export function chainHash(prevHash: string, record: Omit<AuditRecord, 'id'> & { id?: string }): string {
  const content = {
    at: record.at, actorId: record.actorId, actorName: record.actorName, action: record.action,
    entityType: record.entityType, entityId: record.entityId, areaId: record.areaId, diff: record.diff,
    ip: record.ip, requestId: record.requestId,
  };
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/** A sealed row: `seq` is its place in the chain (not its id: rows are sealed in commit order). */
export interface ChainedRow extends AuditRecord {
  seq: string;
  prevHash: string;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  reason: string | null;
}

/**
 * Checks rows in chain (seq) order. The first row's prevHash is accepted as the anchor (rows older than
 * the retention period are pruned); pass the last row of the previous page as `previous` to check in pages.
 */
export function verifyChain(rows: Iterable<ChainedRow>, previous: { hash: string } | null = null): ChainCheck {
  let prev = previous;
  let checked = 0;
  for (const row of rows) {
    if (prev && row.prevHash !== prev.hash) {
      return { ok: false, checked, firstBrokenId: row.id, reason: 'prev_hash does not match the previous row (a row was removed or reordered)' };
    }
    if (chainHash(row.prevHash, row) !== row.hash) {
      return { ok: false, checked, firstBrokenId: row.id, reason: 'hash does not match the row content (the row was changed)' };
    }
    checked++;
    prev = row;
  }
  return { ok: true, checked, firstBrokenId: null, reason: null };
}

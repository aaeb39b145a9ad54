import type { AuditVerifyResult } from '@wangge/contracts';
import type { AuditFilter, AuditPort, Ports, Store } from '../ports.ts';
import type { Actor } from '../auth/auth.types.ts';
import { requireSomewhere } from '../auth/auth.policy.ts';
import { verifyChain } from './audit.chain.ts';
import { invalid } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import { DAY } from '../shared/clock.ts';

/** The Cybersecurity Law asks for at least six months of security logs. */
export const AUDIT_MIN_RETENTION_DAYS = 180;

export async function listAudit(store: Store, actor: Actor, filter: AuditFilter) {
  return store.audit.list(requireSomewhere(actor, 'audit.read'), filter);
}

/** Walks the whole chain in pages and reports the first row that does not fit. */
export async function verifyAuditChain(audit: Pick<AuditPort, 'page'>, pageSize = 5000): Promise<AuditVerifyResult> {
  let previous: { hash: string; id: string } | null = null;
  let checked = 0;
  for (;;) {
    const rows = await audit.page(previous?.id ?? null, pageSize);
    if (rows.length === 0) break;
    const result = verifyChain(rows, previous);
    checked += result.checked;
    if (!result.ok) return { ...result, checked };
    const last = rows[rows.length - 1]!;
    previous = { id: last.id, hash: last.hash };
  }
  return { ok: true, checked, firstBrokenId: null, reason: null };
}

/**
 * Deletes audit rows older than the retention period, inside the caller's transaction; the
 * oldest kept row's prev_hash anchors the chain, and the pruning itself is audited.
 */
export async function pruneAudit(tx: Pick<Ports, 'audit'>, clock: Clock, retentionDays: number): Promise<number> {
  if (retentionDays < AUDIT_MIN_RETENTION_DAYS) throw invalid('audit.retention_too_short', { min: AUDIT_MIN_RETENTION_DAYS });
  const now = clock.now();
  const cutoff = new Date(now.getTime() - retentionDays * DAY);
  {
    const n = await tx.audit.pruneBefore(cutoff);
    if (n > 0) {
      await tx.audit.append({
        at: now, actorId: null, actorName: 'system', action: 'audit.pruned', entityType: 'audit', entityId: null,
        areaId: null, diff: { deleted: n, before: cutoff.toISOString(), retentionDays }, ip: null, requestId: null,
      });
    }
    return n;
  }
}

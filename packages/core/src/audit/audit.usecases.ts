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

/** Seals every committed unsealed row (in batches); returns how many. */
export async function sealAudit(audit: Pick<AuditPort, 'seal'>, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await audit.seal(batch);
    total += n;
    if (n < batch) return total;
  }
}

/**
 * Seals on a timer in the server process (every server runs one; the chain's lock lets one seal at
 * a time). A tick never overlaps the previous one; `stop` waits for it and seals once more.
 */
export class AuditSealer {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly audit: Pick<AuditPort, 'seal'>, private readonly onError: (err: unknown) => void) {}

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  tick(): Promise<void> {
    this.running ??= sealAudit(this.audit).then(() => undefined, this.onError).finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.tick();
  }
}

/**
 * Seals what is pending, then walks the whole chain in pages and reports the first row that does
 * not fit. Rows still unsealed (committed after the seal) are left for the next check.
 */
export async function verifyAuditChain(audit: Pick<AuditPort, 'page' | 'seal'>, pageSize = 5000): Promise<AuditVerifyResult> {
  await sealAudit(audit);
  let previous: { hash: string; seq: string } | null = null;
  let checked = 0;
  for (;;) {
    const rows = await audit.page(previous?.seq ?? null, pageSize);
    if (rows.length === 0) break;
    const result = verifyChain(rows, previous);
    checked += result.checked;
    if (!result.ok) return { ...result, checked };
    const last = rows[rows.length - 1]!;
    previous = { seq: last.seq, hash: last.hash };
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
    // Only sealed rows can go (the chain's prefix): seal what has been committed first.
    await sealAudit(tx.audit);
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

import type { AuditInput, Ports } from '../ports.ts';

/**
 * The ports of a transaction with audit rows held back and written last, in order, by `flush`.
 * Appending takes the chain's transaction-level lock, which is then held until COMMIT: writing
 * the audit rows at the very end keeps that lock for the shortest time (intake and transitions
 * run many statements, and every other writer of the audit log waits on the lock).
 */
export function deferAudit(tx: Ports): { ports: Ports; flush: () => Promise<void> } {
  const pending: AuditInput[] = [];
  const ports: Ports = { ...tx, audit: { ...tx.audit, append: async (e) => void pending.push(e) } };
  return {
    ports,
    flush: async () => {
      for (const e of pending.splice(0)) await tx.audit.append(e);
    },
  };
}

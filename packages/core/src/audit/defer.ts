import type { AuditInput, Ports } from '../ports.ts';

/**
 * The ports of a transaction with audit rows held back and written last, in order, by `flush`:
 * an action's audit rows follow the change they record, after every check of it has passed.
 * (Appends once took the chain's lock and this kept it short; since ADR 0005 they take none.)
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

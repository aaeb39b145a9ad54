import { audit, caseSupervision, DAY, HOUR, MINUTE, type CaseDeps, type Clock } from '@wangge/core';
import { enqueue, portsOn, type Database, type FieldCrypto, type JobHandler } from '@wangge/db';
import { sql } from 'drizzle-orm';
import type { Config } from './config.ts';

/** The sweep's slot reference: one sweep per interval, however many servers or restarts. */
export const sweepRef = (at: Date, minutes: number) => `cases.sweep:${Math.floor(at.getTime() / (minutes * MINUTE))}`;

/** Housekeeping that runs daily from the job table; each day's run has its own unique reference. */
export function housekeepingHandlers(clock: Clock, config: Pick<Config, 'AUDIT_RETENTION_DAYS' | 'ATTACHMENT_UNLINKED_HOURS'>): Record<string, JobHandler> {
  return {
    'audit.prune': async (_job, { db }) => {
      await audit.pruneAudit(portsOn(db), clock, config.AUDIT_RETENTION_DAYS);
    },
    'sessions.cleanup': async (_job, { db, now }) => {
      // Ended sessions are kept a week for the record, then removed.
      await db.execute(sql`DELETE FROM sessions WHERE revoked_at < ${new Date(now.getTime() - 7 * DAY).toISOString()}::timestamptz`);
    },
    'attachments.cleanup': async (_job, { db, now }) => {
      // Photos and voice notes uploaded for a report or a step that was never sent: personal data with no case, removed.
      await db.execute(sql`DELETE FROM attachments WHERE case_id IS NULL
        AND created_at < ${new Date(now.getTime() - config.ATTACHMENT_UNLINKED_HOURS * HOUR).toISOString()}::timestamptz`);
    },
  };
}

const HOUSEKEEPING = ['audit.prune', 'sessions.cleanup', 'attachments.cleanup'];

/** Queues today's housekeeping once (idempotent by reference), to run at 03:00 local time or now if that has passed. */
export async function scheduleHousekeeping(database: Database, clock: Clock, timeZone: string): Promise<void> {
  const now = clock.now();
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  for (const type of HOUSEKEEPING) {
    await enqueue(database.db, { type, runAt: now, uniqueRef: `${type}:${day}` });
  }
}

/**
 * The supervision sweep (督办) from the job table: each run marks due-soon and overdue cases and
 * reminds the people concerned, then queues the next run one interval later (idempotent by slot).
 */
export function caseJobHandlers(cases: CaseDeps, crypto: FieldCrypto, config: Pick<Config, 'CASE_SWEEP_MINUTES'>): Record<string, JobHandler> {
  return {
    'cases.sweep': async (_job, { db, now }) => {
      await caseSupervision.sweep(cases, portsOn(db, crypto));
      const next = new Date(now.getTime() + config.CASE_SWEEP_MINUTES * MINUTE);
      await enqueue(db, { type: 'cases.sweep', runAt: next, uniqueRef: sweepRef(next, config.CASE_SWEEP_MINUTES) });
    },
  };
}

export async function scheduleSweep(database: Database, clock: Clock, minutes: number): Promise<void> {
  const now = clock.now();
  await enqueue(database.db, { type: 'cases.sweep', runAt: now, uniqueRef: sweepRef(now, minutes) });
}

import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The job table: deadlines, reminders, notifications and housekeeping run from here, in our own
 * database, so the embedded default needs no extra server. Claimed with FOR UPDATE SKIP LOCKED.
 * `unique_ref` makes scheduling idempotent: the same reference is never queued twice.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull().default({}),
    runAt: timestamp('run_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    lastError: text('last_error'),
    uniqueRef: text('unique_ref'),
    lockedAt: timestamp('locked_at', { withTimezone: true, mode: 'date' }),
    lockedBy: text('locked_by'),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('jobs_unique_ref_uq').on(t.uniqueRef),
    index('jobs_due_idx').on(t.runAt).where(sql`${t.status} = 'pending'`),
    check('jobs_status_ck', sql`${t.status} IN ('pending','running','done','failed')`),
  ],
);

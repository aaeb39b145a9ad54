import { hostname } from 'node:os';
import { sql, type SQL } from 'drizzle-orm';
import type { Clock } from '@wangge/core';
import { rows, type Database, type Db } from '../connection/open.ts';
import { isoZ } from '../repos/sql-helpers.ts';

export interface NewJob {
  type: string;
  payload?: Record<string, unknown>;
  runAt: Date;
  /** Scheduling the same reference twice queues it once (idempotent reminders, daily housekeeping). */
  uniqueRef?: string;
  maxAttempts?: number;
}

export interface ClaimedJob {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  runAt: string;
}

/** The INSERT that queues a job (a reference queued already is skipped): for `enqueue` and for statements that write more than one thing. */
export function enqueueSql(job: NewJob): SQL {
  return sql`INSERT INTO jobs (type, payload, run_at, unique_ref, max_attempts)
        VALUES (${job.type}, ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.runAt.toISOString()}::timestamptz,
                ${job.uniqueRef ?? null}, ${job.maxAttempts ?? 5})
        ON CONFLICT (unique_ref) DO NOTHING`;
}

/** Queues a job in the caller's transaction (or on its own); returns its id, or null if the reference was already queued. */
export async function enqueue(db: Db, job: NewJob): Promise<string | null> {
  const r = await rows<{ id: string }>(db, sql`${enqueueSql(job)} RETURNING id::text`);
  return r[0]?.id ?? null;
}

/** Claims up to `limit` due jobs; concurrent runners on PostgreSQL never get the same row (SKIP LOCKED). */
export async function claim(db: Db, now: Date, limit: number, workerId: string): Promise<ClaimedJob[]> {
  // UPDATE … RETURNING gives rows in physical order: sort them again so a batch runs oldest first.
  const r = await rows<{ id: string; type: string; payload: Record<string, unknown>; attempts: number; max_attempts: number; run_at: string }>(
    db,
    sql`WITH c AS (
          UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_at = ${now.toISOString()}::timestamptz, locked_by = ${workerId}
          WHERE id IN (
            SELECT id FROM jobs WHERE status = 'pending' AND run_at <= ${now.toISOString()}::timestamptz
            ORDER BY run_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          RETURNING id, type, payload, attempts, max_attempts, run_at)
        SELECT c.id::text, c.type, c.payload, c.attempts, c.max_attempts, ${isoZ(sql`c.run_at`)} AS run_at FROM c ORDER BY c.run_at, c.id`,
  );
  return r.map((j) => ({ id: j.id, type: j.type, payload: j.payload, attempts: j.attempts, maxAttempts: j.max_attempts, runAt: j.run_at }));
}

/**
 * A failure that still has something to record (a delivery attempt, say): `afterRollback` runs on
 * the database after the job's transaction rolled back, before the retry is scheduled.
 */
export class JobFailure extends Error {
  constructor(message: string, readonly afterRollback: (db: Db) => Promise<void>) {
    super(message);
    this.name = 'JobFailure';
  }
}

export type JobHandler = (job: ClaimedJob, ctx: { db: Db; database: Database; now: Date }) => Promise<void>;

export interface JobRunnerOptions {
  database: Database;
  clock: Clock;
  handlers: Record<string, JobHandler>;
  batchSize?: number;
  /** A job still 'running' after this long is taken to have died with its process and is queued again. */
  staleAfterMs?: number;
  onError?: (job: ClaimedJob, error: unknown) => void;
}

/** Retry delay after the n-th failed attempt: 30 s, 1 min, 2 min … capped at one hour. */
export const backoffMs = (attempts: number) => Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));

/**
 * Runs due jobs. Each job runs in its own transaction with its completion, so a job's writes and
 * its 'done' mark commit together; a failure rolls the writes back and schedules a retry.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly workerId = `${hostname()}:${process.pid}`;

  constructor(private readonly opts: JobRunnerOptions) {}

  async runOnce(): Promise<number> {
    const { database, clock, handlers } = this.opts;
    const now = clock.now();
    await database.db.execute(sql`
      UPDATE jobs SET status = 'pending', locked_at = NULL, locked_by = NULL
      WHERE status = 'running' AND locked_at < ${new Date(now.getTime() - (this.opts.staleAfterMs ?? 600_000)).toISOString()}::timestamptz`);
    const claimed = await claim(database.db, now, this.opts.batchSize ?? 20, this.workerId);
    for (const job of claimed) {
      const handler = handlers[job.type];
      try {
        if (!handler) throw new Error(`no handler for job type ${job.type}`);
        await database.transaction(async (tx) => {
          await handler(job, { db: tx, database, now });
          await tx.execute(sql`UPDATE jobs SET status = 'done', done_at = ${clock.now().toISOString()}::timestamptz, last_error = NULL WHERE id = ${job.id}::bigint`);
        });
      } catch (e) {
        this.opts.onError?.(job, e);
        if (e instanceof JobFailure) await e.afterRollback(database.db).catch((err: unknown) => this.opts.onError?.(job, err));
        const message = e instanceof Error ? e.message : String(e);
        const final = job.attempts >= job.maxAttempts;
        await database.db.execute(sql`
          UPDATE jobs SET status = ${final ? 'failed' : 'pending'}, last_error = ${message.slice(0, 2000)},
            run_at = ${new Date(clock.now().getTime() + backoffMs(job.attempts)).toISOString()}::timestamptz,
            locked_at = NULL, locked_by = NULL
          WHERE id = ${job.id}::bigint`);
      }
    }
    return claimed.length;
  }

  /** Polls every `intervalMs`; never two polls at once in one process. */
  start(intervalMs: number): void {
    const tick = async () => {
      this.running = this.runOnce().catch(() => 0);
      await this.running;
      this.running = null;
      if (this.timer) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

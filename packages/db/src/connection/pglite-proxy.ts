import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import { DbTimeoutError, DbQueryError } from './errors.ts';

interface QueryResult {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | null;
}

type Query = { type: 'query'; sql: string; params?: unknown[]; rowMode?: 'array' | 'object'; raw?: boolean } | { type: 'exec'; sql: string };

export interface PgliteProxyOptions {
  dataDir: string | null; // null = in memory
  timeZone: string;
  queryTimeoutMs: number;
  onRestart?: (reason: string) => void;
}

/** The client drizzle's PGlite driver talks to: `query`, `exec`, `transaction`, like PGlite's own API. */
export interface PgliteLikeClient {
  query(sql: string, params?: unknown[], options?: { rowMode?: 'array' | 'object'; parsers?: unknown }): Promise<QueryResult>;
  exec(sql: string): Promise<QueryResult[]>;
  transaction<T>(fn: (tx: PgliteLikeClient) => Promise<T>): Promise<T>;
}

/**
 * Runs PGlite in a worker thread and forwards its API. Every request has a time limit: when it
 * passes, the worker is terminated and started again (the query cannot be interrupted inside
 * WASM), every waiting request fails with db.timeout, and the server keeps serving.
 * PGlite has one connection, so requests are serialised here: a transaction holds the lock
 * from BEGIN to COMMIT and nothing else can slip into it.
 */
export class PgliteProxy implements PgliteLikeClient {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private lock: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly inTransaction = new AsyncLocalStorage<boolean>();

  constructor(private readonly opts: PgliteProxyOptions) {}

  async start(): Promise<void> {
    this.ready = this.spawn();
    await this.ready;
  }

  private spawn(): Promise<void> {
    const generation = ++this.generation;
    const worker = new Worker(new URL('./pglite-host.mjs', import.meta.url), {
      workerData: { dataDir: this.opts.dataDir, timeZone: this.opts.timeZone },
      execArgv: [],
    });
    this.worker = worker;
    worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: { message: string; code?: string; detail?: string; constraint?: string } }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (p.timer) clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new DbQueryError(msg.error?.message ?? 'query failed', msg.error?.code, msg.error?.detail, msg.error?.constraint));
    });
    worker.on('error', (e) => this.failAll(new DbQueryError(`embedded database worker failed: ${e.message}`)));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      if (generation === this.generation) this.failAll(new DbQueryError('embedded database worker exited'));
    });
    // Opening can take several seconds on a new directory: no query timeout for init.
    return this.post(worker, { type: 'init' }, 0).then(() => undefined);
  }

  private post(worker: Worker, msg: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.pending.delete(id);
              reject(new DbTimeoutError(timeoutMs, String(msg.sql ?? msg.type).slice(0, 200)));
              this.restart(`a query ran longer than ${timeoutMs} ms`);
            }, timeoutMs)
          : null;
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ ...msg, id });
    });
  }

  private failAll(err: Error): void {
    for (const [id, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }

  private restart(reason: string): void {
    if (this.closed) return;
    this.opts.onRestart?.(reason);
    const old = this.worker;
    this.worker = null;
    this.generation++; // the old worker's exit must not fail requests sent to the new one
    this.failAll(new DbTimeoutError(this.opts.queryTimeoutMs, 'aborted with the timed-out query'));
    // Set synchronously: a request arriving while the old worker dies waits for the new one.
    this.ready = (async () => {
      if (old) await old.terminate();
      await this.spawn();
    })();
    this.ready.catch(() => undefined);
  }

  private async send(q: Query, timeoutMs = this.opts.queryTimeoutMs): Promise<unknown> {
    if (this.closed) throw new DbQueryError('database is closed');
    await this.ready;
    if (!this.worker) throw new DbQueryError('embedded database is not running');
    return this.post(this.worker, q, timeoutMs);
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction.getStore()) {
      // On one connection this would wait for itself forever; on PostgreSQL it would silently
      // run outside the transaction. Either way it is a bug in the caller: say so.
      throw new DbQueryError('a query outside the transaction was issued from inside a transaction (use the tx handle)');
    }
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise((r) => (release = r));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private direct(): PgliteLikeClient {
    return {
      query: (sql, params, options) =>
        this.send({ type: 'query', sql, params: params ?? [], rowMode: options?.rowMode ?? 'object', raw: Boolean(options?.parsers) }) as Promise<QueryResult>,
      exec: (sql) => this.send({ type: 'exec', sql }) as Promise<QueryResult[]>,
      transaction: (fn) => fn(this.direct()), // nested: drizzle uses savepoints through query()
    };
  }

  query(sql: string, params?: unknown[], options?: { rowMode?: 'array' | 'object'; parsers?: unknown }): Promise<QueryResult> {
    return this.withLock(() => this.direct().query(sql, params, options));
  }

  exec(sql: string): Promise<QueryResult[]> {
    return this.withLock(() => this.direct().exec(sql));
  }

  /** Runs SQL with its own time limit (bulk loads, migrations). */
  execLong(sql: string, timeoutMs: number): Promise<QueryResult[]> {
    return this.withLock(() => this.send({ type: 'exec', sql }, timeoutMs) as Promise<QueryResult[]>);
  }

  transaction<T>(fn: (tx: PgliteLikeClient) => Promise<T>): Promise<T> {
    return this.withLock(async () => {
      const generation = this.generation;
      const tx = this.direct();
      await tx.exec('BEGIN');
      try {
        const result = await this.inTransaction.run(true, () => fn(tx));
        await tx.exec('COMMIT');
        return result;
      } catch (e) {
        // After a restart the new worker has no open transaction: nothing to roll back there.
        if (generation === this.generation) await tx.exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.withLock(async () => {
      this.closed = true;
      const worker = this.worker;
      if (worker) {
        await this.post(worker, { type: 'close' }, 10_000).catch(() => undefined);
        this.generation++;
        await worker.terminate();
      }
    });
  }
}

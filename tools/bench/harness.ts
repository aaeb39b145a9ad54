/**
 * Shared pieces of the benchmarks: the module contract run.ts drives, timing loops, percentiles
 * and a plain-text table. Every figure is meant to be read as a ratio against a baseline measured
 * in the same run — absolute numbers on a shared 2-core machine move from run to run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** One benchmark; run.ts runs the list in order and writes `json` to results/<name>.json. */
export interface BenchModule {
  name: string;
  description: string;
  /** Prints its own report; throws on a failed correctness check (run.ts then exits 1). */
  run(): Promise<BenchResult>;
}

export interface BenchResult {
  /** Set when a comparison could not be made (e.g. the baseline is not installed); not a failure. */
  skipped?: string;
  json: Record<string, unknown>;
}

export interface Machine {
  os: string;
  cpu: string;
  cores: number;
  node: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return { os: `${os.type()} ${os.release()} ${os.arch()}`, cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, node: process.version };
}

/**
 * CPU time spent so far, in seconds: by this process (all its threads: servers, load generator)
 * and by every process named `postgres` on this machine (the server and its backends), read from
 * /proc (utime + stime + cutime + cstime in USER_HZ = 100 ticks per second, what Linux reports to user space).
 * `postgres` is null where /proc is not there or no such process is visible (a remote server).
 */
export interface CpuSnapshot {
  node: number;
  postgres: number | null;
}

export function cpuSnapshot(): CpuSnapshot {
  const u = process.cpuUsage();
  let postgres: number | null = null;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended between the listing and the read
      }
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' '); // fields[0] is the state, the 3rd field of the line
      // utime + stime, and cutime + cstime: the CPU of children that ended and were reaped (backends
      // that closed count in the postmaster's), so the sum only grows.
      postgres = (postgres ?? 0) + (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
    }
  } catch {
    postgres = null;
  }
  return { node: (u.user + u.system) / 1e6, postgres };
}

/** CPU milliseconds per operation between two snapshots (postgres null when either side lacks it). */
export function cpuPerOp(before: CpuSnapshot, after: CpuSnapshot, ops: number): { nodeMs: number; postgresMs: number | null } {
  return {
    nodeMs: ((after.node - before.node) * 1000) / ops,
    postgresMs: before.postgres === null || after.postgres === null ? null : ((after.postgres - before.postgres) * 1000) / ops,
  };
}

/** Aborted by run.ts on SIGINT/SIGTERM: timing loops then throw, so every `finally` cleans up. */
export const interrupt = new AbortController();
const checkInterrupt = () => {
  if (interrupt.signal.aborted) throw new Error('interrupted');
};

/** Throughput and latency of one measured pass. Latencies in milliseconds. */
export interface Pass {
  ops: number;
  seconds: number;
  opsPerSec: number;
  latenciesMs: Float64Array;
}

/** Runs `fn(i)` for i in [0, n) one after the other, timing each call. */
export function timeSync(n: number, fn: (i: number) => unknown): Pass {
  const lat = new Float64Array(n);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) checkInterrupt();
    const t = performance.now();
    fn(i);
    lat[i] = performance.now() - t;
  }
  return pass(n, performance.now() - start, lat);
}

/** Runs `fn(i)` for i in [0, n) with `concurrency` calls in flight (1 = sequential), timing each call. */
export async function timeAsync(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<Pass> {
  const lat = new Float64Array(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      checkInterrupt();
      const t = performance.now();
      await fn(i);
      lat[i] = performance.now() - t;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return pass(n, performance.now() - start, lat);
}

function pass(n: number, ms: number, latenciesMs: Float64Array): Pass {
  return { ops: n, seconds: ms / 1000, opsPerSec: n / (ms / 1000), latenciesMs };
}

/** Summary of several passes of the same measurement: median throughput, pooled percentiles. */
export interface Summary {
  opsPerSec: number;
  opsPerSecRounds: number[];
  p50Ms: number;
  p99Ms: number;
}

export function summarize(passes: Pass[]): Summary {
  const all = new Float64Array(passes.reduce((s, p) => s + p.latenciesMs.length, 0));
  let o = 0;
  for (const p of passes) {
    all.set(p.latenciesMs, o);
    o += p.latenciesMs.length;
  }
  all.sort();
  const rounds = passes.map((p) => p.opsPerSec);
  return { opsPerSec: median(rounds), opsPerSecRounds: rounds.map(Math.round), p50Ms: quantile(all, 0.5), p99Ms: quantile(all, 0.99) };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Nearest-rank quantile of an ascending array. */
function quantile(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Times one call in milliseconds. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

/** Formats a number with about three significant digits, grouping thousands. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A left-aligned first column and right-aligned others, separated by two spaces. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

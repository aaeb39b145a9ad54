import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';
import { openDatabase, rows, type Database } from './open.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const openTs = fileURLToPath(new URL('./open.ts', import.meta.url));

let root: string;
let n = 0;
const freshDir = () => join(root, `d${++n}`);
const lockFile = (dir: string) => join(dir, 'wangge.lock');
const readLock = (dir: string) => JSON.parse(readFileSync(lockFile(dir), 'utf8')) as { pid: number; host: string; since: string };

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'wangge-lock-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Runs a process to its end; resolves with its exit code and output. */
function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return new Promise<{ code: number | null; pid: number; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, pid: child.pid!, stdout, stderr }));
  });
}

describe('lockDataDir', () => {
  it('creates the directory and a lock file holding this pid and host', () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    try {
      expect(readLock(dir)).toMatchObject({ pid: process.pid, host: hostname() });
      expect(Number.isNaN(Date.parse(readLock(dir).since))).toBe(false);
    } finally {
      release();
    }
  });

  it('refuses a second lock in the same process', () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(/this process already opened it/);
      expect(readLock(dir).pid).toBe(process.pid); // the failed attempt did not disturb the lock
    } finally {
      release();
    }
  });

  it('release removes the file, and the directory can be locked again', () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    expect(existsSync(lockFile(dir))).toBe(true);
    release();
    expect(existsSync(lockFile(dir))).toBe(false);
    release(); // idempotent
    const again = lockDataDir(dir);
    expect(existsSync(lockFile(dir))).toBe(true);
    again();
  });

  // release() must also remove its exit listener, or repeated open/close leaks listeners.
  it('release also removes its exit hook (no listener leak on repeated open/close)', () => {
    const dir = freshDir();
    const before = process.listenerCount('exit');
    for (let i = 0; i < 3; i++) lockDataDir(dir)();
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('release leaves a lock file that belongs to another process alone', () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    writeFileSync(lockFile(dir), JSON.stringify({ pid: process.pid + 1_000_000, host: hostname(), since: 'x' }));
    release();
    expect(existsSync(lockFile(dir))).toBe(true);
  });

  it('takes over a lock left by a dead process', async () => {
    const dead = await run(process.execPath, ['-e', '']);
    expect(dead.code).toBe(0);
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(lockFile(dir), JSON.stringify({ pid: dead.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const release = lockDataDir(dir);
    try {
      expect(readLock(dir).pid).toBe(process.pid);
    } finally {
      release();
    }
  });

  it('takes over an unreadable lock file', () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(lockFile(dir), 'not json');
    const release = lockDataDir(dir);
    expect(readLock(dir).pid).toBe(process.pid);
    release();
  });

  describe('with a live foreign process', () => {
    let sleeper: ChildProcess;
    beforeAll(async () => {
      sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
      await new Promise<void>((ok, fail) => {
        sleeper.once('spawn', ok);
        sleeper.once('error', fail);
      });
    });
    afterAll(async () => {
      if (sleeper.exitCode === null && sleeper.signalCode === null) {
        const exited = new Promise((ok) => sleeper.once('exit', ok));
        sleeper.kill();
        await exited;
      }
    });

    it('refuses, naming the pid that holds the directory', () => {
      const dir = freshDir();
      mkdirSync(dir, { recursive: true });
      const since = '2026-03-02T02:00:00.000Z';
      writeFileSync(lockFile(dir), JSON.stringify({ pid: sleeper.pid, host: hostname(), since }));
      let err: unknown;
      try {
        lockDataDir(dir)();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataDirLockedError);
      const message = (err as Error).message;
      expect(message).toContain(`pid ${sleeper.pid}`);
      expect(message).toContain(since);
      expect(message).toContain(resolve(dir));
      expect(message).toContain('DATA_DIR');
      expect(readLock(dir).pid).toBe(sleeper.pid); // the foreign lock is left in place
    });

    it('refuses a lock from another host, whose pid cannot be checked from here', () => {
      const dir = freshDir();
      mkdirSync(dir, { recursive: true });
      // A dead pid on this machine, but the lock names another host (a shared volume).
      writeFileSync(lockFile(dir), JSON.stringify({ pid: 999_999_999, host: `not-${hostname()}`, since: 'x' }));
      expect(() => lockDataDir(dir)).toThrow(/pid 999999999/);
    });
  });
});

// The embedded database's directory lock, seen from a second process. On PostgreSQL there is no
// data directory (the server owns its files and takes many connections), so this is PGlite only.
describe.skipIf(!!process.env.DATABASE_URL)('a second process opening the same PGlite data directory', () => {
  let dir: string;
  let database: Database | null = null;

  beforeAll(async () => {
    dir = freshDir();
    database = await openDatabase({ dataDir: dir, timeZone: 'Asia/Shanghai', queryTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('exits non-zero with the lock message while this process holds it', async () => {
    const script = `
      const { openDatabase } = await import(${JSON.stringify(openTs)});
      const db = await openDatabase({ dataDir: ${JSON.stringify(dir)}, timeZone: 'Asia/Shanghai', queryTimeoutMs: 60000 });
      await db.close();
      console.log('OPENED');
    `;
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const child = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, env });
    expect(child.stdout).not.toContain('OPENED');
    expect(child.code).not.toBe(0);
    expect(child.stderr).toContain('DataDirLockedError');
    expect(child.stderr).toContain('in use by another Wangge process');
    expect(child.stderr).toContain(`pid ${process.pid}`);
    // The refused process did not touch our lock, and our database still answers.
    expect(readLock(dir).pid).toBe(process.pid);
    expect(await rows<{ one: number }>(database!.db, sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it('close() releases the directory', async () => {
    await database!.close();
    database = null;
    expect(existsSync(lockFile(dir))).toBe(false);
    const release = lockDataDir(dir);
    release();
  });
});

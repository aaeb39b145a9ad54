import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { LocatorCache, systemClock, type AuthDeps, type Clock, type PasswordHasher } from '@wangge/core';
import { createStore, FieldCrypto, openDatabase, type Database } from '@wangge/db';
import type { Config } from './config.ts';
import { argon2Hasher } from './hasher.ts';
import { loadSecretKey } from './secrets.ts';

export const version: string = (JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({ level: config.LOG_LEVEL, base: { app: 'wangge' }, redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.newPassword', '*.currentPassword'] });
}

export function authDepsOf(config: Config, store: AuthDeps['store'], hasher: PasswordHasher, clock: Clock): AuthDeps {
  return {
    store, hasher, clock,
    config: {
      sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
      sessionMaxHours: config.SESSION_MAX_HOURS,
      passwordMaxAgeDays: config.PASSWORD_MAX_AGE_DAYS,
      lockout: { maxFailures: config.LOGIN_MAX_FAILURES, lockMinutes: config.LOGIN_LOCK_MINUTES },
    },
  };
}

/** Opens the configured database (applying migrations) and wires the store. Used by the server and the CLI. */
export async function openRuntime(config: Config, logger: Logger, opts: { hasher?: PasswordHasher; clock?: Clock } = {}) {
  const database: Database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    timeZone: config.TIME_ZONE,
    queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
    poolSize: config.DB_POOL_SIZE,
    onWarning: (m) => logger.warn(m),
  });
  const crypto = new FieldCrypto(loadSecretKey(config).key, config.FIELD_CIPHER);
  const store = createStore(database, crypto);
  const hasher = opts.hasher ?? argon2Hasher;
  const clock = opts.clock ?? systemClock;
  return {
    database, store, hasher, clock, crypto,
    auth: authDepsOf(config, store, hasher, clock),
    grids: { store, clock, toleranceM2: config.GRID_COVER_TOLERANCE_M2, locators: new LocatorCache() },
  };
}

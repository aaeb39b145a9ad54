import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import {
  CalendarCache, CaseNumbers, ReferenceCache, cases, DictCache, LocatorCache, type RegistryDeps, parseWorkingHours, systemClock, type AttachmentDeps, type AuthDeps, type CaseDeps, type Clock, type NotifyDeps,
  type PasswordHasher, type Store, type Tokens,
} from '@wangge/core';
import { createStore, FieldCrypto, idAreaChecker, openDatabase, type Database } from '@wangge/db';
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

/** Tracking codes residents use to follow their case: 8 characters without look-alikes (0/O, 1/I), stored only as a hash. */
export const tokens: Tokens = {
  newCode: () => Array.from({ length: 8 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[randomInt(32)]).join(''),
  hash: (code) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex'),
  matches: (code, hash) => {
    const a = Buffer.from(tokens.hash(code), 'hex');
    const b = Buffer.from(hash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  },
};

/** The use-cases' dependencies, wired the same way for the server, the CLI and the tests. */
export function domainDepsOf(config: Config, store: Store, clock: Clock, knownIdArea?: (code6: string) => boolean) {
  const locators = new LocatorCache();
  const caseDeps: CaseDeps = {
    store, clock, locators, tokens,
    calendars: new CalendarCache(config.TIME_ZONE, parseWorkingHours(config.WORKING_HOURS)),
    reference: new ReferenceCache(), numbers: new CaseNumbers(),
    config: {
      timeZone: config.TIME_ZONE, workingPeriods: parseWorkingHours(config.WORKING_HOURS), dueSoonPercent: config.CASE_DUE_SOON_PERCENT,
      duplicateRadiusM: config.DUPLICATE_RADIUS_M, duplicateWindowDays: config.DUPLICATE_WINDOW_DAYS,
    },
  };
  const attachments: AttachmentDeps = { store, clock, canReadCase: (actor, caseId, eventSeq) => cases.canReadCase(caseDeps, actor, caseId, eventSeq ?? null) };
  const notify: NotifyDeps = { store, clock, webhookTargets: config.WEBHOOK_TARGETS };
  const registry: RegistryDeps = { store, clock, timeZone: config.TIME_ZONE, locators, dicts: new DictCache(), ...(knownIdArea ? { knownIdArea } : {}) };
  return { grids: { store, clock, toleranceM2: config.GRID_COVER_TOLERANCE_M2, locators }, cases: caseDeps, attachments, notify, registry };
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
    ...domainDepsOf(config, store, clock, await idAreaChecker()),
  };
}

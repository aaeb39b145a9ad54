import { z } from 'zod';
import { parseWorkingHours, WEBHOOK_TARGETS } from '@wangge/core';
import { dbConfigSchema } from '@wangge/db';
import { audit } from '@wangge/core';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The HTTP server's fragment. */
export const httpConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port.'),
  HOST: z.string().default('0.0.0.0').describe('Interface to listen on (0.0.0.0 = all; 127.0.0.1 = this machine only).'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  TIME_ZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'unknown IANA time zone')
    .describe('Time zone in which times are shown and working time is computed.'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576).describe('Largest JSON request body accepted.'),
  TRUST_PROXY: bool.default(false).describe('Trust X-Forwarded-* headers (set when behind a reverse proxy).'),
  COOKIE_SECURE: bool.default(false).describe('Mark the session cookie Secure (set when served over HTTPS).'),
  LOAD_DEMO: bool.default(true).describe('Load the demo area, grids and accounts when the database is empty.'),
});

/** The auth module's fragment (等保 level 3 defaults). */
export const authConfigSchema = z.object({
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30).describe('Idle time after which a session ends.'),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(12).describe('Longest a session lives, active or not.'),
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(90).describe('Age after which users are asked to change their password.'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5).describe('Failed logins in a row that lock an account.'),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15).describe('How long a locked account stays locked.'),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20).describe('Login attempts allowed per client address per minute.'),
});

/** The audit module's fragment. */
export const auditConfigSchema = z.object({
  AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(audit.AUDIT_MIN_RETENTION_DAYS, `must be at least ${audit.AUDIT_MIN_RETENTION_DAYS} days (Cybersecurity Law: six months)`)
    .default(180)
    .describe('Days audit rows are kept (at least 180).'),
  AUDIT_SEAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000)
    .describe('How often new audit rows are sealed into the hash chain (milliseconds; ADR 0005).'),
});

/** Secrets: the key for field encryption and signing. */
export const secretConfigSchema = z.object({
  SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')
    .optional()
    .describe('32-byte key (64 hex) for field encryption and signatures. Unset: read from SECRET_KEY_FILE, generated there on first start.'),
  SECRET_KEY_FILE: z.string().optional().describe('File holding the key; default DATA_DIR/secret.key (mode 600, never commit it).'),
  FIELD_CIPHER: z.enum(['aes-256-gcm', 'sm4']).default('aes-256-gcm').describe('Cipher for personal fields at rest: AES-256-GCM, or SM4-CBC + HMAC-SM3 (密评).'),
});

/** The grids module's fragment. */
export const gridsConfigSchema = z.object({
  GRID_COVER_TOLERANCE_M2: z.coerce.number().min(0).max(10_000).default(1).describe('Gaps and overlaps between grids smaller than this many m² are ignored by the seamless-cover check.'),
  MAP_TILE_URL: z.string().max(500).optional().describe('Raster tile URL template for the map background (e.g. 天地图 with your key); unset: our own layers on a plain background.'),
});

/** The cases module's fragment. */
export const casesConfigSchema = z.object({
  WORKING_HOURS: z.string().regex(/^\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*(,\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*)*$/, 'HH:MM-HH:MM[,HH:MM-HH:MM…]').default('09:00-12:00,13:30-17:30')
    .refine((v) => {
      try {
        parseWorkingHours(v);
        return true;
      } catch {
        return false;
      }
    }, 'working periods must be real times, sorted and not overlapping')
    .describe('Working periods of a working day; case time limits in 工作时/工作日 count only these.'),
  CASE_DUE_SOON_PERCENT: z.coerce.number().int().min(1).max(90).default(20).describe('A case is "due soon" when less than this share of its time limit is left (supervision sweep).'),
  CASE_SWEEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(5).describe('How often the supervision sweep looks for cases due soon and overdue.'),
  DUPLICATE_RADIUS_M: z.coerce.number().min(10).max(5000).default(300).describe('Open cases within this distance are suggested as possible duplicates at intake.'),
  DUPLICATE_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7).describe('Open cases reported within this many days are suggested as possible duplicates.'),
  ATTACHMENT_MAX_MB: z.coerce.number().min(1).max(50).default(10).describe('Largest photo or voice note accepted, in MB.'),
  ATTACHMENT_UNLINKED_HOURS: z.coerce.number().int().min(1).max(720).default(24)
    .describe('Uploads never attached to a case are deleted by the daily housekeeping after this many hours.'),
  WEBHOOK_TARGETS: z.enum(WEBHOOK_TARGETS).default('public')
    .describe('Where webhooks may be sent: public addresses only; private (also 10/8, 172.16/12, 192.168/16, e.g. 政务外网); any (also loopback and link-local: development only).'),
});

/** The registry import's fragment (Excel/CSV imports of the ledgers). */
export const registryImportConfigSchema = z.object({
  REGISTRY_IMPORT_MAX_MB: z.coerce.number().positive().max(2048).default(200).describe('Largest registry import file accepted (.xlsx or .csv), in MB; larger uploads are refused with 413.'),
  REGISTRY_IMPORT_BATCH: z.coerce.number().int().min(10).max(5000).default(1000).describe('Rows a registry import writes per transaction (one audit row each).'),
});

export const configSchema = httpConfigSchema.extend(dbConfigSchema.shape).extend(authConfigSchema.shape).extend(auditConfigSchema.shape).extend(secretConfigSchema.shape).extend(gridsConfigSchema.shape).extend(casesConfigSchema.shape).extend(registryImportConfigSchema.shape);
export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the whole environment at once and lists every problem, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') input[key] = v;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(input[String(i.path[0])] ?? null)})`));
  }
  return parsed.data;
}

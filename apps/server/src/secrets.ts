import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from './config.ts';

/**
 * The 32-byte secret key: SECRET_KEY if given, else the key file (generated with mode 600 on
 * first start). It lives beside the data, never in the repository.
 */
export function loadSecretKey(config: Config): { key: Buffer; source: string } {
  if (config.SECRET_KEY) return { key: Buffer.from(config.SECRET_KEY, 'hex'), source: 'SECRET_KEY' };
  const file = resolve(config.SECRET_KEY_FILE ?? join(config.DATA_DIR, 'secret.key'));
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`${file} does not hold a 64-hex-character key`);
    return { key: Buffer.from(hex, 'hex'), source: file };
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return { key, source: `${file} (generated)` };
}

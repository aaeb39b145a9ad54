import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'];

/**
 * Whether browser tests can run here. In CI a missing Chromium is a failure (the tests run and
 * fail to launch); elsewhere they are skipped with a message saying why.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) return true;
  process.stderr.write(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-cjk), and not in CI\n`);
  return false;
}

export async function launch(): Promise<BrowserContext> {
  const dir = mkdtempSync(join(tmpdir(), 'wangge-chromium-'));
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, args: FLAGS, headless: true, locale: 'zh-CN', viewport: { width: 1366, height: 860 },
  });
}

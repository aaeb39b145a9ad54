import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

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

/** Starts `app` on a free loopback port; its base URL. */
export async function listen(app: { listen(o: { port: number; host: string }): Promise<unknown>; server: { address(): unknown } }): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address() as { port: number } | null;
  return `http://127.0.0.1:${addr ? addr.port : 0}`;
}

/**
 * A new page with generous time limits (CI runs browser tests beside database-heavy files on two
 * cores) whose page errors and console errors go into `errors`, each after `prefix`. The console
 * asks who is signed in first: that 401 is the expected answer, not an error.
 */
export async function watchedPage(browser: BrowserContext, errors: string[], prefix = ''): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(60_000);
  page.on('pageerror', (error) => errors.push(`${prefix}pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 401/.test(msg.text())) errors.push(`${prefix}console: ${msg.text()}`);
  });
  return page;
}

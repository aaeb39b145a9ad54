/**
 * The console in Chromium, as a new user meets it: the zh-CN login page with its English
 * switch, sign-in with a demo account, the area tree showing 东大街街道 and its 7 communities.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO } from '@wangge/db';
import { startTestApp, type TestApp } from '../../server/src/testing/test-app.ts';
import { browserAvailable, launch, listen } from './browser.ts';

const webDist = fileURLToPath(new URL('../dist', import.meta.url));
const shots = fileURLToPath(new URL('../../../test-results/', import.meta.url));

describe.runIf(browserAvailable())('console in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp({}, { webDist });
    base = await listen(t.app);
    browser = await launch();
    page = await browser.newPage();
    // Generous: CI runs this beside database-heavy test files on two cores.
    page.setDefaultTimeout(60_000);
    page.setDefaultNavigationTimeout(60_000);
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the Chinese login page and switches it to English and back', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByTestId('login-submit').waitFor();
    expect(await page.getByTestId('login-submit').innerText()).toMatch(/登\s*录/);
    await page.getByTestId('lang-switch').getByText('English', { exact: true }).click();
    await expect.poll(async () => page.getByTestId('login-submit').innerText()).toMatch(/Sign in|Log in/i);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByTestId('lang-switch').getByText('中文', { exact: true }).click();
    await expect.poll(async () => page.getByTestId('login-submit').innerText()).toMatch(/登\s*录/);
  });

  it('refuses a wrong password with the server’s message', async () => {
    await page.fill('#username', 'admin');
    await page.fill('#password', 'Wrong#pass1');
    await page.getByTestId('login-submit').click();
    await page.getByText('用户名或密码错误').waitFor();
  });

  it('signs in as a demo user and sees 东大街街道 with its 7 communities in the area tree', async () => {
    await page.fill('#username', 'admin');
    await page.fill('#password', DEMO.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    if (!page.url().includes('/areas')) await page.goto(`${base}/areas`);
    const street = page.getByTestId('area-node-610702002');
    await street.waitFor({ timeout: 30_000 });
    expect(await street.innerText()).toContain('东大街街道');
    const communities = page.locator('[data-testid^="area-node-610702002"]').filter({ hasText: '居委会' });
    await expect.poll(() => communities.count(), { timeout: 30_000 }).toBe(7);
    expect(await communities.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('莲湖居委会')]));
    await page.screenshot({ path: `${shots}/area-tree.png`, fullPage: true });
  });

  it('opens a community and shows its grids with 15-digit codes', async () => {
    await page.getByTestId('area-node-610702002001').click();
    await page.getByText('610702002001', { exact: false }).first().waitFor();
    const grids = page.locator('[data-testid^="area-node-610702002001"]').filter({ hasText: '网格' });
    // expanding the community (clicking its switcher) lists its grids
    await page.locator('.ant-tree-treenode', { has: page.getByTestId('area-node-610702002001') }).locator('.ant-tree-switcher').click();
    await expect.poll(() => grids.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
  });
});

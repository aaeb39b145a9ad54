/**
 * The case settings and the public tracking page in Chromium: an administrator opens 事件配置,
 * sees the seeded category tree (市容环境 › 暴露垃圾, 4 工作时), adds a routing rule, reads the 2026
 * working calendar (春节, the 调休 Saturday 2026-02-14) and sees it all in English; a resident on a
 * phone gets the server's message for a wrong tracking code, and follows and rates a real case.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { CaseDetail, CategoryView } from '@wangge/contracts';
import { DEMO } from '@wangge/db';
import { startTestApp, type TestApp } from '../../server/src/testing/test-app.ts';
import { browserAvailable, launch, listen } from './browser.ts';

const webDist = fileURLToPath(new URL('../dist', import.meta.url));
const shots = fileURLToPath(new URL('../../../test-results/', import.meta.url));

describe.runIf(browserAvailable())('case settings and case tracking in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: BrowserContext;
  let page: Page;
  let tracked: { no: string; code: string };
  const errors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({}, { webDist });
    base = await listen(t.app);

    // A case a grid worker settled on the spot, with the tracking code the resident got by SMS.
    const headers = await t.login('gridworker');
    const categories = (await t.app.inject({ method: 'GET', url: '/api/case-categories', headers })).json() as { items: CategoryView[] };
    const category = categories.items.find((c) => c.code === 'SJ0102')!;
    const res = await t.app.inject({
      method: 'POST', url: '/api/cases', headers,
      payload: {
        source: 'resident', categoryId: category.id, description: '小区门口垃圾堆积三天无人清理', gridId: await t.areaIdByCode('610702002001001'),
        reporterName: '李女士', reporterPhone: '13800138000', settleNote: '已联系保洁当场清理',
      },
    });
    expect(res.statusCode).toBe(201);
    const made = res.json() as CaseDetail;
    tracked = { no: made.no, code: made.trackingCode! };

    browser = await launch();
    page = await browser.newPage();
    // Generous: CI runs this beside database-heavy test files on two cores.
    page.setDefaultTimeout(60_000);
    page.setDefaultNavigationTimeout(60_000);
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the seeded category tree: 市容环境 › 暴露垃圾 with 4 工作时 for normal cases', async () => {
    await page.goto(`${base}/login`);
    await page.fill('#username', 'admin');
    await page.fill('#password', DEMO.password);
    await page.getByTestId('login-submit').click();
    // The area page opens the tree to the user's street first and then puts it in the URL; leaving before
    // that happens would be undone by it (the page writes ?area= to the URL it started on).
    await page.waitForURL(/\/areas\?area=/);
    await page.getByTestId('nav-case-config').click();
    await page.waitForURL(/\/case-config/);

    const top = page.getByTestId('category-row-SJ01');
    await top.waitFor();
    expect(await top.innerText()).toContain('市容环境');
    await top.locator('.ant-table-row-expand-icon').click();
    const leaf = page.getByTestId('category-row-SJ0102');
    await leaf.waitFor();
    expect(await leaf.innerText()).toContain('暴露垃圾');
    expect(await page.getByTestId('category-limit-SJ0102-normal').innerText()).toBe('4 工作时');
    expect(await page.getByTestId('category-limit-SJ0102-urgent').innerText()).toBe('1 工作时');
    await page.screenshot({ path: `${shots}/case-config-categories.png` });
  });

  it('adds a routing rule and lists it in the order rules are tried', async () => {
    await page.getByTestId('case-config-tab-rules').click();
    await page.getByTestId('rule-explain').waitFor();
    await page.getByTestId('rule-add').click();

    await page.locator('#rule_seq').fill('5');
    await page.locator('#rule_categoryId').click();
    await page.locator('#rule_categoryId').fill('暴露垃圾');
    await page.locator('.ant-select-tree-node-content-wrapper').filter({ hasText: '暴露垃圾' }).first().click();
    await page.locator('#rule_unitId').click();
    await page.locator('#rule_unitId').fill('莲湖居委会');
    await page.locator('.ant-select-item-option-active').filter({ hasText: '莲湖居委会' }).waitFor();
    await page.locator('#rule_unitId').press('Enter');
    await page.locator('#rule_name').fill('E2E 暴露垃圾 → 莲湖');
    await page.getByTestId('rule-submit').click();

    const row = page.getByTestId('rule-row-5');
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('E2E 暴露垃圾 → 莲湖');
    expect(text).toContain('市容环境 › 暴露垃圾');
    expect(text).toContain('莲湖居委会');
    expect(text).toContain('任意区域');
    // Lowest number first: the new rule (5) comes before the seeded ones (10, 20, …).
    const first = page.getByTestId('rule-table').locator('tbody tr[data-testid^="rule-row-"]').first();
    expect(await first.getAttribute('data-testid')).toBe('rule-row-5');
    await page.screenshot({ path: `${shots}/case-config-rules.png` });
  });

  it('shows the 2026 calendar with 春节 and the 调休 Saturday 2026-02-14', async () => {
    await page.getByTestId('case-config-tab-calendar').click();
    const year = page.getByTestId('calendar-year');
    await year.waitFor();
    await year.click();
    await year.fill('2026');
    await year.press('Enter');
    const saturday = page.getByTestId('calendar-day-2026-02-14');
    await saturday.waitFor();
    const text = await saturday.innerText();
    expect(text).toContain('周六');
    expect(text).toContain('调休上班');
    expect(text).toContain('春节调休');
    expect(await page.getByTestId('calendar-day-2026-02-17').innerText()).toContain('春节');
    expect(await page.getByTestId('calendar-hours').innerText()).toContain('420');
    expect(await page.getByTestId('calendar-unpublished').count()).toBe(0);
    await page.screenshot({ path: `${shots}/case-config-calendar.png` });
  });

  it('shows the page in English', async () => {
    await page.getByTestId('lang-switch').getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByTestId('case-config-tab-calendar').innerText()).toBe('Working calendar');
    const saturday = page.getByTestId('calendar-day-2026-02-14');
    await expect.poll(() => saturday.innerText()).toContain('Make-up working day');
    expect(await saturday.innerText()).toContain('Sat');
    expect(await saturday.innerText()).toContain('Spring Festival');
    expect(await page.getByTestId('case-config-tab-categories').innerText()).toBe('Categories');
    expect(await page.getByTestId('case-config-tab-rules').innerText()).toBe('Routing rules');
    await page.getByTestId('case-config-tab-categories').click();
    await page.getByTestId('category-row-SJ01').waitFor();
    expect(await page.getByTestId('category-row-SJ01').innerText()).toContain('City appearance');
    await page.screenshot({ path: `${shots}/case-config-en.png` });
    await page.getByTestId('lang-switch').getByText('中文', { exact: true }).click();
    await expect.poll(() => page.getByTestId('case-config-tab-categories').innerText()).toBe('事件分类');
  });

  it('answers a wrong tracking code on /track with the server’s message, on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/track`);
    await page.getByTestId('lang-switch').getByText('中文', { exact: true }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.locator('#track_no').fill(tracked.no);
    await page.locator('#track_code').fill('WRONG234');
    await page.getByTestId('track-submit').click();
    const error = page.getByTestId('track-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('事件编号或查询码不正确');
    expect(await page.getByTestId('track-result').count()).toBe(0);
    await page.screenshot({ path: `${shots}/track-wrong-code.png`, fullPage: true });
  });

  it('opens a case from its SMS link, shows how it closed and takes the resident’s rating', async () => {
    await page.goto(`${base}/track?no=${tracked.no}&code=${tracked.code.toLowerCase()}`);
    const state = page.getByTestId('track-state');
    await state.waitFor();
    expect(await state.innerText()).toBe('就地解决');
    expect(await page.getByTestId('track-steps').innerText()).toContain('上报');
    await page.getByTestId('track-rating-satisfied').click();
    await page.getByTestId('track-rate-submit').click();
    const rated = page.getByTestId('track-rated');
    await rated.waitFor();
    expect(await rated.innerText()).toContain('您的评价：满意');
    expect(await state.innerText()).toBe('已评价');
    await page.screenshot({ path: `${shots}/track-rated.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});

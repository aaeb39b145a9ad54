/**
 * The registry (台账) in Chromium, as a community worker keeps it: a new household placed in its
 * grid, a member added to it with a real ID number (the date of birth and sex come from the
 * number), the full number shown after a confirmation that the view is recorded, the person found
 * by a two-character name and by pinyin initials, a CSV import with a refused row rolled back, and
 * the person counted in the live summary.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO } from '@wangge/db';
import { startTestApp, type TestApp } from '../../server/src/testing/test-app.ts';
import { browserAvailable, launch, listen, watchedPage } from './browser.ts';

const webDist = fileURLToPath(new URL('../dist', import.meta.url));
const shots = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const COMMUNITY = '610702002001';
const GRID_NAME = '莲湖社区第1网格';
const HOUSEHOLD = 'HT-E2E-0001';
const NAME = '张伟';
/** Generous: CI runs browser files after the others, but still on two slow cores. */
const STEP = 240_000;

/** A resident ID number (GB 11643): 17 digits weighted 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2, the sum mod 11 indexing "10X98765432". */
function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}
/** Born 1990-03-15 in 汉台区 (610702); sequence 123 is odd: a man. */
const ID_NO = idNumber('61070219900315123');

describe.runIf(browserAvailable())('the registry in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  /** Opens the antd Select whose input has `id` and picks the option with exactly `text`. */
  const pick = async (id: string, text: string, type?: string) => {
    await page.locator(`.ant-select:has(#${id})`).click();
    if (type) await page.keyboard.type(type);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${text}$`) }).first().click();
  };

  beforeAll(async () => {
    t = await startTestApp({}, { webDist });
    base = await listen(t.app);
    browser = await launch();
    page = await watchedPage(browser, errors);
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('adds a household in its grid and a member whose birth date and sex come from the ID number', async () => {
    await page.goto(`${base}/registry/households`);
    await page.waitForURL(/\/login/);
    await page.fill('#username', 'community');
    await page.fill('#password', DEMO.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => u.pathname === '/registry/households');
    await page.getByTestId('registry-table').waitFor();

    // A household without a house is placed in the grid the worker names.
    await page.getByTestId('registry-create').click();
    await page.fill('#recordForm_householdNo', HOUSEHOLD);
    await page.locator('.ant-select:has(#recordForm___gridId)').click();
    await page.keyboard.type(GRID_NAME);
    await page.locator('.ant-select-tree-title').filter({ hasText: GRID_NAME }).first().click();
    await pick('recordForm_kind', '家庭户');
    await page.getByTestId('record-form-submit').click();
    await page.getByTestId('record-detail').waitFor();
    await page.getByTestId('record-field-householdNo').filter({ hasText: HOUSEHOLD }).waitFor();
    expect(await page.getByTestId('record-fields').innerText()).toContain(GRID_NAME);

    // Its members are listed in the related tab; a member is added there, already in the household.
    await page.getByTestId('record-tab-related').click();
    await page.getByTestId('related-add-persons').click();
    expect(await page.locator('.ant-select:has(#recordForm_householdId)').innerText()).toContain(HOUSEHOLD);
    await page.fill('#recordForm_name', NAME);
    await page.fill('#recordForm_idNo', ID_NO);
    expect(await page.locator('#recordForm_idNo_extra, .ant-form-item:has(#recordForm_idNo) .ant-form-item-extra').first().innerText()).toContain('出生日期和性别');
    await pick('recordForm_popType', '户籍人口');
    await pick('recordForm_relation', '户主', '户主');
    await page.fill('#recordForm_phone', '13812345678');
    await page.screenshot({ path: `${shots}/registry-person-form.png` });
    await page.getByTestId('record-form-submit').click();

    // The new person opens: date of birth and sex derived, ID number and phone masked.
    await page.getByTestId('record-field-name').filter({ hasText: NAME }).waitFor();
    await page.getByTestId('record-field-birthDate').filter({ hasText: '1990-03-15' }).waitFor();
    expect(await page.getByTestId('record-field-sex').innerText()).toBe('男');
    expect(await page.getByTestId('record-field-householdId').innerText()).toBe(HOUSEHOLD);
    const masked = await page.getByTestId('masked-idNo').innerText();
    expect(masked).toContain('*');
    expect(masked).not.toContain(ID_NO);
    expect(masked.slice(-4)).toBe(ID_NO.slice(-4));
  }, STEP);

  it('shows the full ID number only after a confirmation that the view is recorded', async () => {
    await page.getByTestId('reveal-idNo').click();
    const dialog = page.locator('.ant-modal-confirm');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('记录');
    await page.getByTestId('reveal-confirm').click();
    await page.getByTestId('revealed-idNo').filter({ hasText: ID_NO }).waitFor();
    await page.screenshot({ path: `${shots}/registry-person-revealed.png` });

    // The reveal is in the audit log (read by the administrator).
    const headers = await t.login('admin');
    const audit = await t.app.inject({ method: 'GET', url: '/api/audit?action=registry.reveal', headers });
    expect(audit.statusCode).toBe(200);
    expect((audit.json() as { total: number }).total).toBeGreaterThanOrEqual(1);
  }, STEP);

  it('finds the person by a two-character name and by pinyin initials, and opens them', async () => {
    for (const [q, how] of [[NAME, 'name'], ['zw', 'pinyin']] as const) {
      await page.goto(`${base}/registry/search?q=${encodeURIComponent(q)}`);
      const matched = page.locator(`[data-testid="person-matched"][data-matched="${how}"]`);
      await matched.waitFor();
      const hits = page.getByTestId('person-hits');
      await hits.getByTestId('hit-name').filter({ hasText: NAME }).first().waitFor();
      expect(await hits.getByTestId('hit-idno').first().innerText()).toContain('*');
    }
    await page.screenshot({ path: `${shots}/registry-search.png` });
    await page.getByTestId('person-hits').getByTestId('hit-name').filter({ hasText: NAME }).first().click();
    await page.waitForURL(/\/registry\/persons\?open=/);
    await page.getByTestId('record-field-name').filter({ hasText: NAME }).waitFor();
    await page.getByTestId('record-field-birthDate').filter({ hasText: '1990-03-15' }).waitFor();
  }, STEP);

  it('imports people from a CSV: progress, a refused row with its reason, and a rollback', async () => {
    await page.goto(`${base}/registry/imports?ledger=persons`);
    await page.locator('.ant-select:has([data-testid="import-area"]), [data-testid="import-area"]').first().click();
    await page.keyboard.type(GRID_NAME);
    await page.locator('.ant-select-tree-title').filter({ hasText: GRID_NAME }).first().click();
    // Headers may be the field keys; the second row lacks the required population type.
    const csv = `name,idNo,popType\n李娜,${idNumber('61070219850620224')},户籍人口\n王芳,,\n`;
    await page.locator('input[type=file]').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const report = page.locator('[data-testid="import-report"][data-status="done"]');
    await report.waitFor();
    expect(await page.getByTestId('import-count-created').innerText()).toContain('1');
    expect(await page.getByTestId('import-count-failed').innerText()).toContain('1');
    expect(await page.getByTestId('import-rows').innerText()).toContain('2 / 2');
    const refused = await page.getByTestId('import-errors').innerText();
    expect(refused).toContain('3');
    expect(refused).toContain('人口类型');
    await page.screenshot({ path: `${shots}/registry-import.png`, fullPage: true });

    const importId = new URL(page.url()).searchParams.get('import');
    expect(importId).toBeTruthy();
    await page.getByTestId(`import-rollback-${importId}`).click();
    await page.getByTestId('import-rollback-confirm').click();
    await page.locator('[data-testid="import-report"][data-status="rolled_back"]').waitFor();
    const headers = await t.login('community');
    const left = await t.app.inject({ method: 'GET', url: `/api/registry/search?q=${encodeURIComponent('李娜')}`, headers });
    expect((left.json() as { items: unknown[] }).items).toHaveLength(0);
  }, STEP);

  it('counts the person in the live summary of the community', async () => {
    await page.goto(`${base}/registry/summary`);
    await page.getByTestId('summary-as-of').waitFor();
    const cell = page.locator(`[data-testid="summary-row-${COMMUNITY}"] [data-testid="summary-cell-people"]`);
    await cell.waitFor();
    await expect.poll(async () => Number(await cell.innerText())).toBeGreaterThanOrEqual(1);
    // ECharts draws the bars as SVG, the areas on the axis; the pie draws the same area's composition.
    // A bar: a path filled with the first colour of the palette (axis lines are unfilled paths).
    await page.locator('[data-testid="summary-chart"][data-kind="bar"] svg path[fill="#1677ff"]').first().waitFor();
    await page.screenshot({ path: `${shots}/registry-summary.png`, fullPage: true });
    await page.locator('.ant-segmented-item', { hasText: '饼图' }).click();
    await page.locator('[data-testid="summary-chart"][data-kind="pie"] svg path[fill="#1677ff"]').first().waitFor();
    expect(await page.locator('[data-testid="summary-chart"] svg text').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/%/)]));
    expect(errors).toEqual([]);
  }, STEP);
});

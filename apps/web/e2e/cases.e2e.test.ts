/**
 * One case through the console in Chromium, from the intake desk to the resident's rating, each
 * step by the person whose job it is, each in a fresh browser: the command centre registers a
 * hotline call (市容环境 › 暴露垃圾) by clicking its place on the map and dispatches it at once;
 * the city management department receives it and reports back; the grid worker verifies it on
 * site; the command centre closes it and records the caller's rating. The trace shows every step
 * and the state reads 已评价 · 已解决.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { GridMap, LocateResult } from '@wangge/contracts';
import { DEMO } from '@wangge/db';
import { startTestApp, type TestApp } from '../../server/src/testing/test-app.ts';
import { browserAvailable, launch, listen, watchedPage } from './browser.ts';

const webDist = fileURLToPath(new URL('../dist', import.meta.url));
const shots = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const GRID = '610702002001001';
const DESCRIPTION = '小区东门垃圾桶满溢，垃圾堆在路边两天无人清运';
const FEEDBACK = '已协调环卫清运，现场清理完毕';
/** Generous: CI runs browser files after the others, but still on two slow cores. */
const STEP = 240_000;

type Pt = [number, number];

describe.runIf(browserAvailable())('a case from intake to rating in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: BrowserContext | null = null;
  let page: Page;
  let point: Pt | undefined;
  let caseNo = '';
  let caseId = '';
  let trackingCode = '';
  const errors: string[] = [];

  /**
   * Closes the previous user's browser and, in a new one, opens `path`: the console asks for a
   * sign-in and comes back to it, as with a link from a colleague. (Starting from the landing page
   * instead would race it: it moves itself to its first area once its tree has loaded.)
   */
  const signIn = async (username: string, path: string) => {
    await browser?.close();
    browser = await launch();
    page = await watchedPage(browser, errors, `${username} `);
    await page.goto(`${base}${path}`);
    await page.waitForURL(/\/login/);
    await page.fill('#username', username);
    await page.fill('#password', DEMO.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => u.pathname === path);
  };

  /** The state tag in the case header, once it says `state`. */
  const stateIs = (state: string) => page.locator(`[data-testid="case-head"] [data-testid="case-state"][data-state="${state}"]`).waitFor();

  /** Fires an action from the case header: its button, the dialog, an optional note, the confirm button; waits for the new state. */
  const act = async (action: string, to: string, fill?: () => Promise<void>) => {
    await page.getByTestId(`action-${action}`).click();
    await page.locator(`[data-testid="transition-modal"][data-action="${action}"]`).waitFor();
    if (fill) await fill();
    await page.getByTestId('transition-submit').click();
    await stateIs(to);
  };

  /** Signs in at the work queues and opens the case from `queue`. */
  const openFromQueue = async (username: string, queue: string) => {
    await signIn(username, '/cases');
    await page.getByTestId(`case-queue-${queue}`).click();
    await page.locator(`.ant-tabs-tab-active [data-testid="case-queue-${queue}"]`).waitFor();
    await page.getByTestId(`case-link-${caseNo}`).click();
    await page.waitForURL(new RegExp(`/cases/${caseId}$`));
    await page.getByTestId('case-head').waitFor();
  };

  beforeAll(async () => {
    t = await startTestApp({}, { webDist });
    base = await listen(t.app);

    // A point well inside the grid: no other grid's boundary within the 40 m the intake desk checks.
    const headers = await t.login('command');
    const district = await t.areaIdByCode('610702');
    const res = await t.app.inject({ method: 'GET', url: `/api/areas/${district}/grid-map`, headers });
    expect(res.statusCode).toBe(200);
    const grid = (res.json() as GridMap).features.find((f) => f.properties.code === GRID)!;
    const ring: Pt[] = grid.geometry.coordinates[0]!.slice(0, -1).map((p) => [p[0]!, p[1]!]);
    const c: Pt = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
    const candidates: Pt[] = [c, ...[0.2, 0.4].flatMap((f) => ring.map((v): Pt => [c[0] + (v[0] - c[0]) * f, c[1] + (v[1] - c[1]) * f]))];
    for (const p of candidates) {
      const at = await t.app.inject({ method: 'GET', url: `/api/locate?lon=${p[0]}&lat=${p[1]}&nearMetres=40`, headers });
      const r = at.json() as LocateResult;
      if (r.grid?.code === GRID && r.nearBoundary.length === 0) {
        point = p;
        break;
      }
    }
    expect(point, `a point inside ${GRID} away from its boundaries`).toBeDefined();
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('registers a hotline call at the intake desk, placed on the map, and dispatches it at once', async () => {
    await signIn('command', '/intake');

    await page.getByTestId('intake-category').click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: /^市容环境$/ }).click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: /^暴露垃圾$/ }).click();
    expect(await page.getByTestId('intake-category').innerText()).toContain('暴露垃圾');

    // The map of the user's grids, drawn and still: then the point's pixel is where it will stay.
    await page.getByTestId('grid-map').waitFor();
    await page.waitForFunction(() => {
      const map = window.__wanggeMap;
      return map !== undefined && map.loaded() && !map.isMoving() && map.queryRenderedFeatures({ layers: ['grid-fill'] }).length > 0;
    });
    const box = await page.getByTestId('grid-map').boundingBox();
    if (!box) throw new Error('the map is not on the page');
    const px = await page.evaluate(([x, y]) => window.__wanggeMap!.project([x, y]), point!);
    await page.mouse.click(box.x + px.x, box.y + px.y);

    const located = page.locator(`[data-testid="intake-located"][data-code="${GRID}"]`);
    await located.waitFor();
    expect(await located.innerText()).toContain('莲湖居委会');
    expect(await page.getByTestId('boundary-confirm').count()).toBe(0);
    await expect.poll(() => page.getByTestId('route-text').innerText(), { timeout: 60_000 }).toContain('城市管理执法局');

    await page.fill('#intake-description', DESCRIPTION);
    await page.fill('#intake-reporter-name', '王先生');
    await page.fill('#intake-reporter-phone', '13812345678');
    await page.getByTestId('intake-dispatch-now').check();
    await page.screenshot({ path: `${shots}/case-intake.png` });
    await page.getByTestId('intake-submit').click();

    await page.getByTestId('intake-result').waitFor();
    caseNo = (await page.getByTestId('intake-case-no').innerText()).trim();
    trackingCode = (await page.getByTestId('intake-tracking-code').innerText()).trim();
    expect(caseNo).toMatch(/^WG\d{8}\d+$/);
    expect(trackingCode).toMatch(/^[A-Z0-9]{6,}$/);
    expect(await page.getByTestId('intake-result').innerText()).toContain('已派遣');
    await page.screenshot({ path: `${shots}/case-intake-done.png` });

    await page.getByTestId('intake-open-case').click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    caseId = new URL(page.url()).pathname.split('/').at(-1)!;
    await stateIs('dispatched');
    expect(await page.getByTestId('case-grid').innerText()).toContain(GRID);
  }, STEP);

  it('the department receives it from its queue and reports back', async () => {
    await openFromQueue('dept', 'my_pending');
    await act('receive', 'handling');
    await act('feedback', 'handled', () => page.fill('#transition-note', FEEDBACK));
    expect(await page.getByTestId('timeline-feedback').innerText()).toContain(FEEDBACK);
  }, STEP);

  it('the grid worker verifies it on site', async () => {
    await openFromQueue('gridworker', 'to_verify');
    await act('verify_pass', 'verified', () => page.fill('#transition-note', '现场核实已清理'));
  }, STEP);

  it('the command centre closes it and records the caller’s rating; the trace shows every step', async () => {
    await openFromQueue('command', 'to_dispatch');
    await act('close', 'closed');
    expect(await page.locator('[data-testid="case-head"] [data-testid="case-closing"]').innerText()).toBe('已解决');
    await act('rate', 'evaluated', async () => {
      await page.getByTestId('rating-satisfied').click();
      await page.fill('#transition-note', '清理及时，满意');
    });

    const head = page.getByTestId('case-head');
    expect(await head.getByTestId('case-state').innerText()).toBe('已评价');
    expect(await head.getByTestId('case-closing').innerText()).toBe('已解决');
    expect(await page.getByTestId('case-rating').innerText()).toBe('满意');

    const steps: Array<[string, string]> = [
      ['report', '上报'], ['dispatch', '派遣'], ['receive', '签收'], ['feedback', '办结反馈'],
      ['verify_pass', '核查通过'], ['close', '结案销号'], ['rate', '满意度评价'],
    ];
    const timeline = page.getByTestId('case-timeline');
    for (const [action, label] of steps) {
      expect(await timeline.getByTestId(`timeline-${action}`).count(), action).toBe(1);
      expect(await timeline.getByTestId(`timeline-${action}`).innerText()).toContain(label);
    }
    expect(await timeline.getByTestId('timeline-dispatch').innerText()).toContain('汉台区城市管理执法局');
    expect(await timeline.getByTestId('timeline-rate').innerText()).toContain('满意');
    await page.screenshot({ path: `${shots}/case-detail-rated.png`, fullPage: true });

    // The code read to the caller is the real one: the public view answers with it.
    const pub = await t.app.inject({ method: 'GET', url: `/api/public/cases/${caseNo}?code=${trackingCode}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ state: 'evaluated', closingKind: 'solved', rating: 'satisfied' });
    expect(errors).toEqual([]);
  }, STEP);

  it('a department that returned a case reads its trace up to the return, and is told why it ends there', async () => {
    const api = async (username: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
      const res = await t.app.inject({ method, url, headers: await t.login(username), ...(payload ? { payload: payload as never } : {}) });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    const category = (await api('command', 'GET', '/api/case-categories')).items.find((c: { code: string }) => c.code === 'SJ0104').id;
    const c = await api('command', 'POST', '/api/cases', { source: 'hotline', categoryId: category, description: '井盖松动', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
    const back = await api('dept', 'POST', `/api/cases/${c.id}/transitions`, { action: 'return', version: c.version, reason: '属住建局管辖' });
    const zj = (await api('command', 'GET', '/api/handling-units')).items.find((u: { nameZh: string }) => u.nameZh === '汉台区住房和城乡建设局');
    await api('command', 'POST', `/api/cases/${c.id}/transitions`, { action: 'dispatch', version: back.version, unitId: zj.id, note: '改派住建局' });

    await signIn('dept', `/cases/${c.id}`);
    await page.getByTestId('case-head').waitFor();
    const timeline = page.getByTestId('case-timeline');
    await timeline.getByTestId('timeline-end').waitFor();
    expect(await timeline.getByTestId('timeline-end').innerText()).toContain('此后的步骤不向本单位显示');
    expect(await timeline.getByTestId('timeline-return').count()).toBe(1);
    expect(await timeline.getByTestId('timeline-dispatch').count()).toBe(1); // the first dispatch, to this department
    expect(await timeline.innerText()).not.toContain('改派住建局');
    expect(errors).toEqual([]);
  }, STEP);
});

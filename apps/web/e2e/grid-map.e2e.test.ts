/**
 * The grid map in Chromium (WebGL through SwiftShader): the street's grids drawn and coloured,
 * a grid's card, a boundary dragged across a neighbour refused by the cover check, and a new
 * grid drawn inside an existing one previewed as an overlap.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { GridMap } from '@wangge/contracts';
import { DEMO } from '@wangge/db';
import { startTestApp, type TestApp } from '../../server/src/testing/test-app.ts';
import { browserAvailable, launch, listen, watchedPage } from './browser.ts';

const webDist = fileURLToPath(new URL('../dist', import.meta.url));
const shots = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const GRID = '610702002001001';

type Pt = [number, number];
const ring = (f: GridMap['features'][number]): Pt[] => f.geometry.coordinates[0]!.slice(0, -1).map((p) => [p[0]!, p[1]!]);
const centre = (pts: Pt[]): Pt => [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
const same = (a: Pt, b: Pt) => Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9;

describe.runIf(browserAvailable())('grid map in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: BrowserContext;
  let page: Page;
  let grids: GridMap['features'];
  const errors: string[] = [];

  /** Page pixels of a lon/lat, through the map the page exposes for tests. */
  const toPixel = async ([lon, lat]: Pt): Promise<Pt> => {
    const box = await page.getByTestId('grid-map').boundingBox();
    if (!box) throw new Error('the map is not on the page');
    const p = await page.evaluate(([x, y]) => window.__wanggeMap!.project([x, y]), [lon, lat] as Pt);
    return [box.x + p.x, box.y + p.y];
  };
  /** Waits for the camera to stop (it moves to the first problem of a preview). */
  const settled = () => page.waitForFunction(() => window.__wanggeMap !== undefined && !window.__wanggeMap.isMoving() && window.__wanggeMap.loaded());
  const problemKinds = () => page.getByTestId('preview-problem').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));

  beforeAll(async () => {
    t = await startTestApp({}, { webDist });
    base = await listen(t.app);
    const headers = await t.login('street');
    const street = await t.areaIdByCode('610702002');
    const res = await t.app.inject({ method: 'GET', url: `/api/areas/${street}/grid-map`, headers });
    expect(res.statusCode).toBe(200);
    grids = (res.json() as GridMap).features;
    browser = await launch();
    page = await watchedPage(browser, errors);
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('draws the street’s grids, coloured by a figure, and opens a grid’s card', async () => {
    await page.goto(`${base}/login`);
    await page.fill('#username', 'street');
    await page.fill('#password', DEMO.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('nav-map').click();
    await page.waitForURL(/\/map\?area=/);
    await page.getByTestId('grid-map').waitFor();
    await page.waitForFunction(
      (n) => {
        const map = window.__wanggeMap;
        return map !== undefined && map.loaded() && map.querySourceFeatures('grids').length >= n && map.queryRenderedFeatures({ layers: ['grid-fill'] }).length > 0;
      },
      grids.length,
    );
    expect(grids.length).toBeGreaterThanOrEqual(30);
    expect(await page.getByTestId('grid-figure-select').innerText()).toContain('楼栋数');
    await settled();
    await page.screenshot({ path: `${shots}/grid-map.png` });

    const grid = grids.find((g) => g.properties.code === GRID)!;
    const [x, y] = await toPixel(centre(ring(grid)));
    await page.mouse.click(x, y);
    const card = page.getByTestId('grid-card');
    await card.getByText(GRID).waitFor();
    expect(await card.innerText()).toContain(grid.properties.name);
  });

  it('refuses a boundary dragged across a neighbour: the preview shows the problem and commit stays disabled', async () => {
    const grid = grids.find((g) => g.properties.code === GRID)!;
    const others = grids.filter((g) => g.id !== grid.id).flatMap(ring);
    const own = ring(grid);
    const free = own.find((v) => !others.some((o) => same(o, v)));
    expect(free, `${GRID} has a vertex no other grid shares`).toBeDefined();
    // Push it away from the grid's centre: the outline stays simple but now crosses into its surroundings.
    const c = centre(own);
    const to: Pt = [free![0] + (free![0] - c[0]) * 1.5, free![1] + (free![1] - c[1]) * 1.5];

    await page.getByTestId('edit-mode').click();
    await page.getByTestId('tool-edit').click();
    await page.waitForFunction(() => window.__wanggeMap!.queryRenderedFeatures({ layers: ['edit-handle'] }).length > 0);
    await settled();
    const [fx, fy] = await toPixel(free!);
    const [tx, ty] = await toPixel(to);
    await page.mouse.move(fx, fy);
    await page.mouse.down();
    await page.mouse.move(tx, ty, { steps: 12 });
    await page.mouse.up();

    await page.getByTestId('preview-panel').waitFor();
    await expect.poll(problemKinds, { timeout: 60_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^(overlap|outside_parent)$/)]));
    expect(await page.getByTestId('preview-commit').isDisabled()).toBe(true);
    await settled();
    await page.screenshot({ path: `${shots}/grid-map-cover-error.png` });
  });

  it('previews a new grid drawn inside an existing one as an overlap', async () => {
    await page.getByTestId('tool-create').click();
    await page.getByTestId('draw-finish').waitFor();
    await settled();
    const grid = grids.find((g) => g.properties.code === GRID)!;
    const [cx, cy] = await toPixel(centre(ring(grid)));
    for (const [dx, dy] of [[-12, 10], [12, 10], [0, -12]]) await page.mouse.click(cx + dx!, cy + dy!);
    await page.getByTestId('draw-finish').click();

    await page.getByTestId('preview-panel').waitFor();
    await expect.poll(problemKinds, { timeout: 60_000 }).toContain('overlap');
    expect(await page.getByTestId('preview-commit').isDisabled()).toBe(true);
    await page.screenshot({ path: `${shots}/grid-map-create-overlap.png` });
    expect(errors).toEqual([]);
  });
});

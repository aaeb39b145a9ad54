import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

describe('area tree', () => {
  it('walks from the roots of my grants down to 东大街街道 and its 7 communities with counts', async () => {
    const roots = (await t.app.inject({ method: 'GET', url: '/api/areas/roots', headers: admin })).json().items;
    expect(roots.map((r: { code: string }) => r.code)).toEqual(['61']);
    let node = roots[0];
    for (const code of ['6107', '610702', '610702002']) {
      const children = (await t.app.inject({ method: 'GET', url: `/api/areas/${node.id}/children`, headers: admin })).json().items;
      node = children.find((c: { code: string }) => c.code === code);
      expect(node, code).toBeDefined();
    }
    expect(node).toMatchObject({ nameZh: '东大街街道', level: 'street', counts: { communities: 7, grids: 38, children: 7 } });
    const communities = (await t.app.inject({ method: 'GET', url: `/api/areas/${node.id}/children`, headers: admin })).json().items;
    expect(communities).toHaveLength(7);
    expect(communities.map((c: { code: string }) => c.code)).toEqual([...communities.map((c: { code: string }) => c.code)].sort());
    expect(communities.reduce((s: number, c: { counts: { grids: number } }) => s + c.counts.grids, 0)).toBe(38);
    expect(communities[0]).toMatchObject({ code: '610702002001', nameZh: '莲湖居委会', level: 'community' });
  });

  it('a grid worker sees only their own grid as root, and not its siblings', async () => {
    const worker = await t.login('gridworker');
    const roots = (await t.app.inject({ method: 'GET', url: '/api/areas/roots', headers: worker })).json().items;
    expect(roots.map((r: { code: string }) => r.code)).toEqual(['610702002001001']);
    const sibling = await t.areaIdByCode('610702002001002');
    expect((await t.app.inject({ method: 'GET', url: `/api/areas/${sibling}`, headers: worker })).statusCode).toBe(404);
  });

  it('shows an area with its ancestors and bounding box', async () => {
    const id = await t.areaIdByCode('610702002001001');
    const d = (await t.app.inject({ method: 'GET', url: `/api/areas/${id}`, headers: admin })).json();
    expect(d.ancestors.map((a: { code: string }) => a.code)).toEqual(['61', '6107', '610702', '610702002', '610702002001']);
    expect(d.hasGeometry).toBe(true);
    const [minLon, minLat, maxLon, maxLat] = d.bbox;
    expect(minLon).toBeGreaterThan(106.9);
    expect(maxLon).toBeLessThan(107.2);
    expect(minLat).toBeGreaterThan(32.9);
    expect(maxLat).toBeLessThan(33.2);
  });

  it('searches by name and code inside my scope only', async () => {
    const street = await t.login('street');
    const hits = (await t.app.inject({ method: 'GET', url: `/api/areas/search?q=${encodeURIComponent('莲湖')}`, headers: street })).json().items;
    expect(hits[0]).toMatchObject({ code: '610702002001' });
    const outside = (await t.app.inject({ method: 'GET', url: `/api/areas/search?q=${encodeURIComponent('测试')}`, headers: street })).json().items;
    expect(outside).toEqual([]);
    const byCode = (await t.app.inject({ method: 'GET', url: '/api/areas/search?q=610702002003', headers: street })).json().items;
    expect(byCode[0].nameZh).toBe('东大街居委会');
  });

  it('renames an area and audits before/after', async () => {
    const id = await t.areaIdByCode('610702002');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/areas/${id}`, headers: admin, payload: { nameEn: 'Dongdajie Subdistrict' } });
    expect(res.json().nameEn).toBe('Dongdajie Subdistrict');
    const list = (await t.app.inject({ method: 'GET', url: `/api/audit?entityType=area&entityId=${id}`, headers: admin })).json();
    expect(list.items[0]).toMatchObject({ action: 'area.updated', actorName: 'admin', diff: { before: { nameEn: null }, after: { nameEn: 'Dongdajie Subdistrict' } } });
  });
});

describe('audit trail', () => {
  it('verifies the chain, then reports the first row changed behind the application’s back', async () => {
    const ok = (await t.app.inject({ method: 'POST', url: '/api/audit/verify', headers: admin })).json();
    expect(ok).toMatchObject({ ok: true, firstBrokenId: null });
    expect(ok.checked).toBeGreaterThan(3);
    const list = (await t.app.inject({ method: 'GET', url: '/api/audit?action=auth.login&pageSize=5', headers: admin })).json();
    const victim = list.items.at(-1);
    await t.database.db.execute(sql`UPDATE audit_log SET actor_name = 'someone else' WHERE id = ${victim.id}::bigint`);
    const broken = (await t.app.inject({ method: 'POST', url: '/api/audit/verify', headers: admin })).json();
    expect(broken).toMatchObject({ ok: false, firstBrokenId: victim.id });
    await t.database.db.execute(sql`UPDATE audit_log SET actor_name = ${victim.actorName} WHERE id = ${victim.id}::bigint`);
    expect((await t.app.inject({ method: 'POST', url: '/api/audit/verify', headers: admin })).json().ok).toBe(true);
  });

  it('filters by action and time and pages newest first', async () => {
    const from = new Date(t.clock.now().getTime() - 3600_000).toISOString();
    const list = (await t.app.inject({ method: 'GET', url: `/api/audit?action=auth.login&from=${encodeURIComponent(from)}&pageSize=2`, headers: admin })).json();
    expect(list.items.every((e: { action: string }) => e.action === 'auth.login')).toBe(true);
    expect(list.items).toHaveLength(2);
    expect(Number(list.items[0].id)).toBeGreaterThan(Number(list.items[1].id));
  });
});

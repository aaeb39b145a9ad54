/**
 * Work around cases on a real database: who sees which cases (in SQL), personal data, queues and
 * export, the supervision sweep (idempotent), bad intake that stores nothing, cases moving with a
 * grid adjustment, and the configuration (categories, Open311 import, routing rules, calendar).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { rows } from '@wangge/db';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { casesFixture } from '../testing/cases-fixture.ts';
import { caseJobHandlers } from '../jobs.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof casesFixture>>;
const GRID = '610702002001001';

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set('2026-03-02T01:00:00.000Z'); // Monday 09:00 in Shanghai
  f = await casesFixture(t);
});
afterAll(async () => t?.close());

const list = async (who: Record<string, string>, query = 'queue=all') => (await t.app.inject({ method: 'GET', url: `/api/cases?${query}&pageSize=200`, headers: who })).json();
const ids = (r: { items: Array<{ id: string }> }) => r.items.map((c) => c.id);

describe('who sees which cases', () => {
  let here: string;
  let there: string;
  let dispute: string;
  beforeAll(async () => {
    here = (await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '一网格垃圾', gridId: await t.areaIdByCode(GRID), dispatchNow: true, reporterPhone: '13711112222' })).id;
    there = (await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('BJ0204'), description: '东大街社区道路破损', gridId: await t.areaIdByCode('610702002003001') })).id;
    dispute = (await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('ZL0103'), description: '物业纠纷', gridId: await t.areaIdByCode(GRID), dispatchNow: true })).id;
  });

  it('scopes every list in the query: the grid sees its grid, the district everything, a department only what it was sent', async () => {
    expect(ids(await list(f.as.leader))).toEqual(expect.arrayContaining([here, there, dispute]));
    const grid = ids(await list(f.as.gridworker));
    expect(grid).toEqual(expect.arrayContaining([here, dispute]));
    expect(grid).not.toContain(there);
    expect(ids(await list(f.as.dept))).toEqual([here]);
    // The dispute went to the community's own office, where the community account is a member.
    expect(ids(await list(f.as.community, 'queue=my_pending'))).toContain(dispute);
    expect((await f.get(f.as.dept, there)).statusCode).toBe(404);
    const counts = (await t.app.inject({ method: 'GET', url: '/api/cases/counts', headers: f.as.dept })).json();
    expect(counts).toMatchObject({ all: 1, my_pending: 1, closed: 0 });
    const admin = await t.app.inject({ method: 'GET', url: '/api/cases', headers: f.as.admin });
    expect(admin.statusCode).toBe(403);
  });

  it('masks the reporter’s phone everywhere and shows it in full only on an audited request by a role that calls back', async () => {
    const detail = (await f.get(f.as.gridworker, here)).json();
    expect(detail.reporterPhone).toBe('137****2222');
    expect(JSON.stringify(await list(f.as.command))).not.toContain('13711112222');
    const denied = await t.app.inject({ method: 'POST', url: `/api/cases/${here}/reporter-phone`, headers: f.as.gridworker });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.message).toBe('您的角色不能查看完整号码');
    const before = await f.count('audit_log', sql`action = 'case.reporter_phone_read'`);
    const full = await t.app.inject({ method: 'POST', url: `/api/cases/${here}/reporter-phone`, headers: f.as.dept });
    expect(full.json()).toEqual({ phone: '13711112222' });
    expect(await f.count('audit_log', sql`action = 'case.reporter_phone_read' AND entity_id = ${here}`)).toBe(before + 1);
  });

  it('exports a queue with its filters as .xlsx, and audits the export', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/cases/export.xlsx?queue=all&areaId=${await t.areaIdByCode(GRID)}`, headers: f.as.command });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('事件编号');
    const nos = ws.getColumn(1).values.slice(2);
    expect(nos).toHaveLength(2);
    expect(JSON.stringify(ws.getColumn(7).values)).toContain('一网格垃圾');
    expect(await f.count('audit_log', sql`action = 'case.exported'`)).toBe(1);
    // In the reader's language (the console sends its own).
    const en = await t.app.inject({ method: 'GET', url: '/api/cases/export.xlsx?queue=all', headers: { ...f.as.command, 'accept-language': 'en' } });
    const wbEn = new ExcelJS.Workbook();
    await wbEn.xlsx.load(en.rawPayload as never);
    expect(wbEn.worksheets[0]!.getRow(1).getCell(1).value).toBe('Case no.');
    const byParam = await t.app.inject({ method: 'GET', url: '/api/cases/export.xlsx?queue=all&lang=en', headers: f.as.command });
    const wbParam = new ExcelJS.Workbook();
    await wbParam.xlsx.load(byParam.rawPayload as never);
    expect(wbParam.worksheets[0]!.name).toBe('Cases');
  });
});

describe('bad intake changes nothing', () => {
  it('shows the reporter’s name in full only to those who call them back; everyone else sees the surname', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '来电人姓名', gridId: await t.areaIdByCode(GRID), reporterName: '欧阳娜娜', reporterPhone: '13711113333', dispatchNow: true });
    const seen = async (who: Record<string, string>) => {
      const d = (await f.get(who, c.id)).json();
      return [d.reporterName, d.reporterRevealable];
    };
    expect(await seen(f.as.command)).toEqual(['欧阳娜娜', true]);
    expect(await seen(f.as.dept)).toEqual(['欧阳娜娜', true]); // the case is at the department's unit
    expect(await seen(f.as.gridworker)).toEqual(['欧***', false]);
    expect(await seen(f.as.leader)).toEqual(['欧***', false]);
    // The intake's own 201 follows the same rule as a later read.
    expect(c.reporterName).toBe('欧阳娜娜');
    await f.fire(f.as.dept, c.id, 'return', { reason: '不是本单位职责' });
    expect(await seen(f.as.dept)).toEqual(['欧***', false]);
  });

  it('refuses each bad request with its code and stores no case', async () => {
    const before = await f.count('cases');
    const grid = await t.areaIdByCode(GRID);
    const bad = async (body: Record<string, unknown>, status: number, code: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: f.as.command, payload: { source: 'hotline', description: '测试事件', ...body } as never });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
    };
    await bad({ categoryId: '00000000-0000-4000-8000-000000000000', gridId: grid }, 404, 'case.category_not_found');
    await bad({ categoryId: f.cat('SJ01'), gridId: grid }, 400, 'case.category_not_leaf');
    await bad({ categoryId: f.cat('SJ0102'), lon: 100.5, lat: 31.5 }, 400, 'case.outside_grids');
    await bad({ categoryId: f.cat('SJ0102') }, 400, 'case.location_required');
    await bad({ categoryId: f.cat('SJ0102'), gridId: await t.areaIdByCode('990101001001001') }, 404, 'case.grid_not_found');
    await bad({ categoryId: f.cat('SJ0102'), gridId: grid, reporterPhone: '12345' }, 400, 'request.invalid');
    await bad({ categoryId: f.cat('ZL0201'), gridId: grid }, 400, 'case.extra_field_invalid');
    await bad({ categoryId: f.cat('ZL0201'), gridId: grid, extra: { hazard: '不存在的选项' } }, 400, 'case.extra_field_invalid');
    await bad({ categoryId: f.cat('SJ0102'), gridId: grid, attachmentIds: ['00000000-0000-4000-8000-000000000000'] }, 404, 'case.attachment_not_found');
    await bad({ categoryId: f.cat('SJ0102'), gridId: grid, unknown: 1 }, 400, 'request.invalid');
    expect(await f.count('cases')).toBe(before);
    const ok = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('ZL0201'), description: '楼道堆放杂物', gridId: grid, extra: { hazard: '通道堵塞' } });
    expect(ok.extra).toEqual({ hazard: '通道堵塞' });
  });
});

describe('the supervision sweep', () => {
  it('marks due soon, then overdue, reminds once each time however often it runs, and puts the case on the board', async () => {
    t.clock.set('2026-03-04T01:00:00.000Z'); // Wednesday 09:00
    await f.relogin();
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0104'), description: '路面有大片油污', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
    expect(c.dueAt).toBe('2026-03-04T06:30:00.000Z');
    const handlers = caseJobHandlers(t.deps.cases, t.crypto, t.config);
    const sweep = async () => t.database.transaction((tx) => handlers['cases.sweep']!({ id: '0', type: 'cases.sweep', payload: {}, attempts: 1, maxAttempts: 5, runAt: '' }, { db: tx, database: t.database, now: t.clock.now() }));
    const reminders = (kind: string) => f.count('notifications', sql`kind = ${kind} AND case_id = ${c.id}::uuid`);

    t.clock.set('2026-03-04T06:00:00.000Z'); // 14:00: 30 of 240 working minutes left (< 20 %)
    await f.relogin();
    await sweep();
    await sweep();
    expect((await f.get(f.as.command, c.id)).json().supervision).toBe('due_soon');
    const soon = await reminders('case_due_soon');
    expect(soon).toBeGreaterThanOrEqual(2); // the unit and the owning level
    t.clock.set('2026-03-04T07:00:00.000Z'); // 15:00: overdue
    await Promise.all([sweep(), sweep()]);
    await sweep();
    await f.relogin();
    expect((await f.get(f.as.command, c.id)).json().supervision).toBe('overdue');
    expect(await reminders('case_due_soon')).toBe(soon);
    const overdue = await reminders('case_overdue');
    expect(overdue).toBeGreaterThan(soon - 1);
    expect(await f.count('outbox', sql`event = 'case.overdue' AND payload->>'id' = ${c.id}`)).toBe(1);
    expect(await f.count('jobs', sql`type = 'cases.sweep'`)).toBeGreaterThanOrEqual(1);
    const board = await list(f.as.leader, 'queue=supervision');
    expect(ids(board)).toContain(c.id);
    const mine = await list(f.as.dept, 'queue=my_overdue');
    expect(ids(mine)).toContain(c.id);
    const bell = (await t.app.inject({ method: 'GET', url: '/api/notifications', headers: f.as.dept })).json();
    expect(bell.items.map((n: { text: string }) => n.text).join('\n')).toMatch(new RegExp(`事件 ${c.no} 已超时`));
    // The trace shows each raise once, by the system, with the deadline and who was reminded — not once per sweep.
    const steps = (await f.get(f.as.command, c.id)).json().events.filter((e: { action: string }) => e.action === 'supervision');
    expect(steps.map((e: { data: { supervision: string } }) => e.data.supervision)).toEqual(['due_soon', 'overdue']);
    expect(steps[0]).toMatchObject({ actorName: null, fromState: 'dispatched', toState: 'dispatched', data: { dueAt: c.dueAt, reminded: soon } });
    expect(steps[1].data.reminded).toBe(overdue);
  });
});

describe('cases move with a grid adjustment, and back with its revert', () => {
  it('counts open cases on the grid map and in the preview, moves them on split, and restores them on revert', async () => {
    await f.relogin();
    const gridCode = '610702002001004';
    const gridId = await t.areaIdByCode(gridCode);
    const g = (await t.store.grids.area(gridId))!.geometry!;
    const xs = g.coordinates[0]!.map((p) => p[0]!);
    const ys = g.coordinates[0]!.map((p) => p[1]!);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const p = await f.pointIn(gridCode);
    const open = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '四网格垃圾', ...p });
    const closed = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('ZL0501'), description: '咨询', ...p });
    await f.fire(f.as.command, closed.id, 'refuse', { reason: '已电话答复' });
    const community = await t.areaIdByCode('610702002001');
    const map = (await t.app.inject({ method: 'GET', url: `/api/areas/${community}/grid-map`, headers: f.as.street })).json();
    expect(map.features.find((x: { properties: { code: string } }) => x.properties.code === gridCode).properties.figures.openCases).toBe(1);

    const body = { kind: 'split', gridId, line: [[cx, Math.min(...ys) - 0.001], [cx, Math.max(...ys) + 0.001]], reason: '拆分网格' };
    const preview = (await t.app.inject({ method: 'POST', url: `/api/areas/${community}/adjustments/preview`, headers: f.as.street, payload: body })).json();
    expect(preview.movesByKind.case).toBe(1);
    expect(preview.moves.find((m: { kind: string }) => m.kind === 'case')).toMatchObject({ label: open.no, from: gridCode });
    const done = await t.app.inject({ method: 'POST', url: `/api/areas/${community}/adjustments`, headers: f.as.street, payload: body });
    expect(done.statusCode).toBe(201);
    const moved = (await f.get(f.as.command, open.id)).json();
    expect(moved.gridCode).not.toBe(gridCode);
    expect(moved.events.at(-1)).toMatchObject({ action: 'grid_adjusted', fromState: 'reported', toState: 'reported' });
    expect((await f.get(f.as.command, closed.id)).json().gridCode).toBe(gridCode); // past statistics keep their grid
    const reverted = await t.app.inject({ method: 'POST', url: `/api/areas/${community}/adjustments/${done.json().id}/revert`, headers: f.as.street });
    expect(reverted.statusCode).toBe(200);
    expect((await f.get(f.as.command, open.id)).json().gridCode).toBe(gridCode);
  });
});

describe('configuration', () => {
  it('adds and changes categories, refusing duplicate codes and a fourth level', async () => {
    const post = (body: Record<string, unknown>, who = f.as.admin) => t.app.inject({ method: 'POST', url: '/api/case-categories', headers: who, payload: body as never });
    const base = { limitUnit: 'hours', limits: { urgent: 1, high: 2, normal: 4 } };
    const made = await post({ ...base, parentId: f.cat('SJ0101'), code: 'SJ010199', nameZh: '违规占用绿地', nameEn: 'Green space occupied', extraFields: [{ key: 'area_m2', labelZh: '面积', labelEn: 'Area', type: 'number' }] });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ level: 3, extraFields: [{ key: 'area_m2', required: false }] });
    expect((await post({ ...base, parentId: null, code: 'SJ010199', nameZh: '重复' })).json().error.code).toBe('case.category_code_taken');
    expect((await post({ ...base, parentId: made.json().id, code: 'SJ01019901', nameZh: '四级' })).json().error.code).toBe('case.category_too_deep');
    expect((await post({ ...base, parentId: null, code: 'X1', nameZh: '无权' }, f.as.street)).statusCode).toBe(403);
    const changed = await t.app.inject({ method: 'PUT', url: `/api/case-categories/${made.json().id}`, headers: f.as.admin, payload: { ...base, parentId: f.cat('SJ0101'), code: 'SJ010199', nameZh: '违规占用绿地', limitUnit: 'days', limits: { urgent: 1, high: 2, normal: 3 }, verifyRequired: false } });
    expect(changed.json()).toMatchObject({ limitUnit: 'days', verifyRequired: false });
  });

  it('imports an Open311 service list as categories, and again without duplicates', async () => {
    const services = [
      { service_code: '001', service_name: 'Cans left out 24x7', group: 'Sanitation' },
      { service_code: '002', service_name: 'Pothole', group: 'Streets', description: 'Holes in the road' },
    ];
    const first = await t.app.inject({ method: 'POST', url: '/api/case-categories/import-open311', headers: f.as.command, payload: services });
    expect(first.json()).toEqual({ created: 4, updated: 0 });
    const second = await t.app.inject({ method: 'POST', url: '/api/case-categories/import-open311', headers: f.as.command, payload: services });
    expect(second.json()).toEqual({ created: 0, updated: 2 });
    const tree = (await t.app.inject({ method: 'GET', url: '/api/case-categories', headers: f.as.command })).json().items;
    expect(tree.find((c: { open311Code: string | null }) => c.open311Code === '002')).toMatchObject({ nameZh: 'Pothole', level: 2 });
    const empty = await t.app.inject({ method: 'POST', url: '/api/case-categories/import-open311', headers: f.as.command, payload: [] });
    expect(empty.statusCode).toBe(400);
  });

  it('routes by the first matching rule, explainably, and a new rule changes the route', async () => {
    const grid = await t.areaIdByCode(GRID);
    const preview = async () => (await t.app.inject({ method: 'GET', url: `/api/cases/route-preview?categoryId=${f.cat('SJ0102')}&gridId=${grid}`, headers: f.as.command })).json();
    expect(await preview()).toMatchObject({ via: 'rule', unitName: '汉台区城市管理执法局' });
    const units = (await t.app.inject({ method: 'GET', url: '/api/handling-units', headers: f.as.command })).json().items;
    const office = units.find((u: { nameZh: string }) => u.nameZh === '莲湖居委会');
    const rule = await t.app.inject({ method: 'POST', url: '/api/routing-rules', headers: f.as.admin, payload: { seq: 1, name: '莲湖垃圾先由社区处理', categoryId: f.cat('SJ0102'), areaId: await t.areaIdByCode('610702002001'), unitId: office.id } });
    expect(rule.statusCode, rule.body).toBe(201);
    expect(await preview()).toMatchObject({ via: 'rule', ruleName: '莲湖垃圾先由社区处理', unitName: '莲湖居委会', checked: 1 });
    await t.app.inject({ method: 'DELETE', url: `/api/routing-rules/${rule.json().id}`, headers: f.as.admin });
    expect((await preview()).unitName).toBe('汉台区城市管理执法局');
  });

  it('keeps the national calendar, lets an admin enter next year’s holidays, and deadlines follow', async () => {
    const y2026 = (await t.app.inject({ method: 'GET', url: '/api/calendar/2026', headers: f.as.gridworker })).json();
    expect(y2026.published).toBe(true);
    expect(y2026.days).toEqual(expect.arrayContaining([{ date: '2026-02-14', workday: true, name: '春节调休', source: 'package' }, { date: '2026-02-17', workday: false, name: '春节', source: 'package' }]));
    expect((await t.app.inject({ method: 'GET', url: '/api/calendar/2027', headers: f.as.admin })).json().published).toBe(false);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/calendar/days', headers: f.as.admin, payload: { date: '2027-02-30', workday: false } });
    expect(bad.json().error.code).toBe('calendar.invalid');
    expect((await t.app.inject({ method: 'PUT', url: '/api/calendar/days', headers: f.as.gridworker, payload: { date: '2027-01-01', workday: false } })).statusCode).toBe(403);
    // Thursday 2026-12-31 16:00: 90 working minutes left that day; Friday 2027-01-01 is a working day until an admin says otherwise.
    t.clock.set('2026-12-31T08:00:00.000Z');
    await f.relogin();
    const before = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '元旦前垃圾', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
    expect(before.dueAt).toBe('2027-01-01T03:30:00.000Z');
    const set = await t.app.inject({ method: 'PUT', url: '/api/calendar/days', headers: f.as.admin, payload: { date: '2027-01-01', workday: false, name: '元旦' } });
    expect(set.json()).toEqual({ date: '2027-01-01', workday: false, name: '元旦', source: 'admin' });
    const after = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '元旦前垃圾', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
    expect(after.dueAt).toBe('2027-01-04T03:30:00.000Z'); // Monday 11:30
    expect((await t.app.inject({ method: 'GET', url: '/api/calendar/2027', headers: f.as.admin })).json()).toMatchObject({ published: false, days: [{ date: '2027-01-01', source: 'admin' }] });
    expect((await t.app.inject({ method: 'DELETE', url: '/api/calendar/days/2027-01-01', headers: f.as.admin })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/calendar/days/2027-01-01', headers: f.as.admin })).json().error.code).toBe('calendar.day_not_found');
    const again = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '删除设置后', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
    expect(again.dueAt).toBe('2027-01-01T03:30:00.000Z');
  });

  it('computes deadlines across 春节 and its 调休 Saturday', async () => {
    t.clock.set('2026-02-13T08:00:00.000Z'); // Friday 16:00
    await f.relogin();
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '春节前垃圾', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
    expect(c.dueAt).toBe('2026-02-14T03:30:00.000Z'); // the 调休 Saturday, 11:30
    const [row] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM calendar_days WHERE day BETWEEN '2026-02-15' AND '2026-02-23' AND NOT workday`);
    expect(row!.n).toBe(9);
  });
});

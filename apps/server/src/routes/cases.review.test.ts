/**
 * Regression tests for defects a review found by probing the cases API (each failed before its fix):
 * scope leaks, deadlocks, deadline maths, notifications, bad input that reached the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@wangge/db';
import { caseSupervision } from '@wangge/core';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { casesFixture } from '../testing/cases-fixture.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof casesFixture>>;
const GRID = '610702002001001';
const HOUR = 3_600_000;
const grid = (code = GRID) => t.areaIdByCode(code);

beforeAll(async () => {
  t = await startTestApp();
  t.clock.set('2026-03-09T01:00:00.000Z'); // Monday 09:00 in Shanghai
  f = await casesFixture(t);
});
afterAll(async () => t?.close());

const post = (url: string, who: Record<string, string>, payload?: unknown) => t.app.inject({ method: 'POST', url, headers: who, ...(payload === undefined ? {} : { payload: payload as never }) });
const smsTo = async (phone: string) =>
  (await rows<{ payload: { phoneEnc: string } }>(t.database.db, sql`SELECT payload FROM jobs WHERE type = 'sms.send'`)).filter((x) => t.crypto.decrypt(x.payload.phoneEnc) === phone);

describe('scope', () => {
  it('never dispatches to another district’s unit', async () => {
    const area = await t.areaIdByCode('990101');
    const [u] = await rows<{ id: string }>(t.database.db, sql`INSERT INTO handling_units (code, name_zh, kind, area_id, district_id, created_at)
      VALUES ('D990101-X', '测试区某局', 'department', ${area}::bigint, ${area}::bigint, now()) RETURNING id::text`);
    const c = await f.intake(f.as.gridworker, { source: 'grid_worker', categoryId: f.cat('SJ0102'), description: '跨区派遣', gridId: await grid() });
    expect((await f.fire(f.as.gridleader, c.id, 'dispatch', { unitId: u!.id }, 404)).error.code).toBe('case.unit_not_found');
  });

  it('lets a unit see the full phone only while the case is at the unit', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '退单后', gridId: await grid(), reporterPhone: '13811110001', dispatchNow: true });
    expect((await post(`/api/cases/${c.id}/reporter-phone`, f.as.dept)).statusCode).toBe(200);
    await f.fire(f.as.dept, c.id, 'return', { reason: '不是本单位职责' });
    expect((await post(`/api/cases/${c.id}/reporter-phone`, f.as.dept)).statusCode).toBe(403);
  });

  it('merges only into a case the actor may dispatch', async () => {
    const mine = await f.intake(f.as.gridworker, { source: 'grid_worker', categoryId: f.cat('BJ0101'), description: '井盖一', gridId: await grid() });
    const desk = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('BJ0101'), description: '区里的井盖', gridId: await grid() });
    expect((await f.fire(f.as.gridleader, mine.id, 'merge', { targetCaseId: desk.id }, 403)).error.code).toBe('auth.forbidden');
  });

  it('refuses to correct a case into a grid outside the level that owns it', async () => {
    const c = await f.intake(f.as.gridworker, { source: 'grid_worker', categoryId: f.cat('ZL0102'), description: '家庭纠纷', gridId: await grid() });
    await f.fire(f.as.gridleader, c.id, 'escalate', { reason: '网格调解未果' });
    expect((await f.fire(f.as.command, c.id, 'correct_grid', { gridId: await grid('610702002003001'), reason: '实为东大街社区' }, 400)).error.code).toBe('case.guard_failed');
    expect((await f.get(f.as.command, c.id)).json().gridCode).toBe(GRID);
  });

  it('refuses an intake whose chosen grid is neither at the point nor across a nearby boundary', async () => {
    const res = await post('/api/cases', f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '位置不符', ...(await f.pointIn(GRID)), gridId: await grid('610702002003001') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('case.grid_not_at_place');
  });
});

describe('concurrency and storage', () => {
  it('merges A→B and B→A at the same moment without a deadlock: one wins', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('BJ0102'), description: `A${i}`, gridId: await grid() });
      const b = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('BJ0102'), description: `B${i}`, gridId: await grid() });
      const m = (x: { id: string; version: number }, y: { id: string }) => post(`/api/cases/${x.id}/transitions`, f.as.command, { action: 'merge', version: x.version, targetCaseId: y.id });
      const [r1, r2] = await Promise.all([m(a, b), m(b, a)]);
      statuses.push(r1.statusCode, r2.statusCode);
      expect([r1.statusCode, r2.statusCode]).toContain(200);
    }
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });

  it('keeps case numbers unique past the millionth case of the sequence', async () => {
    await t.database.db.execute(sql`SELECT setval('case_no_seq', 999999)`);
    // The server reserves numbers in blocks (ADR 0005): the rest of its current block comes first.
    const seen: string[] = [];
    for (let i = 0; i < 25 && !seen.some((n) => /1000000$/.test(n)); i++) {
      seen.push((await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: `百万${i}`, gridId: await grid() })).no);
    }
    expect(seen.at(-1)).toMatch(/^WG\d{8}1000000$/);
    const b = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '百万零一', gridId: await grid() });
    expect(b.no).toMatch(/^WG\d{8}1000001$/);
    expect(new Set([...seen, b.no]).size).toBe(seen.length + 1);
  });

  it('answers a NUL character, a category-code race and an overlong extension with 4xx, storing nothing wrong', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/cases?q=%00', headers: f.as.command })).statusCode).toBe(400);
    expect((await post('/api/cases', f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: 'ab\u0000cd', gridId: await grid() })).statusCode).toBe(400);
    const body = { parentId: null, code: 'RACE1', nameZh: '并发', limitUnit: 'hours', limits: { urgent: 1, high: 2, normal: 4 } };
    const r = await Promise.all([0, 1].map(() => post('/api/case-categories', f.as.admin, body)));
    expect(r.map((x) => x.statusCode).sort()).toEqual([201, 409]);
    expect((await t.app.inject({ method: 'PUT', url: '/api/calendar/days', headers: f.as.admin, payload: { date: '0050-01-01', workday: false } })).statusCode).toBe(400);
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '延期过长', gridId: await grid(), dispatchNow: true });
    await f.fire(f.as.dept, c.id, 'receive');
    expect((await f.fire(f.as.dept, c.id, 'request_extension', { reason: '太久', extension: { value: 10_000, unit: 'days' } }, 400)).error.code).toBe('request.invalid');
  });
});

describe('deadlines', () => {
  it('gives the unit back its time after a failed verification, and keeps handled cases off “my overdue”', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '核查', gridId: await grid(), dispatchNow: true });
    await f.fire(f.as.dept, c.id, 'receive');
    await f.advance(HOUR);
    await f.fire(f.as.dept, c.id, 'feedback', { note: '已清理' });
    await f.advance(48 * HOUR);
    const overdue = (await t.app.inject({ method: 'GET', url: '/api/cases?queue=my_overdue&pageSize=200', headers: f.as.dept })).json();
    expect(overdue.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
    expect((await f.fire(f.as.gridworker, c.id, 'verify_fail', { reason: '仍有垃圾' })).remainingMinutes).toBe(180);
  });

  it('drops the old deadline when a case is reopened', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '重开', gridId: await grid(), dispatchNow: true });
    await f.fire(f.as.dept, c.id, 'receive');
    await f.fire(f.as.dept, c.id, 'feedback', { note: '已清理' });
    await f.fire(f.as.gridworker, c.id, 'verify_pass');
    await f.fire(f.as.command, c.id, 'close');
    await f.fire(f.as.command, c.id, 'rate', { rating: 'unsatisfied' });
    await f.advance(24 * HOUR);
    const r = await f.fire(f.as.command, c.id, 'reopen', { reason: '居民不满意' });
    expect({ dueAt: r.dueAt, supervision: r.supervision, remaining: r.remainingMinutes }).toEqual({ dueAt: null, supervision: 'none', remaining: null });
  });

  it('does not mark a re-dispatched case overdue from a sweep that read it before', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0104'), description: '油污', gridId: await grid(), dispatchNow: true });
    await f.advance(6 * HOUR);
    const stale = await t.store.cases.runningWithDeadline(500, null);
    await f.fire(f.as.dept, c.id, 'return', { reason: '非本单位' });
    await f.fire(f.as.command, c.id, 'dispatch', { unitId: c.route.unitId });
    let once = true;
    await t.store.transaction((tx) => caseSupervision.sweep(t.deps.cases, { ...tx, cases: { ...tx.cases, runningWithDeadline: async () => (once ? ((once = false), stale) : []) } }));
    expect((await f.get(f.as.command, c.id)).json().supervision).toBe('none');
  });

  it('writes the supervision step with the case as it is when raised, not as the sweep read it', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0104'), description: '油污（已接收）', gridId: await grid(), dispatchNow: true });
    await f.advance(72 * HOUR); // well past its 4 working hours, whatever time of day the earlier tests left the clock at
    const stale = await t.store.cases.runningWithDeadline(500, null);
    await f.fire(f.as.dept, c.id, 'receive', {});
    let once = true;
    await t.store.transaction((tx) => caseSupervision.sweep(t.deps.cases, { ...tx, cases: { ...tx.cases, runningWithDeadline: async () => (once ? ((once = false), stale) : []) } }));
    const d = (await f.get(f.as.command, c.id)).json();
    expect(d).toMatchObject({ state: 'handling', supervision: 'overdue' });
    expect(d.events.at(-1)).toMatchObject({ action: 'supervision', fromState: 'handling', toState: 'handling', data: { supervision: 'overdue' } });
  });
});

describe('telling people', () => {
  it('tells the reporter of a merged duplicate when the case it joined is closed', async () => {
    const a = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('BJ0102'), description: '路灯不亮', gridId: await grid(), reporterPhone: '13900000011', dispatchNow: true });
    const b = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('BJ0102'), description: '路灯坏了', gridId: await grid(), reporterPhone: '13900000022' });
    await f.fire(f.as.command, b.id, 'merge', { targetCaseId: a.id });
    const before = (await smsTo('13900000022')).length;
    await f.fire(f.as.dept, a.id, 'receive');
    await f.fire(f.as.dept, a.id, 'feedback', { note: '已修复' });
    await f.fire(f.as.gridworker, a.id, 'verify_pass');
    await f.fire(f.as.command, a.id, 'close');
    expect((await smsTo('13900000022')).length).toBe(before + 1);
    // The tracking code the reporter was sent is not kept in clear anywhere.
    const [jobs] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM jobs WHERE payload::text LIKE ${`%${a.trackingCode}%`}`);
    expect(jobs!.n).toBe(0);
  });

  it('words extension decisions and failed verifications as what they are', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '通知文字', gridId: await grid(), dispatchNow: true });
    await f.fire(f.as.dept, c.id, 'receive');
    await f.fire(f.as.dept, c.id, 'request_extension', { reason: '车辆不足', extension: { value: 2, unit: 'hours' } });
    await f.fire(f.as.command, c.id, 'deny_extension', { reason: '须按时完成' });
    const kinds = await rows<{ kind: string }>(t.database.db, sql`SELECT kind FROM notifications WHERE case_id = ${c.id}::uuid ORDER BY id`);
    expect(kinds.map((k) => k.kind)).toContain('case_extension_denied');
    expect(kinds.map((k) => k.kind)).not.toContain('case_returned');
  });

  it('reminds the district’s leaders when a case the district owns is overdue', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0104'), description: '区级超时', gridId: await grid(), dispatchNow: true });
    await f.advance(3 * 24 * HOUR); // well past its 4 working hours, whatever the hour now
    await t.store.transaction((tx) => caseSupervision.sweep(t.deps.cases, tx));
    const leader = await t.store.users.findByUsername('leader');
    const [n] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM notifications WHERE case_id = ${c.id}::uuid AND user_id = ${leader!.id}::uuid AND kind = 'case_overdue'`);
    expect(n!.n).toBe(1);
  });
});

describe('categories by id, not by code', () => {
  it('routes a new subcategory by its parent’s rule, and a look-alike top category by none', async () => {
    const mk = async (b: Record<string, unknown>) => (await post('/api/case-categories', f.as.admin, { limitUnit: 'hours', limits: { urgent: 1, high: 2, normal: 4 }, ...b })).json();
    const preview = async (id: string) => (await t.app.inject({ method: 'GET', url: `/api/cases/route-preview?categoryId=${id}&gridId=${await grid()}`, headers: f.as.command })).json();
    expect((await preview((await mk({ parentId: f.cat('SJ01'), code: 'X1', nameZh: '新小类' })).id)).ruleName).toBe('市容环境 → 城管执法局');
    expect((await preview((await mk({ parentId: null, code: 'SJ01ZZ', nameZh: '无关大类' })).id)).via).toBe('none');
  });

  it('keeps a case chosen by hand in its grid when the community’s grids are adjusted', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0102'), description: '位置更正', ...(await f.pointIn(GRID)) });
    await f.fire(f.as.command, c.id, 'correct_grid', { gridId: await grid('610702002001003'), reason: '实为三网格' });
    const gid = await grid('610702002001004');
    const g = (await t.store.grids.area(gid))!.geometry!;
    const xs = g.coordinates[0]!.map((p) => p[0]!);
    const ys = g.coordinates[0]!.map((p) => p[1]!);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const done = await post(`/api/areas/${await grid('610702002001')}/adjustments`, f.as.street, { kind: 'split', gridId: gid, line: [[cx, Math.min(...ys) - 0.001], [cx, Math.max(...ys) + 0.001]], reason: '拆分' });
    expect(done.statusCode).toBe(201);
    expect((await f.get(f.as.command, c.id)).json().gridCode).toBe('610702002001003');
  });
});

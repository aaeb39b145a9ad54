/**
 * The case flow through the HTTP API on a real database: the whole path from a hotline call to the
 * resident's rating, the community's three routes and escalation up to the city, returns with the
 * clock paused, duplicates, settling on the spot, and that every refused request changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { rows } from '@wangge/db';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { casesFixture } from '../testing/cases-fixture.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof casesFixture>>;
const GRID = '610702002001001';

beforeAll(async () => {
  t = await startTestApp();
  // A Monday morning in Shanghai, so deadlines fall inside working time.
  t.clock.set('2026-03-02T01:00:00.000Z');
  f = await casesFixture(t);
});
afterAll(async () => t?.close());

const events = async (id: string) => (await f.get(f.as.command, id)).json().events.map((e: { action: string }) => e.action);

describe('a hotline case from intake to the resident’s rating', () => {
  let id: string;
  let no: string;
  let code: string;

  it('is located, routed by its rule, dispatched at once and given a deadline in working time', async () => {
    const c = await f.intake(f.as.command, {
      source: 'hotline', categoryId: f.cat('SJ0102'), description: '小区门口堆着暴露垃圾，已经两天没人清理', ...(await f.pointIn(GRID)),
      reporterName: '王先生', reporterPhone: '13812345678', dispatchNow: true,
    });
    id = c.id; no = c.no; code = c.trackingCode;
    expect(c.no).toMatch(/^WG20260302\d{6}$/);
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(c).toMatchObject({ state: 'dispatched', gridCode: GRID, unitName: '汉台区城市管理执法局', reporterPhone: '138****5678', ownerAreaName: '汉台区' });
    expect(c.route).toMatchObject({ via: 'rule', ruleName: '市容环境 → 城管执法局' });
    // 09:00 local + 4 working hours = 13:00 minus the 12:00–13:30 lunch = 14:30 local = 06:30Z.
    expect(c.dueAt).toBe('2026-03-02T06:30:00.000Z');
    expect(c.remainingMinutes).toBe(240);
    const [raw] = await rows<{ enc: string }>(t.database.db, sql`SELECT reporter_phone_enc AS enc FROM cases WHERE id = ${id}::uuid`);
    expect(raw!.enc).not.toContain('13812345678');
    expect(await f.count('jobs', sql`type = 'sms.send' AND unique_ref = ${`sms:intake:${id}`}`)).toBe(1);
  });

  it('reaches the unit’s queue and notification centre; the unit receives and asks for more time', async () => {
    const mine = (await t.app.inject({ method: 'GET', url: '/api/cases?queue=my_pending', headers: f.as.dept })).json();
    expect(mine.items.map((c: { id: string }) => c.id)).toContain(id);
    const bell = (await t.app.inject({ method: 'GET', url: '/api/notifications', headers: f.as.dept })).json();
    expect(bell.items[0].text).toContain(no);
    expect((await f.get(f.as.dept, id)).json().actions.sort()).toEqual(['receive', 'return'].sort());
    await f.fire(f.as.dept, id, 'receive');
    await f.advance(60 * 60_000); // 10:00 local, 180 working minutes left
    const asked = await f.fire(f.as.dept, id, 'request_extension', { reason: '需协调环卫车辆', extension: { value: 2, unit: 'hours' } });
    expect(asked).toMatchObject({ state: 'extension_pending', paused: true, remainingMinutes: 180 });
  });

  it('pauses the clock while the extension is pending and adds it when approved', async () => {
    await f.advance(24 * 60 * 60_000); // next day 10:00 local: the pause kept the 180 minutes
    const approved = await f.fire(f.as.command, id, 'approve_extension', { note: '同意延期 2 小时' });
    // Tuesday 10:00 + 180 + 120 working minutes = 10:00→12:00 (120) + 13:30→16:30 (180) = 16:30 local.
    expect(approved).toMatchObject({ state: 'handling', paused: false, dueAt: '2026-03-03T08:30:00.000Z' });
    const ev = approved.events.find((e: { action: string }) => e.action === 'approve_extension');
    expect(ev.data.deadline).toEqual({ from: '2026-03-02T06:30:00.000Z', to: '2026-03-03T08:30:00.000Z' });
  });

  it('needs on-site verification before it can be closed, and the grid worker verifies it', async () => {
    await f.fire(f.as.dept, id, 'feedback', { note: '已清运，现场已清洁' });
    const blocked = await f.fire(f.as.command, id, 'close', {}, 400);
    expect(blocked.error.code).toBe('case.guard_failed');
    const queue = (await t.app.inject({ method: 'GET', url: '/api/cases?queue=to_verify', headers: f.as.gridworker })).json();
    expect(queue.items.map((c: { id: string }) => c.id)).toContain(id);
    await f.fire(f.as.gridworker, id, 'verify_pass', { note: '现场核实已清理' });
    const closed = await f.fire(f.as.command, id, 'close');
    expect(closed).toMatchObject({ state: 'closed', stateKind: 'closed', closingKind: 'solved' });
  });

  it('lets the resident follow it by number and code, with no personal data, and rate it', async () => {
    const wrong = await t.app.inject({ method: 'GET', url: `/api/public/cases/${no}?code=AAAAAAAA` });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe('case.tracking_invalid');
    const view = await t.app.inject({ method: 'GET', url: `/api/public/cases/${no}?code=${code.toLowerCase()}` });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ state: 'closed', closingKind: 'solved', closingLabel: '已解决', canRate: true });
    expect(view.body).not.toMatch(/王先生|1381234|5678/);
    const rated = await t.app.inject({ method: 'POST', url: `/api/public/cases/${no}/rating`, payload: { code, rating: 'unsatisfied', comment: '又有人倒垃圾了' } });
    expect(rated.json()).toMatchObject({ state: 'evaluated', closingKind: 'solved', rating: 'unsatisfied', canRate: false });
    const again = await t.app.inject({ method: 'POST', url: `/api/public/cases/${no}/rating`, payload: { code, rating: 'satisfied' } });
    expect(again.statusCode).toBe(409);
  });

  it('reopens after an unsatisfied rating, and the trace and audit hold every step', async () => {
    const reopened = await f.fire(f.as.command, id, 'reopen', { reason: '居民反映问题反复' });
    expect(reopened).toMatchObject({ state: 'accepted', stateKind: 'open', closingKind: null, rating: null });
    expect(await events(id)).toEqual(['report', 'dispatch', 'receive', 'request_extension', 'approve_extension', 'feedback', 'verify_pass', 'close', 'rate', 'reopen']);
    const audit = await rows<{ action: string }>(t.database.db, sql`SELECT action FROM audit_log WHERE entity_id = ${id} ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['case.report', 'case.dispatch', 'case.receive', 'case.request_extension', 'case.approve_extension', 'case.feedback', 'case.verify_pass', 'case.close', 'case.rate', 'case.reopen']);
    expect(await f.count('outbox', sql`payload->>'id' = ${id}`)).toBe(10);
  });
});

describe('refused requests change nothing', () => {
  let id: string;
  beforeAll(async () => {
    id = (await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0201'), description: '电线杆上贴满小广告', gridId: await t.areaIdByCode(GRID) })).id;
  });

  it('answers each kind of wrong request with its code', async () => {
    const wrongRole = await f.fire(f.as.gridworker, id, 'dispatch', { unitId: (await f.get(f.as.command, id)).json().route.unitId }, 403);
    expect(wrongRole.error.code).toBe('auth.forbidden');
    const other = await t.createUser('command_center', '990101');
    const outside = await f.fire(await t.login(other.username), id, 'accept', {}, 404);
    expect(outside.error.code).toBe('case.not_found');
    const notNow = await f.fire(f.as.command, id, 'receive', {}, 409);
    expect(notNow.error).toMatchObject({ code: 'case.transition_not_allowed', message: '当前状态「已上报」下不能执行「签收」' });
    const missing = await f.fire(f.as.command, id, 'refuse', {}, 400);
    expect(missing.error).toMatchObject({ code: 'case.field_required', message: '「不予受理」须填写：原因' });
    const extra = await f.fire(f.as.command, id, 'accept', { unitId: '00000000-0000-4000-8000-000000000000' }, 400);
    expect(extra.error.code).toBe('case.field_not_allowed');
    const stale = await f.fire(f.as.command, id, 'accept', { version: 99 }, 409);
    expect(stale.error.code).toBe('case.conflict');
    const english = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/transitions`, headers: { ...f.as.command, 'accept-language': 'en' }, payload: { action: 'receive', version: 1 } });
    expect(english.json().error.message).toBe('“Receive” cannot be done while the case is “Reported”');
    const c = (await f.get(f.as.command, id)).json();
    expect(c).toMatchObject({ state: 'reported', version: 1 });
    expect(c.events).toHaveLength(1);
  });

  it('lets one of two simultaneous actions win; the other gets a conflict', async () => {
    const send = (action: string, extra: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/cases/${id}/transitions`, headers: f.as.command, payload: { action, version: 1, ...extra } as never });
    const [a, b] = await Promise.all([send('accept', {}), send('refuse', { reason: '不属于受理范围' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const c = (await f.get(f.as.command, id)).json();
    expect(c.version).toBe(2);
    expect(c.events).toHaveLength(2);
    expect(['accepted', 'refused']).toContain(c.state);
  });
});

describe('small matters stay in the grid; bigger ones go up', () => {
  it('lets the grid worker settle a matter on the spot, which closes as settled, not as solved', async () => {
    const c = await f.intake(f.as.gridworker, { source: 'grid_worker', categoryId: f.cat('SJ0505'), description: '单车挡住消防通道', ...(await f.pointIn(GRID)) });
    expect(c).toMatchObject({ state: 'reported', ownerAreaName: '莲湖社区第1网格' });
    expect(c.actions).toContain('settle');
    const settled = await f.fire(f.as.gridworker, c.id, 'settle', { note: '已挪开并提醒车主' });
    expect(settled).toMatchObject({ state: 'settled', closingKind: 'settled_on_spot' });
    const direct = await f.intake(f.as.gridworker, { source: 'grid_worker', categoryId: f.cat('SJ0505'), description: '电动车堵门', gridId: await t.areaIdByCode(GRID), settleNote: '已劝导挪走' });
    expect(direct).toMatchObject({ state: 'settled', closingKind: 'settled_on_spot' });
  });

  it('escalates grid → community, where the council route, handling at home and escalation are offered', async () => {
    const c = await f.intake(f.as.gridworker, { source: 'grid_worker', categoryId: f.cat('ZL0101'), description: '楼上楼下漏水纠纷，双方争执', gridId: await t.areaIdByCode(GRID), extra: { parties: 2 } });
    const up = await f.fire(f.as.gridleader, c.id, 'escalate', { reason: '网格内调解未果' });
    expect(up).toMatchObject({ state: 'escalated', ownerAreaName: '莲湖居委会' });
    const atCommunity = (await f.get(f.as.community, c.id)).json();
    expect(atCommunity.actions).toEqual(expect.arrayContaining(['handle_here', 'convene', 'escalate', 'dispatch']));
    await f.fire(f.as.community, c.id, 'convene', { note: '提交居民议事会协商' });
    await f.fire(f.as.community, c.id, 'council_decide', { note: '议事会决定由社区组织维修' });
    const here = await f.fire(f.as.community, c.id, 'handle_here');
    expect(here).toMatchObject({ state: 'dispatched', unitName: '莲湖居委会' });
    expect((await f.get(f.as.community, c.id)).json().actions).toContain('receive');
  });

  it('goes community → street → district → city, and no further', async () => {
    const c = await f.intake(f.as.community, { source: 'resident', categoryId: f.cat('ZL0104'), description: '装修公司拖欠工人工资', gridId: await t.areaIdByCode(GRID) });
    expect(c.ownerAreaName).toBe('莲湖居委会');
    expect((await f.fire(f.as.community, c.id, 'escalate', { reason: '涉及多个部门' })).ownerAreaName).toBe('东大街街道');
    expect((await f.fire(f.as.street, c.id, 'escalate', { reason: '需区级协调' })).ownerAreaName).toBe('汉台区');
    const atCity = await f.fire(f.as.command, c.id, 'escalate', { reason: '需市级协调' });
    expect(atCity.ownerAreaName).toBe('汉中市');
    // The district's command centre still sees it, but the city owns it now.
    expect(atCity.actions).not.toContain('escalate');
  });
});

describe('the other ways through', () => {
  it('denies an extension, sends a failed verification back to the unit, and shelves a case that cannot be solved now', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0103'), description: '拆迁工地渣土堆积', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
    await f.fire(f.as.dept, c.id, 'receive');
    await f.fire(f.as.dept, c.id, 'request_extension', { reason: '车辆不足', extension: { value: 1, unit: 'days' } });
    const denied = await f.fire(f.as.command, c.id, 'deny_extension', { reason: '渣土影响通行，须按时清运' });
    // No time passed while it was pending, so resuming gives back the same deadline.
    expect(denied).toMatchObject({ state: 'handling', paused: false, dueAt: c.dueAt });
    await f.fire(f.as.dept, c.id, 'feedback', { note: '已清运' });
    const failed = await f.fire(f.as.gridworker, c.id, 'verify_fail', { reason: '现场仍有残留渣土' });
    expect(failed).toMatchObject({ state: 'handling', handledAt: null });
    expect((await f.get(f.as.dept, c.id)).json().actions).toContain('feedback');
    const shelved = await f.fire(f.as.command, c.id, 'shelve', { reason: '涉及历史遗留产权问题，暂不能解决' });
    expect(shelved).toMatchObject({ state: 'shelved', stateKind: 'closed', closingKind: 'shelved' });
    const back = await f.fire(f.as.command, c.id, 'unshelve', { reason: '产权问题已明确' });
    expect(back).toMatchObject({ state: 'accepted', stateKind: 'open', closingKind: null, closedAt: null, unitId: null, dueAt: null });
  });
});

describe('returns, duplicates and grid corrections', () => {
  it('returns a misrouted case to the dispatcher with the clock paused, and re-dispatch starts a new deadline', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0104'), description: '路面有油污', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
    const back = await f.fire(f.as.dept, c.id, 'return', { reason: '属路政管辖，非本单位职责' });
    expect(back).toMatchObject({ state: 'returned', unitId: null, paused: true });
    // The unit keeps read access to what it once held, but no longer acts on it.
    expect((await f.get(f.as.dept, c.id)).json().actions).toEqual([]);
    const units = (await t.app.inject({ method: 'GET', url: '/api/handling-units', headers: f.as.command })).json().items;
    const zj = units.find((u: { nameZh: string }) => u.nameZh === '汉台区住房和城乡建设局');
    const again = await f.fire(f.as.command, c.id, 'dispatch', { unitId: zj.id, note: '改派住建局' });
    expect(again).toMatchObject({ state: 'dispatched', unitName: '汉台区住房和城乡建设局', paused: false });
    expect(again.events.at(-1).data.overridesRoute).toBe('汉台区城市管理执法局');
  });

  it('shows a unit that returned a case its trace up to the return, not what the next unit is told or sent', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0104'), description: '井盖松动', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
    const deptUnit = c.unitId as string;
    await f.fire(f.as.dept, c.id, 'receive');
    const back = await f.fire(f.as.dept, c.id, 'return', { reason: '属住建局管辖' });
    expect(back.events.at(-1)).toMatchObject({ action: 'return', data: { leftUnit: { id: deptUnit } } });
    const units = (await t.app.inject({ method: 'GET', url: '/api/handling-units', headers: f.as.command })).json().items;
    const zj = units.find((u: { nameZh: string }) => u.nameZh === '汉台区住房和城乡建设局');
    const again = await f.fire(f.as.command, c.id, 'dispatch', { unitId: zj.id, note: '改派住建局，请联系物业' });
    // A photo sent with the re-dispatch (linked to that step as the transition would).
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(await sharp({ create: { width: 40, height: 30, channels: 3, background: '#777' } }).jpeg().toBuffer())], { type: 'image/jpeg' }), 'p.jpg');
    const body = new Response(fd);
    const photo = (await t.app.inject({ method: 'POST', url: '/api/attachments', headers: { ...f.as.command, 'content-type': body.headers.get('content-type')! }, payload: Buffer.from(await body.arrayBuffer()) })).json();
    const commandId = (await rows<{ id: string }>(t.database.db, sql`SELECT id::text FROM users WHERE username = 'command'`))[0]!.id;
    expect(await t.store.attachments.link([photo.id], c.id, again.events.at(-1).seq, null, commandId)).toBe(1);

    const seenByDept = (await f.get(f.as.dept, c.id)).json();
    expect(seenByDept.traceEndsWhereUnitLeft).toBe(true);
    expect(seenByDept.events.map((e: { action: string }) => e.action)).toEqual(['report', 'dispatch', 'receive', 'return']);
    expect(JSON.stringify(seenByDept)).not.toContain('改派住建局');
    expect(seenByDept.attachments).toEqual([]);
    expect(seenByDept).toMatchObject({ state: 'dispatched', unitName: '汉台区住房和城乡建设局', actions: [] });
    expect((await t.app.inject({ method: 'GET', url: photo.url, headers: f.as.dept })).statusCode).toBe(404);

    const seenByCommand = (await f.get(f.as.command, c.id)).json();
    expect(seenByCommand.traceEndsWhereUnitLeft).toBe(false);
    expect(seenByCommand.events.at(-1)).toMatchObject({ action: 'dispatch', note: '改派住建局，请联系物业' });
    expect(seenByCommand.attachments.map((a: { id: string }) => a.id)).toEqual([photo.id]);
    expect((await t.app.inject({ method: 'GET', url: photo.url, headers: f.as.command })).statusCode).toBe(200);
  });

  it('suggests the open case nearby as a duplicate and merges it, telling both reporters', async () => {
    const p = await f.pointIn('610702002001002');
    const first = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('BJ0102'), description: '小区北门路灯不亮好几天了', ...p, reporterPhone: '13900000001' });
    const similar = (await t.app.inject({ method: 'GET', url: `/api/cases/similar?categoryId=${f.cat('BJ0102')}&lon=${p.lon + 0.0003}&lat=${p.lat}&description=${encodeURIComponent('北门的路灯坏了不亮')}`, headers: f.as.command })).json();
    expect(similar.items[0]).toMatchObject({ id: first.id, reasons: expect.arrayContaining(['near', 'recent', 'same_category', 'similar_text']) });
    expect(similar.items[0].distanceM).toBeLessThan(40);
    const second = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('BJ0102'), description: '北门的路灯坏了不亮', lon: p.lon + 0.0003, lat: p.lat, reporterPhone: '13900000002' });
    const merged = await f.fire(f.as.command, second.id, 'merge', { targetCaseId: first.id });
    expect(merged).toMatchObject({ state: 'merged', closingKind: 'duplicate', mergedInto: { id: first.id, no: first.no } });
    const original = (await f.get(f.as.command, first.id)).json();
    expect(original.duplicates).toEqual([{ id: second.id, no: second.no }]);
    expect(original.events.at(-1).action).toBe('merged_in');
    // One text to each reporter: the duplicate's (its case was merged) and the original's (someone else reported it too).
    expect(await f.count('jobs', sql`type = 'sms.send' AND unique_ref = ${`sms:merge:${second.id}:${second.version}`}`)).toBe(1);
    expect(await f.count('jobs', sql`type = 'sms.send' AND unique_ref = ${`sms:merge:${second.id}:${first.id}`}`)).toBe(1);
    const self = await f.fire(f.as.command, first.id, 'merge', { targetCaseId: first.id }, 400);
    expect(self.error.code).toBe('case.merge_target_invalid');
  });

  it('corrects the grid of a case with a reason, kept in the trace', async () => {
    const c = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0106'), description: '绿地里有建筑垃圾', gridId: await t.areaIdByCode(GRID) });
    const other = await t.areaIdByCode('610702002001003');
    // A rule that sends this category elsewhere in the third grid only: the corrected place routes by it.
    const [u] = await rows<{ id: string; name: string }>(t.database.db, sql`
      SELECT id::text, name_zh AS name FROM handling_units WHERE active AND id IS DISTINCT FROM ${c.route?.unitId ?? null}::uuid ORDER BY code LIMIT 1`);
    await t.database.db.execute(sql`INSERT INTO routing_rules (seq, name, category_id, area_id, unit_id, created_at)
      VALUES (-1, '三网格绿地', ${f.cat('SJ0106')}::uuid, ${other}::bigint, ${u!.id}::uuid, now())`);
    try {
      const fixed = await f.fire(f.as.command, c.id, 'correct_grid', { gridId: other, reason: '来电人报错位置，实为三网格' });
      expect(fixed).toMatchObject({ gridCode: '610702002001003', state: 'reported' });
      expect(fixed.events.at(-1).data.grid).toMatchObject({ from: { code: GRID }, to: { code: '610702002001003' } });
      expect(fixed.route).toMatchObject({ via: 'rule', ruleName: '三网格绿地', unitId: u!.id });
      expect(fixed.events.at(-1).data.route).toMatchObject({ ruleName: '三网格绿地', unitName: u!.name });
      // Already dispatched: the unit stays where it was sent, the suggestion follows the place, so a return
      // brings the dispatcher the new place's unit.
      const sent = await f.intake(f.as.command, { source: 'hotline', categoryId: f.cat('SJ0106'), description: '绿地里有建筑垃圾（已派遣）', gridId: await t.areaIdByCode(GRID), dispatchNow: true });
      const moved = await f.fire(f.as.command, sent.id, 'correct_grid', { gridId: other, reason: '实为三网格' });
      expect(moved).toMatchObject({ state: 'dispatched', unitId: sent.unitId, route: { ruleName: '三网格绿地', unitId: u!.id } });
    } finally {
      await t.database.db.execute(sql`DELETE FROM routing_rules WHERE name = '三网格绿地'`);
    }
    // The grid worker of the first grid no longer sees it.
    expect((await f.get(f.as.gridworker, c.id)).statusCode).toBe(404);
  });
});

import { cases, type Actor, type CaseDeps } from '@wangge/core';
import { DEMO } from '@wangge/db';

/**
 * A working day's worth of demo cases, made through the real use-cases (so every trace, audit row,
 * deadline and notification is what the product itself writes): some waiting at the desk, some at
 * a department, one overdue-bound, some closed in each way a case can end, one rated.
 */
export async function loadDemoCases(deps: CaseDeps): Promise<number> {
  const actor = async (username: string): Promise<Actor> => {
    const u = await deps.store.users.findByUsername(username);
    if (!u) throw new Error(`demo account ${username} missing`);
    const grants = await deps.store.users.grants(u.id);
    return {
      userId: u.id, username: u.username, displayName: u.displayName, locale: 'zh-CN', mustChangePassword: false, sessionId: null, ip: null, requestId: null,
      grants: grants.map((g) => ({ id: g.id, role: g.role, areaId: g.areaId, areaPath: g.areaPath })),
    };
  };
  const command = await actor('command');
  const community = await actor('community');
  const gridleader = await actor('gridleader');
  const gridworker = await actor('gridworker');
  const dept = await actor('dept');
  const categories = await deps.store.cases.categories();
  const cat = (code: string) => categories.find((c) => c.code === code)!.id;
  const grids = (await deps.store.grids.liveGridsUnder((await deps.store.grids.liveByCode(DEMO.streetCode))!.path)).filter((g) => g.geometry);
  const pointOf = (code: string) => {
    const ring = grids.find((g) => g.code === code)!.geometry!.coordinates[0]!.slice(0, -1);
    return { lon: ring.reduce((s, p) => s + p[0]!, 0) / ring.length, lat: ring.reduce((s, p) => s + p[1]!, 0) / ring.length };
  };
  const G1 = '610702002001001';
  const base = { priority: 'normal' as const, extra: {}, attachmentIds: [], dispatchNow: false };
  const act = async (a: Actor, id: string, action: Parameters<typeof cases.transition>[3]['action'], extra: Record<string, unknown> = {}) => {
    const c = await deps.store.cases.find(id);
    return cases.transition(deps, a, id, { action, version: c!.version, ...extra });
  };
  let n = 0;
  const make = async (a: Actor, body: Record<string, unknown>) => {
    n++;
    return cases.intake(deps, a, { ...base, ...body } as never);
  };

  // At the desk, just in from the hotline.
  await make(command, { source: 'hotline', categoryId: cat('SJ0301'), description: '夜间施工噪音扰民，22 点后仍在作业', ...pointOf('610702002003002'), address: '东大街 88 号工地', reporterName: '李女士', reporterPhone: '13991670001' });
  // Sent to the city management bureau, waiting to be received.
  await make(command, { source: 'hotline', categoryId: cat('SJ0102'), description: '小区门口垃圾堆积两天无人清运', ...pointOf(G1), address: '莲湖路 12 号', reporterName: '王先生', reporterPhone: '13991670002', dispatchNow: true });
  // Being handled; the unit asked for more time.
  const ext = await make(command, { source: 'hotline', categoryId: cat('SJ0504'), description: '机动车长期占用消防通道', ...pointOf('610702002001002'), reporterPhone: '13991670003', dispatchNow: true, extra: { plate: '陕F·12345' } });
  await act(dept, ext.id, 'receive');
  await act(dept, ext.id, 'request_extension', { reason: '需联系车主并协调交警', extension: { value: 1, unit: 'days' } });
  // Handled, waiting for the grid worker to verify on site.
  const verify = await make(command, { source: 'hotline', categoryId: cat('SJ0201'), description: '单元门口张贴大量小广告', ...pointOf(G1), reporterPhone: '13991670004', dispatchNow: true });
  await act(dept, verify.id, 'receive');
  await act(dept, verify.id, 'feedback', { note: '已组织人员清除小广告' });
  // Closed and rated by the resident's callback.
  const done = await make(command, { source: 'hotline', categoryId: cat('BJ0102'), description: '路灯不亮，夜间出行不便', ...pointOf(G1), reporterPhone: '13991670005', dispatchNow: true });
  await act(dept, done.id, 'receive');
  await act(dept, done.id, 'feedback', { note: '已更换灯泡，恢复照明' });
  await act(gridworker, done.id, 'verify_pass', { note: '现场核实已亮' });
  await act(command, done.id, 'close');
  await act(command, done.id, 'rate', { rating: 'satisfied', note: '回访满意' });
  // Settled on the spot by the grid worker.
  await make(gridworker, { source: 'grid_worker', categoryId: cat('SJ0505'), description: '共享单车堵住楼道口', ...pointOf(G1), settleNote: '已挪开并联系运营公司' });
  // Reported by the grid worker, escalated by the grid leader to the community.
  const dispute = await make(gridworker, { source: 'grid_worker', categoryId: cat('ZL0101'), description: '楼上漏水引发邻里纠纷', ...pointOf(G1), extra: { parties: 2 } });
  await act(gridleader, dispute.id, 'escalate', { reason: '网格内调解未果，需社区协调' });
  // The community handles a matter of its own.
  const help = await make(community, { source: 'resident', categoryId: cat('ZL0401'), description: '独居老人申请助餐服务', ...pointOf('610702002001003'), reporterName: '张大爷', reporterPhone: '13991670006' });
  await act(community, help.id, 'handle_here', { note: '社区养老服务站对接' });
  // Refused, and a duplicate merged into the case at the desk.
  const refused = await make(command, { source: 'hotline', categoryId: cat('ZL0501'), description: '咨询外地社保转移政策', ...pointOf(G1) });
  await act(command, refused.id, 'refuse', { reason: '不属于本平台受理范围，已告知拨打 12333' });
  const first = await make(command, { source: 'hotline', categoryId: cat('BJ0204'), description: '人行道地砖破损，老人差点摔倒', ...pointOf('610702002006001'), reporterPhone: '13991670007' });
  const second = await make(command, { source: 'hotline', categoryId: cat('BJ0204'), description: '人行道地砖松动破损', ...pointOf('610702002006001'), reporterPhone: '13991670008' });
  await act(command, second.id, 'merge', { targetCaseId: first.id, note: '同一位置同一问题' });
  return n;
}

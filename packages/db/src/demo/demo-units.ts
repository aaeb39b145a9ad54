import { sql } from 'drizzle-orm';
import { rows, type Db } from '../connection/open.ts';
import { seedCaseReference } from '../cases/case-seed.ts';

/**
 * The demo's handling units and routing rules: the district's departments, the street office and
 * each community's own office (属地), with the demo accounts as members, and rules that send city
 * management matters to the departments and neighbourhood matters to the community of the place.
 */
export const DEMO_DEPARTMENTS = [
  { code: 'D610702-CG', name: '汉台区城市管理执法局' },
  { code: 'D610702-ZJ', name: '汉台区住房和城乡建设局' },
  { code: 'D610702-SW', name: '汉台区水务局' },
  { code: 'D610702-GA', name: '汉中市公安局汉台分局东大街派出所' },
  { code: 'D610702-YJ', name: '汉台区应急管理局' },
  { code: 'D610702-MZ', name: '汉台区民政局' },
] as const;

/** category code prefix → department code (first match wins, in this order). */
const DEPARTMENT_RULES: Array<[string, string, string]> = [
  ['SJ04', 'D610702-SW', '突发事件 → 水务局'],
  ['SJ03', 'D610702-ZJ', '施工管理 → 住建局'],
  ['BJ05', 'D610702-ZJ', '房屋土地 → 住建局'],
  ...['SJ01', 'SJ02', 'SJ05', 'SJ06', 'BJ01', 'BJ02', 'BJ03', 'BJ04', 'BJ06'].map((c): [string, string, string] => [c, 'D610702-CG', '城市管理 → 城管执法局']),
  ['ZL03', 'D610702-GA', '治安 → 派出所'],
  ['ZL02', 'D610702-YJ', '安全隐患 → 应急管理局'],
];

export async function loadDemoUnits(tx: Db, ids: Map<string, string>, users: Map<string, string>, districtCode: string, streetCode: string, at: Date) {
  await seedCaseReference(tx, at);
  const districtId = ids.get(districtCode)!;
  const unitIds = new Map<string, string>();
  const addUnit = async (code: string, name: string, kind: 'department' | 'area_office', areaId: string) => {
    const [u] = await rows<{ id: string }>(tx, sql`
      INSERT INTO handling_units (code, name_zh, kind, area_id, district_id, created_at)
      VALUES (${code}, ${name}, ${kind}, ${areaId}::bigint, ${districtId}::bigint, ${at.toISOString()}::timestamptz) RETURNING id::text`);
    unitIds.set(code, u!.id);
    return u!.id;
  };
  for (const d of DEMO_DEPARTMENTS) await addUnit(d.code, d.name, 'department', districtId);
  const street = await rows<{ id: string; name_zh: string }>(tx, sql`SELECT id::text, name_zh FROM areas WHERE code = ${streetCode}`);
  await addUnit(`O${streetCode}`, `${street[0]!.name_zh}办事处`, 'area_office', street[0]!.id);
  const communities = await rows<{ id: string; code: string; name_zh: string }>(tx, sql`
    SELECT id::text, code, name_zh FROM areas WHERE parent_id = ${street[0]!.id}::bigint AND level = 'community' ORDER BY code`);
  for (const c of communities) await addUnit(`O${c.code}`, c.name_zh, 'area_office', c.id);

  let seq = 10;
  for (const [prefix, unit, name] of DEPARTMENT_RULES) {
    const [cat] = await rows<{ id: string; name_zh: string }>(tx, sql`SELECT id::text, name_zh FROM case_categories WHERE code = ${prefix}`);
    if (!cat) throw new Error(`demo routing rule: no category ${prefix}`);
    await tx.execute(sql`INSERT INTO routing_rules (seq, name, category_id, area_id, unit_id, created_at)
      VALUES (${seq}, ${name.replace('城市管理', cat.name_zh)}, ${cat.id}::uuid, NULL, ${unitIds.get(unit)!}::uuid, ${at.toISOString()}::timestamptz)`);
    seq += 10;
  }
  // Disputes, public services and questions stay with the community of the place (小事不出社区).
  for (const c of communities) {
    for (const prefix of ['ZL01', 'ZL04', 'ZL05']) {
      const [cat] = await rows<{ id: string; name_zh: string }>(tx, sql`SELECT id::text, name_zh FROM case_categories WHERE code = ${prefix}`);
      await tx.execute(sql`INSERT INTO routing_rules (seq, name, category_id, area_id, unit_id, created_at)
        VALUES (${seq}, ${`${cat!.name_zh} → ${c.name_zh}`}, ${cat!.id}::uuid, ${c.id}::bigint, ${unitIds.get(`O${c.code}`)!}::uuid, ${at.toISOString()}::timestamptz)`);
      seq += 10;
    }
  }
  const member = async (username: string, unitCode: string) =>
    tx.execute(sql`INSERT INTO unit_members (unit_id, user_id) VALUES (${unitIds.get(unitCode)!}::uuid, ${users.get(username)!}::uuid)`);
  await member('dept', 'D610702-CG');
  await member('community', `O${communities[0]!.code}`);
  return { units: unitIds.size, rules: (seq - 10) / 10 };
}

import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import type { ExtraField, Priority } from '@wangge/contracts';
import { rows, type Db } from '../connection/open.ts';

/**
 * Reference data of the case flow, written at every start with ON CONFLICT DO NOTHING so a city's
 * own edits survive: the national calendar (holidays and 调休 working days, from chinese-days) and
 * the seed category tree — digital city management events (事件) and components (部件), after the
 * 大类 of GB/T 30428.2, plus the governance matters of grid work (矛盾纠纷, 安全隐患, 治安, 民生服务,
 * 咨询建议). Limits are per priority (urgent, high, normal) in working hours or working days.
 */

type Limits = Record<Priority, number>;
interface SeedCategory {
  code: string;
  zh: string;
  en: string;
  unit?: 'hours' | 'days';
  limits?: Limits;
  verify?: boolean;
  extra?: ExtraField[];
  children?: SeedCategory[];
}

const h = (normal: number, high = Math.max(0.5, normal / 2), urgent = Math.max(0.5, normal / 4)) => ({ unit: 'hours' as const, limits: { urgent, high, normal } });
const dd = (normal: number, high = Math.max(1, Math.ceil(normal / 2)), urgent = 1) => ({ unit: 'days' as const, limits: { urgent, high, normal } });

export const SEED_CATEGORIES: SeedCategory[] = [
  { code: 'SJ01', zh: '市容环境', en: 'City appearance', ...h(8), children: [
    { code: 'SJ0101', zh: '私搭乱建', en: 'Unauthorised structures', ...dd(5), children: [
      { code: 'SJ010101', zh: '违法建设', en: 'Illegal building', ...dd(20, 10, 5) },
      { code: 'SJ010102', zh: '违规搭建棚亭', en: 'Unauthorised sheds and kiosks', ...dd(5) },
    ] },
    { code: 'SJ0102', zh: '暴露垃圾', en: 'Exposed rubbish', ...h(4) },
    { code: 'SJ0103', zh: '积存垃圾渣土', en: 'Piled-up rubbish and spoil', ...h(8) },
    { code: 'SJ0104', zh: '道路不洁', en: 'Dirty road', ...h(4) },
    { code: 'SJ0105', zh: '水域不洁', en: 'Dirty water surface', ...dd(1) },
    { code: 'SJ0106', zh: '绿地脏乱', en: 'Untidy green space', ...dd(1) },
  ] },
  { code: 'SJ02', zh: '宣传广告', en: 'Advertising', ...dd(1), children: [
    { code: 'SJ0201', zh: '非法小广告', en: 'Illegal flyers', ...dd(1) },
    { code: 'SJ0202', zh: '违规张贴悬挂广告', en: 'Unauthorised posters and banners', ...dd(2) },
    { code: 'SJ0203', zh: '占道广告牌', en: 'Signboard on the roadway', ...dd(3) },
  ] },
  { code: 'SJ03', zh: '施工管理', en: 'Construction', ...h(8), children: [
    { code: 'SJ0301', zh: '施工扰民', en: 'Construction noise', ...h(4) },
    { code: 'SJ0302', zh: '施工占道', en: 'Construction on the roadway', ...dd(1) },
    { code: 'SJ0303', zh: '道路遗撒', en: 'Spillage on the road', ...h(4) },
    { code: 'SJ0304', zh: '工地扬尘', en: 'Dust from a site', ...h(4) },
  ] },
  { code: 'SJ04', zh: '突发事件', en: 'Emergencies', ...h(2, 1, 0.5), children: [
    { code: 'SJ0401', zh: '路面塌陷', en: 'Road collapse', ...h(2, 1, 0.5) },
    { code: 'SJ0402', zh: '自来水管破裂', en: 'Burst water main', ...h(2, 1, 0.5) },
    { code: 'SJ0403', zh: '燃气管道泄漏', en: 'Gas leak', ...h(1, 0.5, 0.5) },
    { code: 'SJ0404', zh: '道路积水', en: 'Flooded road', ...h(2, 1, 0.5) },
    { code: 'SJ0405', zh: '道路积雪结冰', en: 'Snow and ice on the road', ...h(4, 2, 1) },
  ] },
  { code: 'SJ05', zh: '街面秩序', en: 'Street order', ...h(4), children: [
    { code: 'SJ0501', zh: '无照经营游商', en: 'Unlicensed street vending', ...h(4) },
    { code: 'SJ0502', zh: '店外经营', en: 'Trading outside the shop', ...h(4) },
    { code: 'SJ0503', zh: '占道废品收购', en: 'Scrap collection on the roadway', ...dd(1) },
    { code: 'SJ0504', zh: '机动车乱停放', en: 'Illegal car parking', ...h(4),
      extra: [{ key: 'plate', labelZh: '车牌号', labelEn: 'Licence plate', type: 'text', required: false }] },
    { code: 'SJ0505', zh: '非机动车乱停放', en: 'Bicycles parked in the way', ...h(4) },
    { code: 'SJ0506', zh: '露天烧烤', en: 'Open-air barbecue', ...h(2) },
  ] },
  { code: 'SJ06', zh: '其他事件', en: 'Other events', ...dd(3), children: [
    { code: 'SJ0601', zh: '其他城市管理事件', en: 'Other city management events', ...dd(3) },
  ] },
  { code: 'BJ01', zh: '公用设施', en: 'Public utilities', ...dd(2), children: [
    { code: 'BJ0101', zh: '井盖缺失破损', en: 'Missing or broken manhole cover', ...h(4, 2, 1) },
    { code: 'BJ0102', zh: '路灯不亮', en: 'Street light out', ...dd(2) },
    { code: 'BJ0103', zh: '消防栓损坏', en: 'Damaged fire hydrant', ...dd(1) },
    { code: 'BJ0104', zh: '供电设施损坏', en: 'Damaged power equipment', ...h(8) },
  ] },
  { code: 'BJ02', zh: '道路交通', en: 'Roads and traffic', ...dd(2), children: [
    { code: 'BJ0201', zh: '交通信号灯故障', en: 'Traffic light fault', ...h(4, 2, 1) },
    { code: 'BJ0202', zh: '交通标志损坏', en: 'Damaged traffic sign', ...dd(3) },
    { code: 'BJ0203', zh: '道路护栏损坏', en: 'Damaged guard rail', ...dd(3) },
    { code: 'BJ0204', zh: '道路破损', en: 'Damaged road surface', ...dd(5) },
  ] },
  { code: 'BJ03', zh: '市容环境设施', en: 'Sanitation facilities', ...dd(2), children: [
    { code: 'BJ0301', zh: '公厕设施损坏', en: 'Public toilet out of order', ...dd(1) },
    { code: 'BJ0302', zh: '垃圾箱破损', en: 'Damaged litter bin', ...dd(2) },
  ] },
  { code: 'BJ04', zh: '园林绿化', en: 'Parks and greenery', ...dd(3), children: [
    { code: 'BJ0401', zh: '行道树倒伏', en: 'Fallen street tree', ...h(4, 2, 1) },
    { code: 'BJ0402', zh: '绿地破坏', en: 'Damaged green space', ...dd(5) },
  ] },
  { code: 'BJ05', zh: '房屋土地', en: 'Buildings and land', ...dd(5), children: [
    { code: 'BJ0501', zh: '危房', en: 'Dangerous building', ...dd(3, 1, 1) },
    { code: 'BJ0502', zh: '闲置土地脏乱', en: 'Untidy vacant land', ...dd(5) },
  ] },
  { code: 'BJ06', zh: '其他设施', en: 'Other facilities', ...dd(5), children: [
    { code: 'BJ0601', zh: '健身设施损坏', en: 'Damaged fitness equipment', ...dd(5) },
  ] },
  { code: 'ZL01', zh: '矛盾纠纷', en: 'Disputes', ...dd(5), children: [
    { code: 'ZL0101', zh: '邻里纠纷', en: 'Neighbour dispute', ...dd(3),
      extra: [{ key: 'parties', labelZh: '当事人数', labelEn: 'Parties involved', type: 'number', required: false }] },
    { code: 'ZL0102', zh: '家庭婚姻纠纷', en: 'Family or marriage dispute', ...dd(5) },
    { code: 'ZL0103', zh: '物业纠纷', en: 'Property management dispute', ...dd(5) },
    { code: 'ZL0104', zh: '劳资纠纷', en: 'Wage dispute', ...dd(5) },
  ] },
  { code: 'ZL02', zh: '安全隐患', en: 'Safety hazards', ...dd(1), children: [
    { code: 'ZL0201', zh: '消防安全隐患', en: 'Fire hazard', ...h(8, 4, 2),
      extra: [{ key: 'hazard', labelZh: '隐患类型', labelEn: 'Kind of hazard', type: 'select', options: ['通道堵塞', '电动车违规充电', '私拉电线', '其他'], required: true }] },
    { code: 'ZL0202', zh: '燃气安全隐患', en: 'Gas hazard', ...h(4, 2, 1) },
    { code: 'ZL0203', zh: '房屋安全隐患', en: 'Building safety hazard', ...dd(2) },
    { code: 'ZL0204', zh: '高空坠物隐患', en: 'Falling-object hazard', ...h(8, 4, 2) },
  ] },
  { code: 'ZL03', zh: '治安', en: 'Public security', ...dd(1), children: [
    { code: 'ZL0301', zh: '治安隐患', en: 'Public security risk', ...dd(1) },
    { code: 'ZL0302', zh: '噪音扰民', en: 'Noise nuisance', ...h(4) },
  ] },
  { code: 'ZL04', zh: '民生服务', en: 'Public services', ...dd(5), children: [
    { code: 'ZL0401', zh: '养老服务', en: 'Elderly care', ...dd(5) },
    { code: 'ZL0402', zh: '社会救助', en: 'Social assistance', ...dd(5) },
    { code: 'ZL0403', zh: '就业服务', en: 'Employment services', ...dd(5) },
    { code: 'ZL0404', zh: '供水供电供气', en: 'Water, power and gas supply', ...dd(2, 1, 1) },
  ] },
  { code: 'ZL05', zh: '咨询建议', en: 'Questions and suggestions', ...dd(5), verify: false, children: [
    { code: 'ZL0501', zh: '政策咨询', en: 'Policy question', ...dd(3), verify: false },
    { code: 'ZL0502', zh: '意见建议', en: 'Suggestion', ...dd(5), verify: false },
  ] },
];

/** Writes what is missing of the seed tree (never changes an existing category) and of the calendar. */
export async function seedCaseReference(db: Db, at: Date): Promise<{ categories: number; days: number }> {
  let categories = 0;
  const walk = async (list: SeedCategory[], parentId: string | null, level: number, inherit: { verify: boolean }) => {
    for (const [i, c] of list.entries()) {
      const verify = c.verify ?? inherit.verify;
      const inserted = await rows<{ id: string }>(db, sql`
        INSERT INTO case_categories (parent_id, code, level, name_zh, name_en, limit_unit, limits, verify_required, pause_pending, extra_fields, active, sort_key, created_at, updated_at)
        VALUES (${parentId}::uuid, ${c.code}, ${level}, ${c.zh}, ${c.en}, ${c.unit ?? 'days'}, ${JSON.stringify(c.limits ?? { urgent: 1, high: 3, normal: 5 })}::jsonb,
                ${verify}, true, ${JSON.stringify(c.extra ?? [])}::jsonb, true, ${i}, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)
        ON CONFLICT (code) DO NOTHING RETURNING id::text`);
      categories += inserted.length;
      const id = inserted[0]?.id ?? (await rows<{ id: string }>(db, sql`SELECT id::text FROM case_categories WHERE code = ${c.code}`))[0]!.id;
      if (c.children) await walk(c.children, id, level + 1, { verify });
    }
  };
  await walk(SEED_CATEGORIES, null, 1, { verify: true });
  const days = await seedCalendar(db, at);
  return { categories, days };
}

interface ChineseDays { holidays: Record<string, string>; workdays: Record<string, string> }

/** The published holiday schedule (chinese-days; the years it carries) into calendar_days, keeping admin edits. */
export async function seedCalendar(db: Db, at: Date): Promise<number> {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDays;
  const entries: Array<{ day: string; workday: boolean; name: string }> = [];
  const nameOf = (v: string) => v.split(',')[1] ?? v;
  for (const [day, v] of Object.entries(data.holidays)) entries.push({ day, workday: false, name: nameOf(v) });
  for (const [day, v] of Object.entries(data.workdays)) entries.push({ day, workday: true, name: `${nameOf(v)}调休` });
  const r = await rows<{ n: number }>(db, sql`
    WITH ins AS (
      INSERT INTO calendar_days (day, workday, name, source, updated_at)
      SELECT d::date, w, n, 'package', ${at.toISOString()}::timestamptz
      FROM unnest(${`{${entries.map((e) => e.day).join(',')}}`}::text[], ${`{${entries.map((e) => e.workday).join(',')}}`}::boolean[], ${`{${entries.map((e) => `"${e.name}"`).join(',')}}`}::text[]) AS t(d, w, n)
      ON CONFLICT (day) DO NOTHING RETURNING 1)
    SELECT count(*)::int AS n FROM ins`);
  return r[0]!.n;
}

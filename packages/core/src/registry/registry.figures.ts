import { AGE_BANDS } from './age-band.rules.ts';

/**
 * The figures of a classified summary (分类汇总), each read from the live per-grid counters
 * (grid_stats; the metric names are made by the *_metrics SQL functions of migration 0005).
 * Age bands are summed from birth-year counters: age = the summary's year − the birth year
 * (年龄按统计年度计算), which is how yearly statistical reports count and what counters by year can give.
 * Care and special-group figures are added per tag (tag:<code>), from the tag table.
 */
export interface SummaryFigureDef {
  key: string;
  group: 'population' | 'age' | 'households' | 'houses' | 'organisations' | 'places';
  labelZh: string;
  labelEn: string;
  of: (m: Record<string, number>, year: number) => number;
}

const metric = (name: string) => (m: Record<string, number>) => m[name] ?? 0;

function ageBand(min: number, max: number | null) {
  return (m: Record<string, number>, year: number) => {
    let n = 0;
    for (const [k, v] of Object.entries(m)) {
      if (!k.startsWith('birth:')) continue;
      const age = year - Number(k.slice(6));
      if (age >= min && (max === null || age <= max)) n += v;
    }
    return n;
  };
}

export const SUMMARY_FIGURES: readonly SummaryFigureDef[] = [
  { key: 'people', group: 'population', labelZh: '实有人口', labelEn: 'People', of: metric('people') },
  { key: 'pop:1', group: 'population', labelZh: '户籍人口', labelEn: 'Registered residents', of: metric('pop:1') },
  { key: 'pop:2', group: 'population', labelZh: '流动人口', labelEn: 'Floating population', of: metric('pop:2') },
  { key: 'pop:3', group: 'population', labelZh: '境外人员', labelEn: 'Foreign nationals', of: metric('pop:3') },
  { key: 'pop:4', group: 'population', labelZh: '留守人员', labelEn: 'Left-behind people', of: metric('pop:4') },
  { key: 'sex:1', group: 'population', labelZh: '男', labelEn: 'Men', of: metric('sex:1') },
  { key: 'sex:2', group: 'population', labelZh: '女', labelEn: 'Women', of: metric('sex:2') },
  { key: 'party', group: 'population', labelZh: '党员', labelEn: 'Party members', of: metric('party') },
  ...AGE_BANDS.map((b) => ({ key: `age:${b.code}`, group: 'age' as const, labelZh: b.label['zh-CN'], labelEn: b.label.en, of: ageBand(b.min, b.max) })),
  { key: 'households', group: 'households', labelZh: '户数', labelEn: 'Households', of: metric('households') },
  { key: 'hhkind:1', group: 'households', labelZh: '家庭户', labelEn: 'Family households', of: metric('hhkind:1') },
  { key: 'hhkind:2', group: 'households', labelZh: '集体户', labelEn: 'Collective households', of: metric('hhkind:2') },
  { key: 'houses', group: 'houses', labelZh: '房屋', labelEn: 'Houses', of: metric('houses') },
  { key: 'houses_rented', group: 'houses', labelZh: '出租房屋', labelEn: 'Houses rented out', of: metric('houses_rented') },
  { key: 'orgs', group: 'organisations', labelZh: '组织', labelEn: 'Organisations', of: metric('orgs') },
  { key: 'org:1', group: 'organisations', labelZh: '非公有制经济组织', labelEn: 'Non-public enterprises', of: metric('org:1') },
  { key: 'org:2', group: 'organisations', labelZh: '社会组织', labelEn: 'Social organisations', of: metric('org:2') },
  { key: 'org:3', group: 'organisations', labelZh: '驻区单位', labelEn: 'Units based in the area', of: metric('org:3') },
  { key: 'compounds', group: 'places', labelZh: '小区', labelEn: 'Compounds', of: metric('compounds') },
  { key: 'buildings', group: 'places', labelZh: '楼栋', labelEn: 'Buildings', of: metric('buildings') },
  { key: 'facilities', group: 'places', labelZh: '部件', labelEn: 'Public facilities', of: metric('facilities') },
];

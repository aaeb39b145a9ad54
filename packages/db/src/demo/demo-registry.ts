/**
 * The demo street's registry (domain.md §4): entrances, houses, households and people in every
 * demo building, a few compounds, organisations, public facilities, and care / special-group tags
 * with visits due around today. Deterministic from a seed; written through the registry port, so
 * ID numbers and phones are encrypted with their blind indexes and masks, names get their search
 * grams and pinyin, and the grid_stats triggers count every row.
 *
 * Completeness differs by grid on purpose (区不漏房、房不漏户、户不漏项): each grid draws how many
 * of its homes have a registered household, how many households still lack their members and how
 * often a person's record misses a field, so the grid map shows a range rather than one colour.
 *
 * The people generator (RegistryFaker, houseRows) is shared with the scale generator of the
 * benchmark (tools/bench/registry-gen.ts), which uses it with a Chengdu profile.
 */
import { sql } from 'drizzle-orm';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { checkDigit, usccCheckChar, type Clock, type NewRecord, type RegistryPort, type TagRecord, type Values } from '@wangge/core';
import { rows, type Database, type Db } from '../connection/open.ts';
import type { FieldCrypto } from '../crypto/field-crypto.ts';
import type { GeoJsonPolygon } from '../areas/area-import.ts';
import { portsOn } from '../repos/store.ts';
import { auditRepo } from '../repos/audit.repo.ts';
import { registryReference } from '../registry/registry-seed.ts';
import { mulberry32 } from './synthetic-geometry.ts';
import { DEMO } from './demo.ts';

// ── Randomness ────────────────────────────────────────────────────────────────

export class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  weighted<T>(w: Weighted<T>): T {
    const x = this.next() * w.total;
    let lo = 0;
    let hi = w.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (w.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return w.items[lo]!;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

export interface Weighted<T> {
  items: T[];
  cum: number[];
  total: number;
}

export function weights<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  const items: T[] = [];
  const cum: number[] = [];
  let total = 0;
  for (const [item, w] of pairs) {
    total += w;
    items.push(item);
    cum.push(total);
  }
  return { items, cum, total };
}

// ── Calendar dates (YYYY-MM-DD, UTC arithmetic) ──────────────────────────────

const DAY_MS = 86_400_000;
const dayMs = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => isoDay(dayMs(d) + n * DAY_MS);
/** The same day `years` earlier (29 February → 28 February). */
function yearsBefore(d: string, years: number): string {
  const y = Number(d.slice(0, 4)) - years;
  const md = d.slice(5);
  return md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? `${y}-02-28` : `${y}-${md}`;
}
/** Today's calendar date in the site's time zone. */
export function civilToday(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

// ── Names (surnames weighted roughly as in the 2020 census; given names by generation) ─

const SURNAMES = weights<string>([
  ['王', 71], ['李', 70], ['张', 66], ['刘', 54], ['陈', 46], ['杨', 31], ['黄', 25], ['赵', 23], ['吴', 20], ['周', 19],
  ['徐', 15], ['孙', 15], ['马', 14], ['朱', 13], ['胡', 13], ['郭', 12], ['何', 12], ['林', 11], ['高', 11], ['罗', 11],
  ['郑', 10], ['梁', 9], ['谢', 8], ['宋', 8], ['唐', 8], ['许', 7], ['韩', 7], ['邓', 7], ['冯', 7], ['曹', 7],
  ['彭', 6], ['曾', 6], ['肖', 6], ['田', 6], ['董', 5], ['潘', 5], ['袁', 5], ['蔡', 5], ['蒋', 5], ['余', 5],
  ['于', 5], ['杜', 5], ['叶', 5], ['程', 4], ['魏', 4], ['苏', 4], ['吕', 4], ['丁', 4], ['任', 4], ['卢', 4],
  ['姚', 4], ['沈', 4], ['钟', 4], ['姜', 4], ['崔', 3], ['谭', 3], ['陆', 3], ['范', 3], ['汪', 3], ['廖', 3],
  ['石', 3], ['金', 3], ['韦', 3], ['贾', 3], ['夏', 3], ['付', 3], ['方', 3], ['邹', 2], ['熊', 2], ['白', 2],
  ['孟', 2], ['秦', 2], ['邱', 2], ['侯', 2], ['江', 2], ['尹', 2], ['薛', 2], ['闫', 2], ['段', 2], ['雷', 2],
  ['龙', 2], ['黎', 2], ['史', 2], ['陶', 2], ['贺', 2], ['毛', 2], ['郝', 2], ['顾', 2], ['龚', 2], ['邵', 2],
  ['万', 2], ['武', 1], ['钱', 1], ['戴', 1], ['严', 1], ['莫', 1], ['孔', 1], ['向', 1], ['常', 1], ['汤', 1],
  ['单', 0.5], ['解', 0.5], ['仇', 0.3], ['区', 0.2], ['欧阳', 0.8], ['司马', 0.1], ['上官', 0.1], ['诸葛', 0.1],
]);

/** [sex][generation: born before 1965, 1965–1989, 1990 on]: one-character and two-character given names. */
const GIVEN: Record<'1' | '2', { one: string[]; two: string[] }[]> = {
  '1': [
    { one: [...'军强明华平刚林斌勇峰辉海'], two: ['建国', '建华', '国庆', '卫东', '志强', '德明', '振华', '学军', '永强', '春生', '国强', '建军', '志刚', '保国'] },
    { one: [...'伟强磊军勇杰涛明超刚平辉鹏华飞斌波亮'], two: ['海涛', '晓东', '志明', '俊杰', '小龙', '建伟', '文斌', '晓峰', '永刚', '红军', '海波', '志勇', '国华', '剑锋'] },
    { one: [...'浩宇轩杰博鑫凯帅旭阳晨皓睿'], two: ['子轩', '浩然', '宇航', '嘉豪', '文博', '一鸣', '思远', '明轩', '天佑', '俊熙', '梓豪', '宇轩', '晨阳', '浩宇'] },
  ],
  '2': [
    { one: [...'英兰珍芳华秀凤琴梅霞玲萍'], two: ['秀英', '桂英', '秀兰', '玉兰', '桂兰', '淑珍', '秀珍', '凤英', '玉梅', '桂芳', '淑英', '素芬', '玉珍', '翠花'] },
    { one: [...'芳娜敏静丽艳娟霞燕玲红梅丹萍琴'], two: ['丽华', '春梅', '海燕', '晓红', '小红', '丽娟', '晓燕', '美玲', '慧敏', '红梅', '雪梅', '艳红', '小燕', '丽萍'] },
    { one: [...'婷琳雪颖倩洁慧悦欣佳怡萱瑶'], two: ['雅婷', '欣怡', '梓涵', '诗涵', '子涵', '雨欣', '思琪', '佳怡', '梦瑶', '婉清', '静怡', '可馨', '一诺', '若曦'] },
  ],
};
/** Share of one-character given names by generation (two-character full names such as 张伟 are common). */
const ONE_CHAR_SHARE = [0.45, 0.42, 0.22];

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '166', '173', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];

// ── Where people come from ────────────────────────────────────────────────────

export interface PlaceProfile {
  /** The district's 6-digit code (credit codes, facility codes, household numbers). */
  districtCode: string;
  districtName: string;
  /** Short name of the city for company names (汉中, 成都). */
  cityShort: string;
  /** 户籍地 prefix of the district's own residents. */
  hukouPrefix: string;
  landlineArea: string;
  /** ID area codes of registered residents: [code, weight]. */
  home: readonly (readonly [string, number])[];
  /** ID area codes and places of floating residents: [code, 户籍地, weight]. */
  away: readonly (readonly [string, string, number])[];
  /** Ethnic groups other than 汉 (01), [code, weight]; 汉 is the rest. */
  minorities: readonly (readonly [string, number])[];
  minorityShare: number;
  employers: readonly string[];
  /** Where the parents of left-behind children work. */
  workAway: readonly string[];
}

const FOREIGN = [
  { nationality: '韩国', names: ['金敏俊', '朴智恩', '李承宪', '崔秀贤'], doc: 'M' },
  { nationality: '日本', names: ['佐藤健一', '铃木由美', '高桥翔太'], doc: 'TK' },
  { nationality: '美国', names: ['SMITH JOHN', 'JOHNSON EMILY', '约翰·米勒'], doc: '5' },
  { nationality: '巴基斯坦', names: ['阿里·汗', 'AHMED BILAL'], doc: 'AB' },
  { nationality: '俄罗斯', names: ['伊万·彼得罗夫', 'IVANOVA ANNA'], doc: '7' },
] as const;

// ── One grid's diligence ──────────────────────────────────────────────────────

/** How completely a grid's worker has registered it: the three shares of the completeness figure. */
export interface GridQuality {
  /** Probability that a home has its household registered. */
  occupancy: number;
  /** Probability that a registered household has no members entered yet. */
  emptyHouseholds: number;
  /** Probability that a person's record misses one or two fields. */
  missingFields: number;
}

export function gridQuality(r: Rand): GridQuality {
  const d = r.next() ** 0.7; // most grids fairly diligent, a few lagging
  return { occupancy: 0.62 + 0.36 * d, emptyHouseholds: 0.09 * (1 - d), missingFields: 0.02 + 0.3 * (1 - d) };
}

// ── People ────────────────────────────────────────────────────────────────────

export type TagPlan = Pick<TagRecord, 'tag' | 'values' | 'attention' | 'nextVisitOn' | 'lastVisitOn' | 'note' | 'startedOn'>;

export interface PersonPlan {
  /** Person values without householdId and houseId (given when written). */
  values: Values;
  tags: TagPlan[];
}

export interface HouseholdPlan {
  householdNo: string;
  kind: '1' | '2';
  members: PersonPlan[];
}

type Pop = '1' | '2' | '3' | '4';
interface Origin {
  area: string;
  hukou: string | null;
}
interface MemberSpec {
  sex: '1' | '2';
  age: number;
  relation: string;
  pop: Pop;
  origin: Origin;
  married: boolean;
  address: string;
  guardianPhone?: string | null;
  inflowReason?: string;
  foreign?: (typeof FOREIGN)[number];
  residenceType?: string | null;
}

const FILL_DROPPABLE = ['phone', 'education', 'marital', 'ethnicity', 'political', 'hukouAddress'] as const;
const TAG_INTERVALS = new Map(registryReference().tags.map((t) => [t.code, t.visitIntervalDays] as const));

/** Plausible residents for one place, with unique valid ID numbers (GB 11643) and realistic shares. */
export class RegistryFaker {
  readonly r: Rand;
  private readonly usedIds = new Set<string>();
  private readonly usedCredit = new Set<string>();
  private readonly homeW: Weighted<string>;
  private readonly awayW: Weighted<readonly [string, string]>;
  private readonly minorityW: Weighted<string>;
  private readonly year: number;
  private householdSeq = 0;

  constructor(seed: number, readonly place: PlaceProfile, readonly today: string) {
    this.r = new Rand(seed);
    this.homeW = weights(place.home);
    this.awayW = weights(place.away.map(([code, hukou, w]) => [[code, hukou] as const, w] as const));
    this.minorityW = weights(place.minorities);
    this.year = Number(today.slice(0, 4));
  }

  /** A birth date of someone exactly `age` years old today. */
  birth(age: number): string {
    return addDays(yearsBefore(this.today, age), -this.r.int(0, 364));
  }

  /** A unique resident ID number: area, birth date, 3-digit sequence (odd for men), check character. */
  idNumber(area: string, birth: string, sex: '1' | '2'): string {
    for (;;) {
      const seq = this.r.digits(2) + String(this.r.int(0, 4) * 2 + (sex === '1' ? 1 : 0));
      const first17 = area + birth.replace(/-/g, '') + seq;
      if (this.usedIds.has(first17)) continue;
      this.usedIds.add(first17);
      return first17 + checkDigit(first17);
    }
  }

  mobile(): string {
    return this.r.pick(MOBILE_PREFIXES) + this.r.digits(8);
  }

  landline(): string {
    // Three-digit area codes (010, 02x) have 8-digit local numbers, four-digit ones 7 here.
    return this.place.landlineArea + String(this.r.int(2, 8)) + this.r.digits(this.place.landlineArea.length === 3 ? 7 : 6);
  }

  name(sex: '1' | '2', birthYear: number): string {
    const gen = birthYear < 1965 ? 0 : birthYear < 1990 ? 1 : 2;
    const pool = GIVEN[sex][gen]!;
    return this.r.weighted(SURNAMES) + (this.r.chance(ONE_CHAR_SHARE[gen]!) ? this.r.pick(pool.one) : this.r.pick(pool.two));
  }

  /** Someone who owns a home without living in it: name, ID number, phone. */
  owner(): { name: string; idNo: string; phone: string } {
    const sex = this.r.chance(0.55) ? '1' : '2';
    const birth = this.birth(this.r.int(32, 75));
    return { name: this.name(sex, Number(birth.slice(0, 4))), idNo: this.idNumber(this.r.weighted(this.homeW), birth, sex), phone: this.mobile() };
  }

  nextHouseholdNo(): string {
    return this.place.districtCode + String(++this.householdSeq).padStart(7, '0');
  }

  /** A unified social credit code (GB 32100) for `prefix` (91 enterprise, 92 个体工商户, 51/52 社会组织, 12 事业单位…) with a GB 11714 body. */
  creditCode(prefix: string): string {
    for (;;) {
      const body = this.r.digits(8);
      const w = [3, 7, 9, 10, 5, 8, 4, 2];
      const c = 11 - (w.reduce((s, k, i) => s + k * Number(body[i]), 0) % 11);
      const first17 = prefix + this.place.districtCode + body + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
      const code = first17 + usccCheckChar(first17);
      if (this.usedCredit.has(code)) continue;
      this.usedCredit.add(code);
      return code;
    }
  }

  private homeOrigin(): Origin {
    return { area: this.r.weighted(this.homeW), hukou: this.place.hukouPrefix };
  }

  private awayOrigin(): Origin {
    const [area, hukou] = this.r.weighted(this.awayW);
    return { area, hukou };
  }

  /** The household living in one home: its kind and members (2–4 people; a few elderly people living alone). */
  household(o: { address: string; rented: boolean; dorm: boolean; quality: GridQuality }): HouseholdPlan {
    const r = this.r;
    const householdNo = this.nextHouseholdNo();
    if (r.chance(o.quality.emptyHouseholds)) return { householdNo, kind: o.dorm ? '2' : '1', members: [] };
    const specs: MemberSpec[] = [];
    const add = (s: Omit<MemberSpec, 'address'>) => specs.push({ ...s, address: o.address });
    const otherSex = (s: '1' | '2') => (s === '1' ? '2' : '1');
    const spouseAge = (age: number) => Math.max(20, age + r.int(-5, 4));
    const spouseRel = (s: '1' | '2') => (s === '1' ? '11' : '12');
    const kidRel = (s: '1' | '2') => (s === '1' ? '20' : '30');
    const parentRel = (s: '1' | '2') => (s === '1' ? '51' : '52');
    let kind: '1' | '2' = '1';
    let shape: string;

    if (o.dorm) {
      kind = '2';
      shape = 'dorm';
      const n = r.int(3, 4);
      const sex = r.chance(0.7) ? '1' : '2';
      for (let i = 0; i < n; i++) add({ sex, age: r.int(18, 48), relation: i === 0 ? '02' : '99', pop: '2', origin: this.awayOrigin(), married: r.chance(0.5), inflowReason: '01', residenceType: '05' });
    } else if (o.rented) {
      shape = r.weighted(RENTED_SHAPES);
      if (shape === 'foreign') {
        const f = r.pick(FOREIGN);
        const sex = r.chance(0.6) ? '1' : '2';
        const age = r.int(25, 55);
        const origin = { area: '', hukou: null };
        add({ sex, age, relation: '02', pop: '3', origin, married: true, foreign: f, residenceType: '02' });
        add({ sex: otherSex(sex), age: spouseAge(age), relation: spouseRel(otherSex(sex)), pop: '3', origin, married: true, foreign: f, residenceType: '02' });
      } else if (shape === 'family') {
        const sex = r.chance(0.75) ? '1' : '2';
        const age = r.int(23, 46);
        const origin = this.awayOrigin();
        add({ sex, age, relation: '02', pop: '2', origin, married: true, inflowReason: r.chance(0.75) ? '01' : '03', residenceType: '02' });
        add({ sex: otherSex(sex), age: spouseAge(age), relation: spouseRel(otherSex(sex)), pop: '2', origin, married: true, inflowReason: r.chance(0.5) ? '06' : '01', residenceType: '02' });
        if (r.chance(0.45) && age >= 25) {
          const ks: '1' | '2' = r.chance(0.52) ? '1' : '2';
          add({ sex: ks, age: r.int(0, Math.min(14, age - 21)), relation: kidRel(ks), pop: '2', origin, married: false, inflowReason: '06', residenceType: '02' });
        }
      } else {
        // Two or three young people sharing a flat: siblings or friends.
        const n = r.chance(0.7) ? 2 : 3;
        const siblings = r.chance(0.4);
        const origin = this.awayOrigin();
        for (let i = 0; i < n; i++) {
          add({ sex: r.chance(0.5) ? '1' : '2', age: r.int(19, 33), relation: i === 0 ? '02' : siblings ? '70' : '99', pop: '2', origin: siblings ? origin : this.awayOrigin(), married: false, inflowReason: r.pick(['01', '01', '01', '04', '08']), residenceType: '02' });
        }
      }
    } else {
      shape = r.weighted(OWNED_SHAPES);
      const origin = this.homeOrigin();
      const pop: Pop = '1';
      if (shape === 'alone') {
        add({ sex: r.chance(0.65) ? '2' : '1', age: r.int(70, 93), relation: '02', pop, origin, married: false });
      } else if (shape === 'elderCouple') {
        const age = r.int(62, 86);
        add({ sex: '1', age, relation: '02', pop, origin, married: true });
        add({ sex: '2', age: spouseAge(age), relation: '12', pop, origin, married: true });
      } else if (shape === 'couple') {
        const sex = r.chance(0.8) ? '1' : '2';
        const age = r.int(24, 60);
        add({ sex, age, relation: '02', pop, origin, married: true });
        add({ sex: otherSex(sex), age: spouseAge(age), relation: spouseRel(otherSex(sex)), pop, origin: r.chance(0.8) ? origin : this.homeOrigin(), married: true });
      } else if (shape === 'leftBehind') {
        const age = r.int(55, 76);
        const elderPop: Pop = r.chance(0.5) ? '4' : '1';
        add({ sex: '1', age, relation: '02', pop: elderPop, origin, married: true });
        add({ sex: '2', age: spouseAge(age), relation: '12', pop: elderPop, origin, married: true });
        const ks: '1' | '2' = r.chance(0.5) ? '1' : '2';
        add({ sex: ks, age: r.int(3, 15), relation: '40', pop: '4', origin, married: false });
      } else {
        // A couple with children (family) or with a child and a parent of the head (threeGen).
        const sex = r.chance(0.8) ? '1' : '2';
        const age = shape === 'threeGen' ? r.int(32, 55) : r.int(28, 52);
        add({ sex, age, relation: '02', pop, origin, married: true });
        add({ sex: otherSex(sex), age: spouseAge(age), relation: spouseRel(otherSex(sex)), pop, origin: r.chance(0.8) ? origin : this.homeOrigin(), married: true });
        const kids = shape === 'threeGen' ? 1 : r.chance(0.3) ? 2 : 1;
        for (let k = 0; k < kids; k++) {
          const ks: '1' | '2' = r.chance(0.52) ? '1' : '2';
          const kidAge = r.int(0, Math.min(24, age - 22));
          add({ sex: ks, age: kidAge, relation: kidRel(ks), pop, origin, married: kidAge >= 23 && r.chance(0.3) });
        }
        if (shape === 'threeGen') {
          const ps: '1' | '2' = r.chance(0.35) ? '1' : '2';
          add({ sex: ps, age: Math.min(95, age + r.int(23, 33)), relation: parentRel(ps), pop, origin, married: r.chance(0.4) });
        }
      }
    }

    // Registered elsewhere in the city though living here (人户不一致).
    const elsewhere = !o.rented && !o.dorm && r.chance(0.05);
    const members = specs.map((s) => this.person(s, elsewhere));
    // Children's and very old people's contact phone is the head's (an old head's is a child's).
    if (members[0]!.values.phone === '') members[0]!.values.phone = this.mobile();
    const headPhone = members[0]!.values.phone ?? null;
    for (let i = 1; i < members.length; i++) {
      const m = members[i]!;
      if (m.values.phone === '') m.values.phone = headPhone;
      // A few members have moved out or died; the head has not (one head per household, and he counts).
      if (r.chance(0.012)) m.values.status = '2';
      else if (specs[i]!.age >= 75 && r.chance(0.04)) m.values.status = '3';
    }
    this.tagHousehold(shape, specs, members);
    for (const m of members) {
      if (m.values.status !== '1') m.tags = [];
      this.dropFields(m.values, o.quality.missingFields);
    }
    return { householdNo, kind, members };
  }

  private person(s: MemberSpec, elsewhere: boolean): PersonPlan {
    const r = this.r;
    const birth = this.birth(s.age);
    const by = Number(birth.slice(0, 4));
    const v: Values = {};
    if (s.foreign) {
      v.name = r.pick(s.foreign.names);
      v.idType = '414';
      v.idNo = s.foreign.doc + r.digits(8);
      v.sex = s.sex;
      v.birthDate = birth;
      v.ethnicity = null;
      v.political = null;
      v.nationality = s.foreign.nationality;
      v.visitPurpose = r.pick(['01', '02', '02', '03', '05']);
    } else {
      v.name = this.name(s.sex, by);
      const noCard = s.age < 2 && r.chance(0.4); // infants often have no ID number yet
      v.idType = noCard ? null : '111';
      v.idNo = noCard ? null : this.idNumber(s.origin.area, birth, s.sex);
      v.sex = s.sex;
      v.birthDate = birth;
      v.ethnicity = r.chance(this.place.minorityShare) ? r.weighted(this.minorityW) : '01';
      v.political = this.political(s.age);
    }
    v.education = education(r, s.age, by);
    v.marital = s.age < 20 ? '10' : s.married ? (r.chance(0.92) ? '21' : '22') : s.age >= 70 ? (r.chance(0.8) ? '30' : '40') : s.age >= 35 ? r.pick(['10', '40', '40', '30']) : '10';
    v.occupation = occupation(r, s.age, s.sex);
    v.workPlace = v.occupation && ['11', '13', '17', '21', '24'].includes(v.occupation as string) && r.chance(0.7) ? r.pick(this.place.employers) : null;
    v.phone = s.age >= 16 && s.age < 85 ? this.mobile() : s.age >= 85 && r.chance(0.4) ? this.landline() : ''; // '' = the head's phone
    v.popType = s.pop;
    v.relation = s.relation;
    v.currentAddress = s.address;
    if (s.pop === '1' || s.pop === '4') {
      v.hukouAddress = elsewhere ? `${this.place.hukouPrefix}${r.pick(['人民路', '建设路', '中山街', '北环路'])}${r.int(1, 300)}号` : `${this.place.hukouPrefix}${s.address}`;
      v.consistency = elsewhere ? '02' : '01';
    } else {
      v.hukouAddress = s.origin.hukou;
      v.consistency = '02';
      v.residenceType = s.residenceType ?? '02';
    }
    if (s.pop === '2') {
      v.inflowReason = s.inflowReason ?? '01';
      v.permitType = r.chance(0.7) ? '01' : null;
    }
    v.status = '1';
    return { values: v, tags: [] };
  }

  private political(age: number): string {
    const r = this.r;
    if (age >= 18 && r.chance(age < 30 ? 0.05 : age < 60 ? 0.095 : 0.12)) return '01';
    if (age >= 18 && age < 35 && r.chance(0.008)) return '02';
    if (age >= 14 && age <= 28 && r.chance(0.35)) return '03';
    return '13';
  }

  private dropFields(v: Values, p: number) {
    if (!this.r.chance(p)) return;
    const n = this.r.chance(0.7) ? 1 : 2;
    for (let i = 0; i < n; i++) v[this.r.pick(FILL_DROPPABLE)] = null;
  }

  private tag(tag: string, values: Record<string, unknown>, special = false): TagPlan {
    const r = this.r;
    const interval = TAG_INTERVALS.get(tag) ?? null;
    const next = interval === null ? null : addDays(this.today, r.int(-Math.min(10, Math.floor(interval / 2)), interval));
    const last = next !== null && interval !== null && addDays(next, -interval) <= this.today ? addDays(next, -interval) : null;
    const attention = special ? r.pick(['1', '2', '2', '3']) : r.chance(0.7) ? '1' : r.chance(0.85) ? '2' : '3';
    return { tag, values, attention, nextVisitOn: next, lastVisitOn: last, note: null, startedOn: addDays(this.today, -r.int(30, 1800)) };
  }

  private tagHousehold(shape: string, specs: MemberSpec[], members: PersonPlan[]) {
    const r = this.r;
    const head = members[0]!;
    const contact = () => `${this.name(r.chance(0.5) ? '1' : '2', this.year - r.int(30, 50))} ${this.mobile()}`;
    const selfCare = () => r.pick(['01', '01', '01', '02', '02', '03']);
    if (shape === 'alone') head.tags.push(this.tag('elderly_alone', { livingArrangement: '01', selfCare: selfCare(), emergencyContact: contact() }));
    if (shape === 'elderCouple' && specs[0]!.age >= 70 && r.chance(0.35)) {
      for (const m of members) m.tags.push(this.tag('elderly_alone', { livingArrangement: '02', selfCare: selfCare(), emergencyContact: contact() }));
    }
    if (shape === 'leftBehind') {
      members[2]!.tags.push(this.tag('left_behind_child', { guardian: String(head.values.name), parentsWhereabouts: `${r.pick(this.place.workAway)}务工` }));
    }
    if (r.chance(0.025) && specs[0]!.pop !== '3') {
      head.tags.push(this.tag('low_income', { assistanceKind: r.pick(['01', '01', '02', '03']), since: addDays(this.today, -r.int(200, 3000)), monthlyAmount: r.int(40, 95) * 10 }));
    }
    members.forEach((m, i) => {
      const s = specs[i]!;
      if (m.values.status !== '1' || s.pop === '3') return;
      if (s.age >= 75 && r.chance(0.04)) m.tags.push(this.tag('bedridden', { condition: r.pick(['脑梗后遗症', '骨折术后', '帕金森病', '阿尔茨海默病', '慢性心力衰竭']), carer: members.length > 1 ? String(members[i === 0 ? 1 : 0]!.values.name) : '社区助老员' }));
      if (s.age >= 3 && r.chance(0.011)) {
        const type = r.pick(['1', '2', '3', '4', '4', '4', '5', '6', '7']);
        const grade = r.pick(['1', '2', '3', '3', '4', '4']);
        m.tags.push(this.tag('disabled', { disabilityType: type, grade, ...(m.values.idNo ? { certificateNo: `${m.values.idNo}${type}${grade}` } : {}) }));
      }
      if (s.sex === '1' && s.age >= 55 && r.chance(0.02)) m.tags.push(this.tag('entitled', { entitledKind: r.pick(['06', '06', '06', '05', '02', '01']) }));
      if (s.age >= 18 && s.age <= 60) {
        if (r.chance(0.0015)) m.tags.push(this.tag('released', { offence: r.pick(['盗窃罪', '诈骗罪', '故意伤害罪', '危险驾驶罪']), sentence: `有期徒刑${r.int(1, 6)}年`, releasedOn: addDays(this.today, -r.int(100, 1600)), riskAssessment: r.chance(0.2) ? '01' : '02' }, true));
        if (r.chance(0.0008)) m.tags.push(this.tag('correction', { correctionType: r.pick(['02', '02', '02', '03', '04', '01']), startOn: addDays(this.today, -r.int(30, 500)), endOn: addDays(this.today, r.int(60, 900)) }, true));
        if (r.chance(0.0006)) m.tags.push(this.tag('drug', { controlStatus: r.pick(['01', '01', '05', '06']) }, true));
      }
      if (s.age >= 16 && r.chance(0.0012)) m.tags.push(this.tag('mental', { riskLevel: r.pick(['0', '0', '1', '1', '2', '3']), ...(members.length > 1 ? { guardianName: String(members[i === 0 ? 1 : 0]!.values.name) } : {}) }, true));
      if (s.age >= 14 && s.age <= 25 && r.chance(0.003)) m.tags.push(this.tag('youth', { personType: r.pick(['01', '01', '02', '99']) }, true));
    });
  }
}

const OWNED_SHAPES = weights([['alone', 4], ['elderCouple', 14], ['couple', 28], ['family', 40], ['threeGen', 11], ['leftBehind', 3]] as const);
const RENTED_SHAPES = weights([['family', 58], ['share', 37], ['foreign', 5]] as const);

const EDU_YOUNG = weights([['14', 6], ['21', 30], ['31', 22], ['61', 14], ['41', 8], ['71', 18], ['81', 2]] as const);
const EDU_MID = weights([['14', 2], ['21', 12], ['31', 15], ['61', 25], ['41', 10], ['71', 28], ['81', 8]] as const);
const EDU_OLD = weights([['21', 5], ['31', 6], ['61', 20], ['71', 33], ['81', 28], ['90', 8]] as const);

function education(r: Rand, age: number, birthYear: number): string {
  if (age < 6) return '90';
  if (age < 12) return '80';
  if (age < 15) return '70';
  if (age < 18) return '60';
  if (age < 22) return r.pick(['20', '30', '61', '41']);
  return r.weighted(birthYear >= 1980 ? EDU_YOUNG : birthYear >= 1960 ? EDU_MID : EDU_OLD);
}

const OCCUPATIONS = weights([['17', 25], ['24', 20], ['13', 15], ['54', 12], ['21', 6], ['11', 4], ['51', 8], ['70', 8], ['90', 2]] as const);

function occupation(r: Rand, age: number, sex: '1' | '2'): string | null {
  if (age < 6) return null;
  if (age < 22) return '31';
  if (age >= (sex === '1' ? 60 : 55)) return r.chance(0.85) ? '80' : '70';
  return r.weighted(OCCUPATIONS);
}

// ── Houses of one building ────────────────────────────────────────────────────

export interface BuildingIn {
  id: string;
  gridId: string;
  districtId: string | null;
  address: string;
  floors: number;
  lon: number;
  lat: number;
}

export interface HousePlan {
  building: BuildingIn;
  unit: number;
  /** House values without buildingId and unitId (given when written). */
  values: Values;
  household: HouseholdPlan | null;
}

export interface Layout {
  units: number;
  roomsPerFloor: number;
  /** 10 homes, 20 a commercial building, 30 an office building (no households in the last two). */
  use: '10' | '20' | '30';
  /** Whether a residential building's ground floor holds shops (商业, rented out to businesses). */
  shops: boolean;
}

/** The homes (and shops) of one building, each home with its household or empty. */
export function houseRows(f: RegistryFaker, b: BuildingIn, layout: Layout, q: GridQuality): HousePlan[] {
  const r = f.r;
  const out: HousePlan[] = [];
  for (let u = 1; u <= layout.units; u++) {
    for (let floor = 1; floor <= b.floors; floor++) {
      for (let k = 1; k <= layout.roomsPerFloor; k++) {
        const roomNo = `${floor}${String(k).padStart(2, '0')}`;
        const address = `${b.address}${u}单元${roomNo}室`;
        const use = layout.use === '10' && layout.shops && floor === 1 ? '20' : layout.use;
        const shop = use !== '10';
        const rented = shop ? r.chance(use === '20' ? 0.85 : 0.6) : r.chance(0.16);
        const dorm = !shop && rented && r.chance(0.12);
        const household = shop || !r.chance(q.occupancy) ? null : f.household({ address, rented, dorm, quality: q });
        const head = household?.members[0]?.values;
        const owner = !rented && head && head.popType === '1' && head.idNo
          ? { name: String(head.name), idNo: String(head.idNo), phone: (head.phone as string | null) ?? f.mobile() }
          : f.owner();
        out.push({
          building: b, unit: u, household,
          values: {
            floor, roomNo, address, use, areaM2: shop ? r.int(30, 400) : Math.round((45 + r.next() * 95) * 100) / 100,
            ownerName: owner.name, ownerIdNo: owner.idNo, ownerPhone: r.chance(0.97) ? owner.phone : null, rented,
            rentalUse: !rented ? null : use === '30' ? '04' : shop ? '03' : dorm ? '01' : '02',
            hazard: rented ? (r.chance(0.05) ? '02' : r.chance(0.02) ? '01' : '00') : null,
          },
        });
      }
    }
  }
  return out;
}

// ── Organisations and facilities ──────────────────────────────────────────────

const SHOP_TYPES = ['便利店', '面馆', '理发店', '药店', '五金店', '水果店', '早餐店', '干洗店', '烟酒店', '手机维修店', '服装店', '小吃店'];
const BRANDS = ['鑫源', '恒通', '华晨', '博远', '兴达', '盛世', '宏图', '天成', '锦程', '瑞丰', '金鼎', '万家'];
const INDUSTRIES = ['商贸有限公司', '物业管理有限公司', '餐饮管理有限公司', '建筑工程有限公司', '信息技术有限公司', '文化传媒有限公司', '家政服务有限公司', '医药连锁有限公司'];

/** An organisation in a building: a shop's 个体工商户, a company, a social organisation or a unit based in the area. */
export function organisation(f: RegistryFaker, b: BuildingIn, kind: 'shop' | 'company' | 'social' | 'unit', where: { address: string; community: string; unitName?: string }): NewRecord {
  const r = f.r;
  const p = f.place;
  const rep = f.name(r.chance(0.6) ? '1' : '2', Number(f.today.slice(0, 4)) - r.int(28, 60));
  const base: Values = { legalRep: rep, address: where.address, buildingId: b.id, lon: b.lon, lat: b.lat, hazard: r.chance(0.06) ? '02' : '00' };
  let v: Values;
  if (kind === 'shop') {
    v = { name: `${p.districtName}${where.community}${r.pick(SHOP_TYPES)}`, kind: '1', uscc: f.creditCode('92'), enterpriseType: '03', phone: f.mobile(), employees: r.int(1, 6) };
  } else if (kind === 'company') {
    v = { name: `${p.cityShort}${r.pick(BRANDS)}${r.pick(INDUSTRIES)}`, kind: '1', uscc: f.creditCode('91'), enterpriseType: r.chance(0.95) ? '01' : '02', phone: r.chance(0.5) ? f.landline() : f.mobile(), employees: r.int(5, 150) };
  } else if (kind === 'social') {
    const assoc = r.chance(0.6);
    v = assoc
      ? { name: `${where.community}社区${r.pick(['志愿者协会', '老年协会', '书画协会', '舞蹈队', '调解协会'])}`, kind: '2', uscc: f.creditCode('51'), socialOrgType: '01', phone: f.mobile(), employees: r.int(0, 5) }
      : { name: `${p.districtName}${r.pick(BRANDS)}${r.pick(['养老服务中心', '幼儿园', '社会工作服务中心', '培训学校'])}`, kind: '2', uscc: f.creditCode('52'), socialOrgType: '02', phone: f.landline(), employees: r.int(3, 40) };
  } else {
    v = { name: where.unitName ?? `${where.community}社区服务站`, kind: '3', uscc: f.creditCode(r.chance(0.8) ? '12' : '11'), phone: f.landline(), employees: r.int(10, 120) };
  }
  // Some records lack a field (户不漏项 applies to organisations too).
  const rec: Values = { ...base, ...v };
  if (r.chance(0.08)) rec[r.pick(['legalRep', 'phone', 'employees'])] = null;
  return { gridId: b.gridId, districtId: b.districtId, values: rec };
}

const FACILITY_TYPES: Record<string, { sub: string; name: string; owner: string }[]> = {
  '01': [
    { sub: '01', name: '上水井盖', owner: '自来水公司' }, { sub: '02', name: '污水井盖', owner: '城市管理局' }, { sub: '03', name: '雨水井盖', owner: '城市管理局' },
    { sub: '11', name: '消防栓', owner: '消防救援大队' }, { sub: '15', name: '路灯', owner: '城市管理局' }, { sub: '21', name: '电力井盖', owner: '供电公司' },
  ],
  '02': [{ sub: '01', name: '公交站亭', owner: '交通运输局' }, { sub: '04', name: '交通信号灯', owner: '公安局交通警察大队' }, { sub: '06', name: '交通标志牌', owner: '交通运输局' }, { sub: '09', name: '隔离护栏', owner: '交通运输局' }],
  '03': [{ sub: '01', name: '公共厕所', owner: '城市管理局' }, { sub: '02', name: '垃圾箱', owner: '城市管理局' }, { sub: '05', name: '垃圾收集站', owner: '城市管理局' }],
  '04': [{ sub: '01', name: '行道树', owner: '园林绿化中心' }, { sub: '03', name: '街头绿地', owner: '园林绿化中心' }, { sub: '07', name: '健身设施', owner: '文化和旅游体育局' }],
  '06': [{ sub: '02', name: '治安监控摄像头', owner: '公安分局' }, { sub: '05', name: '便民信息亭', owner: '街道办事处' }],
};
const FACILITY_CLASSES = weights([['01', 45], ['02', 18], ['03', 20], ['04', 12], ['06', 5]] as const);

/** A public facility at a point of the grid, coded district + class + subclass + 6-digit serial. */
export function facility(f: RegistryFaker, grid: { id: string; districtId: string | null; name: string }, point: [number, number], serial: number): NewRecord {
  const r = f.r;
  const cls = r.weighted(FACILITY_CLASSES);
  const t = r.pick(FACILITY_TYPES[cls]!);
  return {
    gridId: grid.id, districtId: grid.districtId,
    values: {
      code: `${f.place.districtCode}${cls}${t.sub}${String(serial).padStart(6, '0')}`, name: t.name, facilityClass: cls,
      ownerUnit: `${f.place.districtName}${t.owner}`, maintainer: r.chance(0.9) ? `${f.place.cityShort}${r.pick(BRANDS)}市政工程有限公司` : null,
      condition: r.chance(0.86) ? '1' : r.pick(['2', '2', '4', '3']), address: `${grid.name}${r.pick(['东侧', '西侧', '南口', '北口', '路口', '广场'])}`,
      lon: point[0], lat: point[1],
    },
  };
}

/** A random point strictly inside a polygon (rejection sampling in its bounding box). */
export function pointIn(r: Rand, poly: GeoJsonPolygon): [number, number] {
  const ring = poly.coordinates[0]!;
  const xs = ring.map((c) => c[0]!);
  const ys = ring.map((c) => c[1]!);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (let i = 0; i < 1000; i++) {
    const p: [number, number] = [Math.round((x0 + r.next() * (x1 - x0)) * 1e6) / 1e6, Math.round((y0 + r.next() * (y1 - y0)) * 1e6) / 1e6];
    if (booleanPointInPolygon(p, poly as never, { ignoreBoundary: true })) return p;
  }
  throw new Error('no point found inside the polygon');
}

// ── The demo street ───────────────────────────────────────────────────────────

export const HANZHONG: PlaceProfile = {
  districtCode: DEMO.districtCode,
  districtName: '汉台区',
  cityShort: '汉中',
  hukouPrefix: '陕西省汉中市汉台区',
  landlineArea: '0916',
  home: [['610702', 70], ['610703', 8], ['610721', 2], ['610722', 5], ['610723', 3], ['610724', 3], ['610725', 4], ['610726', 2], ['610727', 1], ['610728', 1], ['610729', 0.5], ['610730', 0.5]],
  away: [
    ['610102', '陕西省西安市新城区', 4], ['610402', '陕西省咸阳市秦都区', 2], ['610902', '陕西省安康市汉滨区', 6], ['611002', '陕西省商洛市商州区', 2],
    ['510802', '四川省广元市利州区', 6], ['511902', '四川省巴中市巴州区', 5], ['511302', '四川省南充市顺庆区', 4], ['511702', '四川省达州市通川区', 3],
    ['500101', '重庆市万州区', 4], ['621202', '甘肃省陇南市武都区', 4], ['620102', '甘肃省兰州市城关区', 1], ['411302', '河南省南阳市宛城区', 2],
    ['420302', '湖北省十堰市茅箭区', 2], ['130102', '河北省石家庄市长安区', 1], ['440304', '广东省深圳市福田区', 1],
  ],
  minorities: [['03', 5], ['11', 2], ['15', 1], ['04', 1], ['06', 1]],
  minorityShare: 0.012,
  employers: ['汉中市中心医院', '汉台区人民政府', '汉中市第三人民医院', '汉台区实验小学', '陕西汉江投资开发有限公司', '汉中市交通运输局', '中国移动汉中分公司', '汉中天汉大剧院'],
  workAway: ['广东省深圳市', '浙江省宁波市', '江苏省苏州市', '陕西省西安市', '福建省厦门市'],
};

/** The units based in each community (驻区单位), one or two placed in its first grid. */
const AREA_UNITS = ['社区卫生服务站', '小学', '幼儿园', '派出所警务室', '邮政所', '供电所'];

interface GridIn {
  id: string;
  code: string;
  name: string;
  districtId: string | null;
  geometry: GeoJsonPolygon;
  community: string;
}

export interface DemoRegistryInput {
  today: string;
  grids: GridIn[];
  buildings: (BuildingIn & { name: string; version: number })[];
}

export interface DemoRegistryPlan {
  compounds: { values: Values; gridId: string; districtId: string | null; buildings: { id: string; version: number }[] }[];
  units: NewRecord[];
  houses: HousePlan[];
  organisations: NewRecord[];
  facilities: NewRecord[];
}

const BUILDING_USES = weights([['10', 70], ['30', 18], ['20', 12]] as const);

const shortCommunity = (name: string) => name.replace(/(社区)?(居民委员会|居委会)$/, '');

/** The registry of the demo street, from its grids and buildings: pure and deterministic. */
export function demoRegistryPlan(input: DemoRegistryInput, seed = DEMO.seed + 11): DemoRegistryPlan {
  const f = new RegistryFaker(seed, HANZHONG, input.today);
  const r = f.r;
  const plan: DemoRegistryPlan = { compounds: [], units: [], houses: [], organisations: [], facilities: [] };
  const compoundNames = new Set<string>();
  const communitiesSeen = new Set<string>();
  let serial = 0;
  for (const g of input.grids) {
    const q = gridQuality(r);
    const community = shortCommunity(g.community);
    const mine = input.buildings.filter((b) => b.gridId === g.id);
    // A compound for some grids: the yard their buildings are named after (莲湖花园3号楼 → 莲湖花园).
    const yard = mine[0]?.name.replace(/\d+号楼$/, '');
    if (yard && mine.length > 0 && r.chance(0.35) && !compoundNames.has(yard)) {
      compoundNames.add(yard);
      plan.compounds.push({
        gridId: g.id, districtId: g.districtId, buildings: mine.map((b) => ({ id: b.id, version: b.version })),
        values: {
          name: yard, address: mine[0]!.address.replace(/\d+号楼$/, ''), propertyCompany: `${HANZHONG.cityShort}${r.pick(BRANDS)}物业管理有限公司`,
          propertyPhone: `${HANZHONG.landlineArea}-${r.int(2, 8)}${r.digits(6)}`,
          lon: Math.round((mine.reduce((s, b) => s + b.lon, 0) / mine.length) * 1e6) / 1e6, lat: Math.round((mine.reduce((s, b) => s + b.lat, 0) / mine.length) * 1e6) / 1e6,
        },
      });
    }
    for (const b of mine) {
      // An old town centre: most buildings are homes (some with shops below), the rest offices and shops.
      const use = r.weighted(BUILDING_USES);
      const layout: Layout = { units: 1, roomsPerFloor: use === '10' ? 2 : 1, use, shops: use === '10' && b.floors >= 4 && r.chance(0.25) };
      plan.units.push({ gridId: b.gridId, districtId: b.districtId, values: { buildingId: b.id, name: '1单元', floors: b.floors } });
      const houses = houseRows(f, b, layout, q);
      plan.houses.push(...houses);
      for (const h of houses) {
        if (h.values.use === '20' && h.values.rented && r.chance(use === '10' ? 0.8 : 0.4)) plan.organisations.push(organisation(f, b, 'shop', { address: String(h.values.address), community }));
        if (h.values.use === '30' && h.values.rented && r.chance(0.3)) plan.organisations.push(organisation(f, b, 'company', { address: String(h.values.address), community }));
      }
    }
    if (mine.length > 0) {
      const somewhere = (kind: 'company' | 'social') => {
        const b = r.pick(mine);
        plan.organisations.push(organisation(f, b, kind, { address: b.address, community }));
      };
      if (r.chance(0.4)) somewhere('company');
      if (r.chance(0.3)) somewhere('social');
      if (!communitiesSeen.has(g.community)) {
        communitiesSeen.add(g.community);
        for (let k = r.int(1, 2); k > 0; k--) {
          const b = r.pick(mine);
          plan.organisations.push(organisation(f, b, 'unit', { address: b.address, community, unitName: `${community}${r.pick(AREA_UNITS)}` }));
        }
      }
    }
    for (let k = r.int(4, 8); k > 0; k--) plan.facilities.push(facility(f, g, pointIn(r, g.geometry), ++serial));
  }
  return plan;
}

export interface DemoRegistryResult {
  compounds: number;
  units: number;
  houses: number;
  households: number;
  persons: number;
  tags: number;
  organisations: number;
  facilities: number;
}

const BATCH = 400;

/**
 * Runs `fn` over `items` with at most `window` calls in flight. On one connection the statements
 * still run one after the other, but the next batch's statement is built while the database works
 * on the current one (the columns: encryption, grams, pinyin). Only on PGlite, whose worker
 * queues requests: node-postgres deprecates a second query on a busy client (a transaction's).
 */
async function pipelined<T, R>(items: T[], window: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(window, items.length) }, lane));
  return out;
}

async function insertAll(reg: RegistryPort, ledger: Parameters<RegistryPort['insert']>[0], recs: NewRecord[], at: Date, window: number): Promise<string[]> {
  const batches: NewRecord[][] = [];
  for (let i = 0; i < recs.length; i += BATCH) batches.push(recs.slice(i, i + BATCH));
  return (await pipelined(batches, window, (b) => reg.insert(ledger, b, at, null))).flat();
}

/** The demo street's grids and buildings as loaded by loadDemo, in a stable order. */
export async function demoRegistryInput(db: Db, today: string): Promise<DemoRegistryInput> {
  const street = sql`(SELECT path FROM areas WHERE code = ${DEMO.streetCode})`;
  const grids = await rows<GridIn>(db, sql`SELECT g.id::text, g.code, g.name_zh AS name, g.district_id::text AS "districtId", g.geometry, c.name_zh AS community
    FROM areas g JOIN areas c ON c.id = g.parent_id
    WHERE g.level = 'grid' AND g.retired_at IS NULL AND g.path <@ ${street} ORDER BY g.code`);
  const buildings = await rows<DemoRegistryInput['buildings'][number]>(db, sql`SELECT b.id::text, b.grid_id::text AS "gridId", b.district_id::text AS "districtId",
      b.name, b.address, b.floors, b.lon, b.lat, b.version
    FROM buildings b JOIN areas g ON g.id = b.grid_id WHERE g.path <@ ${street} ORDER BY g.code, b.name, b.id`);
  return { today, grids, buildings };
}

/**
 * Writes the demo street's registry in one transaction through the registry port (after loadDemo
 * and the registry's reference data: tags need their tag_defs).
 */
export async function loadDemoRegistry(database: Database, deps: { crypto: FieldCrypto; clock: Clock; timeZone: string }): Promise<DemoRegistryResult> {
  const at = deps.clock.now();
  return database.transaction(async (tx) => {
    const plan = demoRegistryPlan(await demoRegistryInput(tx, civilToday(at, deps.timeZone)));
    const reg = portsOn(tx, deps.crypto).registry;
    const [two, eight] = database.kind === 'pglite' ? [2, 8] : [1, 1];
    const insert = (ledger: Parameters<RegistryPort['insert']>[0], recs: NewRecord[]) => insertAll(reg, ledger, recs, at, two);

    const compoundIds = await insert('compounds', plan.compounds);
    const inCompound = plan.compounds.flatMap((c, i) => c.buildings.map((b) => ({ ...b, compoundId: compoundIds[i]! })));
    await pipelined(inCompound, eight, (b) => reg.update('buildings', b.id, b.version, { compoundId: b.compoundId }, null, at));
    const unitIds = await insert('units', plan.units);
    const unitOf = new Map(plan.units.map((u, i) => [u.values.buildingId as string, unitIds[i]!] as const));
    const houseIds = await insert('houses', plan.houses.map((h) => ({
      gridId: h.building.gridId, districtId: h.building.districtId, values: { buildingId: h.building.id, unitId: unitOf.get(h.building.id)!, ...h.values },
    })));
    const withHousehold = plan.houses.map((h, i) => ({ h, houseId: houseIds[i]! })).filter((x) => x.h.household !== null);
    const householdIds = await insert('households', withHousehold.map(({ h, houseId }) => ({
      gridId: h.building.gridId, districtId: h.building.districtId,
      values: { householdNo: h.household!.householdNo, houseId, kind: h.household!.kind, address: String(h.values.address) },
    })));
    const people = withHousehold.flatMap(({ h, houseId }, i) => h.household!.members.map((m) => ({ m, gridId: h.building.gridId, districtId: h.building.districtId, houseId, householdId: householdIds[i]! })));
    const personIds = await insert('persons', people.map((p) => ({ gridId: p.gridId, districtId: p.districtId, values: { ...p.m.values, householdId: p.householdId, houseId: p.houseId } })));
    const tags = people.flatMap((p, i) => p.m.tags.map((t) => ({ personId: personIds[i]!, ...t })));
    await pipelined(tags, eight, (t) => reg.insertTag(t, null));
    await insert('organisations', plan.organisations);
    await insert('facilities', plan.facilities);
    const result: DemoRegistryResult = {
      compounds: plan.compounds.length, units: plan.units.length, houses: plan.houses.length, households: householdIds.length, persons: personIds.length,
      tags: tags.length, organisations: plan.organisations.length, facilities: plan.facilities.length,
    };
    await auditRepo(tx).append({
      at, actorId: null, actorName: 'system', action: 'demo.registry_loaded', entityType: 'system', entityId: null, areaId: null, diff: result, ip: null, requestId: null,
    });
    return result;
  });
}

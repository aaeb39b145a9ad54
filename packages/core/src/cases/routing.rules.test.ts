import { describe, it, expect } from 'vitest';
import type { RuleRow, UnitRow } from './cases.ports.ts';
import { route } from './routing.rules.ts';

// ── Fixtures ──────────────────────────────────────────────────────────────────

const unit = (id: string, over: Partial<UnitRow> = {}): UnitRow => ({
  id, code: id, nameZh: `单位${id}`, kind: 'department', areaId: '3', areaPath: '1.2.3', active: true, ...over,
});

const units = (...list: UnitRow[]) => new Map(list.map((u) => [u.id, u]));
const ALL = units(unit('city-mgmt'), unit('water'), unit('street-office'), unit('fallback'), unit('closed', { active: false }));

const rule = (id: string, seq: number, unitId: string, over: Partial<RuleRow> = {}): RuleRow => ({
  id, seq, name: `规则${id}`, categoryId: null, areaId: null, areaPath: null, unitId, active: true, ...over,
});

/** 暴露垃圾 (SJ0102, under SJ01 市容环境) in a grid of community 5 of street 4; a category's ancestry is its id, its parent's, its top's. */
const GARBAGE = { categoryIds: ['SJ0102', 'SJ01'], areaPath: '1.2.3.4.5.6' };
const ADS = ['SJ0201', 'SJ02'];
const noDefault = { defaultUnitId: null };

// ── route ─────────────────────────────────────────────────────────────────────

describe('route', () => {
  it('takes the first matching rule by seq, whatever the order given', () => {
    const rules = [rule('r30', 30, 'fallback'), rule('r10', 10, 'city-mgmt'), rule('r20', 20, 'water')];
    expect(route(rules, ALL, GARBAGE, noDefault)).toEqual({ ruleId: 'r10', ruleName: '规则r10', via: 'rule', unitId: 'city-mgmt', unitName: '单位city-mgmt', checked: 1 });
  });

  it('breaks a seq tie by id', () => {
    const a = rule('a', 10, 'city-mgmt');
    const b = rule('b', 10, 'water');
    expect(route([b, a], ALL, GARBAGE, noDefault).ruleId).toBe('a');
    expect(route([a, b], ALL, GARBAGE, noDefault).ruleId).toBe('a');
  });

  it('matches a category and everything below it by the case category’s ancestry, never by code', () => {
    const rules = [rule('r1', 1, 'water', { categoryId: 'SJ02' }), rule('r2', 2, 'city-mgmt', { categoryId: 'SJ01' })];
    expect(route(rules, ALL, GARBAGE, noDefault)).toMatchObject({ ruleId: 'r2', unitId: 'city-mgmt', checked: 2 });
    expect(route(rules, ALL, { ...GARBAGE, categoryIds: ADS }, noDefault)).toMatchObject({ ruleId: 'r1', checked: 1 });
    // The leaf itself matches; a more specific rule does not match its parent.
    expect(route([rule('leaf', 1, 'water', { categoryId: 'SJ0102' })], ALL, GARBAGE, noDefault).ruleId).toBe('leaf');
    expect(route([rule('leaf', 1, 'water', { categoryId: 'SJ0102' })], ALL, { ...GARBAGE, categoryIds: ['SJ01'] }, noDefault).via).toBe('none');
    // A top category whose code merely starts like another's is not below it.
    expect(route([rule('r2', 1, 'city-mgmt', { categoryId: 'SJ01' })], ALL, { ...GARBAGE, categoryIds: ['SJ01ZZ'] }, noDefault).via).toBe('none');
  });

  it('matches an area and its whole subtree, not a sibling with a similar path', () => {
    const street = rule('street', 1, 'street-office', { areaPath: '1.2.3.4' });
    expect(route([street], ALL, GARBAGE, noDefault).ruleId).toBe('street');
    expect(route([street], ALL, { ...GARBAGE, areaPath: '1.2.3.4' }, noDefault).ruleId).toBe('street');
    expect(route([street], ALL, { ...GARBAGE, areaPath: '1.2.3.44.5' }, noDefault).via).toBe('none');
    expect(route([street], ALL, { ...GARBAGE, areaPath: '1.2.3' }, noDefault).via).toBe('none');
  });

  it('needs both the category and the area of a rule to match', () => {
    const both = rule('both', 1, 'water', { categoryId: 'SJ01', areaPath: '1.2.3.9' });
    expect(route([both, rule('any', 2, 'fallback')], ALL, GARBAGE, noDefault)).toMatchObject({ ruleId: 'any', checked: 2 });
  });

  it('skips inactive rules without counting them', () => {
    const rules = [rule('off', 1, 'water', { active: false }), rule('on', 2, 'city-mgmt')];
    expect(route(rules, ALL, GARBAGE, noDefault)).toMatchObject({ ruleId: 'on', checked: 1 });
  });

  it('skips a matching rule whose unit is inactive or gone', () => {
    const rules = [rule('to-closed', 1, 'closed'), rule('to-gone', 2, 'nobody'), rule('ok', 3, 'water')];
    expect(route(rules, ALL, GARBAGE, noDefault)).toMatchObject({ ruleId: 'ok', unitId: 'water', checked: 3 });
  });

  it('counts every active rule tried before the match', () => {
    const rules = [
      rule('r1', 1, 'water', { categoryId: 'SJ02' }),
      rule('r2', 2, 'water', { areaPath: '1.2.3.9' }),
      rule('r3', 3, 'water', { active: false }),
      rule('r4', 4, 'city-mgmt', { categoryId: 'SJ01' }),
      rule('r5', 5, 'fallback'),
    ];
    expect(route(rules, ALL, GARBAGE, noDefault)).toMatchObject({ ruleId: 'r4', checked: 3 });
  });

  it('falls back to the category’s default unit when no rule matches', () => {
    const rules = [rule('r1', 1, 'water', { categoryId: 'SJ02' })];
    expect(route(rules, ALL, GARBAGE, { defaultUnitId: 'fallback' })).toEqual({
      ruleId: null, ruleName: null, via: 'category_default', unitId: 'fallback', unitName: '单位fallback', checked: 1,
    });
  });

  it('leaves it to the dispatcher when nothing matches and the default is missing, inactive or unknown', () => {
    const none = { ruleId: null, ruleName: null, via: 'none', unitId: null, unitName: null, checked: 0 };
    expect(route([], ALL, GARBAGE, noDefault)).toEqual(none);
    expect(route([], ALL, GARBAGE, null)).toEqual(none);
    expect(route([], ALL, GARBAGE, { defaultUnitId: 'closed' })).toEqual(none);
    expect(route([], ALL, GARBAGE, { defaultUnitId: 'nobody' })).toEqual(none);
  });

  it('prefers a matching rule over the category default', () => {
    expect(route([rule('r1', 1, 'water')], ALL, GARBAGE, { defaultUnitId: 'fallback' })).toMatchObject({ via: 'rule', unitId: 'water' });
  });
});

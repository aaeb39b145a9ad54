import { describe, it, expect } from 'vitest';
import { AGE_BANDS, ageOn, bandOf } from './age-band.rules.ts';

describe('AGE_BANDS', () => {
  it('are the six published bands in order', () => {
    expect(AGE_BANDS.map((b) => [b.min, b.max])).toEqual([
      [0, 6], [7, 17], [18, 34], [35, 59], [60, 79], [80, null],
    ]);
    expect(AGE_BANDS.map((b) => b.code)).toEqual(['0-6', '7-17', '18-34', '35-59', '60-79', '80+']);
  });

  it('are contiguous from 0 and only the last is open-ended', () => {
    expect(AGE_BANDS[0]!.min).toBe(0);
    for (let i = 1; i < AGE_BANDS.length; i++) expect(AGE_BANDS[i]!.min).toBe(AGE_BANDS[i - 1]!.max! + 1);
    expect(AGE_BANDS.filter((b) => b.max === null)).toHaveLength(1);
    expect(AGE_BANDS.at(-1)!.max).toBeNull();
  });

  it('have a zh-CN and an en label each', () => {
    for (const b of AGE_BANDS) {
      expect(b.label['zh-CN']).toMatch(/岁/);
      expect(b.label.en).toMatch(/^Aged /);
    }
    expect(AGE_BANDS.at(-1)!.label).toEqual({ 'zh-CN': '80 岁及以上', en: 'Aged 80 and over' });
  });
});

describe('bandOf', () => {
  it.each([
    [0, '0-6'], [6, '0-6'], [7, '7-17'], [17, '7-17'], [18, '18-34'], [34, '18-34'],
    [35, '35-59'], [59, '35-59'], [60, '60-79'], [79, '60-79'], [80, '80+'], [117, '80+'],
  ])('age %i is in band %s', (age, code) => {
    expect(bandOf(age).code).toBe(code);
  });

  it('refuses ages that are not completed years', () => {
    expect(() => bandOf(-1)).toThrow(RangeError);
    expect(() => bandOf(17.5)).toThrow(RangeError);
    expect(() => bandOf(Number.NaN)).toThrow(RangeError);
  });
});

describe('ageOn', () => {
  it('counts a year only once the birthday is reached', () => {
    expect(ageOn('1990-03-07', '2026-03-06')).toBe(35);
    expect(ageOn('1990-03-07', '2026-03-07')).toBe(36);
    expect(ageOn('1990-03-07', '2026-03-08')).toBe(36);
    expect(ageOn('1990-12-31', '2026-01-01')).toBe(35);
    expect(ageOn('1990-01-01', '2026-12-31')).toBe(36);
  });

  it('compares the month before the day', () => {
    // Later month, earlier day: the birthday (15 Jun) is still ahead on 20 May.
    expect(ageOn('2000-06-15', '2026-05-20')).toBe(25);
    // Earlier month, later day: the birthday (20 May) has passed on 15 Jun.
    expect(ageOn('2000-05-20', '2026-06-15')).toBe(26);
  });

  it('is 0 on the day of birth and throws for a birth after today', () => {
    expect(ageOn('2026-03-02', '2026-03-02')).toBe(0);
    expect(ageOn('2025-03-03', '2026-03-02')).toBe(0);
    expect(() => ageOn('2026-03-03', '2026-03-02')).toThrow(RangeError);
  });

  it('29 February: not reached on 28 February of a common year, reached on 1 March', () => {
    expect(ageOn('2000-02-29', '2023-02-28')).toBe(22);
    expect(ageOn('2000-02-29', '2023-03-01')).toBe(23);
    expect(ageOn('2000-02-29', '2024-02-28')).toBe(23);
    expect(ageOn('2000-02-29', '2024-02-29')).toBe(24);
  });

  it('reads an instant in the site time zone', () => {
    const instant = new Date('2026-03-06T16:30:00Z'); // 00:30 on 7 March in Beijing
    expect(ageOn('1990-03-07', instant)).toBe(36);
    expect(ageOn('1990-03-07', instant, 'UTC')).toBe(35);
  });

  it('refuses a malformed birth date', () => {
    expect(() => ageOn('1990-02-30', '2026-01-01')).toThrow(RangeError);
    expect(() => ageOn('19900301', '2026-01-01')).toThrow(RangeError);
  });
});

import { describe, it, expect } from 'vitest';
import { civilDateOf, compareCivil, DEFAULT_TIME_ZONE, formatCivil, isRealDate, parseCivilDate } from './civil-date.ts';

describe('isRealDate', () => {
  it('knows month lengths', () => {
    expect(isRealDate(2023, 1, 31)).toBe(true);
    expect(isRealDate(2023, 4, 30)).toBe(true);
    expect(isRealDate(2023, 4, 31)).toBe(false);
    expect(isRealDate(2023, 12, 31)).toBe(true);
    expect(isRealDate(2023, 12, 32)).toBe(false);
  });

  it('knows Gregorian leap years, centuries included', () => {
    expect(isRealDate(2024, 2, 29)).toBe(true);
    expect(isRealDate(2023, 2, 29)).toBe(false);
    expect(isRealDate(2000, 2, 29)).toBe(true); // divisible by 400
    expect(isRealDate(1900, 2, 29)).toBe(false); // century, not by 400
    expect(isRealDate(2100, 2, 29)).toBe(false);
  });

  it('does not map years 0–99 to 1900–1999 (the Date.UTC quirk)', () => {
    expect(isRealDate(0, 2, 29)).toBe(true); // year 0 is divisible by 400; 1900 would not be
    expect(isRealDate(4, 2, 29)).toBe(true);
    expect(isRealDate(100, 2, 29)).toBe(false);
  });

  it('rejects out-of-range and fractional parts', () => {
    expect(isRealDate(2023, 0, 1)).toBe(false);
    expect(isRealDate(2023, 13, 1)).toBe(false);
    expect(isRealDate(2023, 1, 0)).toBe(false);
    expect(isRealDate(2023, 1.5, 1)).toBe(false);
    expect(isRealDate(Number.NaN, 1, 1)).toBe(false);
  });
});

describe('parseCivilDate / formatCivil', () => {
  it('accepts strict YYYY-MM-DD of a real date only', () => {
    expect(parseCivilDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseCivilDate('2023-02-29')).toBeNull();
    expect(parseCivilDate('2024-2-9')).toBeNull();
    expect(parseCivilDate('2024-02-09T00:00:00Z')).toBeNull();
    expect(parseCivilDate('20240209')).toBeNull();
  });

  it('pads when formatting', () => {
    expect(formatCivil({ year: 1949, month: 1, day: 5 })).toBe('1949-01-05');
    expect(formatCivil({ year: 900, month: 12, day: 31 })).toBe('0900-12-31');
  });
});

describe('civilDateOf', () => {
  // 16:30 UTC on 1 March is 00:30 on 2 March in Beijing.
  const instant = new Date('2026-03-01T16:30:00Z');

  it('reads the calendar date in the given zone, Asia/Shanghai by default', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
    expect(civilDateOf(instant)).toEqual({ year: 2026, month: 3, day: 2 });
    expect(civilDateOf(instant, 'UTC')).toEqual({ year: 2026, month: 3, day: 1 });
    expect(civilDateOf(new Date('2026-03-01T15:59:59Z'))).toEqual({ year: 2026, month: 3, day: 1 });
  });

  it('takes a YYYY-MM-DD string as the date itself', () => {
    expect(civilDateOf('2026-03-01', 'Pacific/Kiritimati')).toEqual({ year: 2026, month: 3, day: 1 });
  });

  it('throws on bad input', () => {
    expect(() => civilDateOf('2026-02-30')).toThrow(RangeError);
    expect(() => civilDateOf(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => civilDateOf(instant, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('compareCivil', () => {
  it('orders by year, then month, then day', () => {
    const d = (year: number, month: number, day: number) => ({ year, month, day });
    expect(compareCivil(d(2020, 1, 1), d(2020, 1, 1))).toBe(0);
    expect(compareCivil(d(2019, 12, 31), d(2020, 1, 1))).toBeLessThan(0);
    expect(compareCivil(d(2020, 2, 1), d(2020, 1, 31))).toBeGreaterThan(0);
    expect(compareCivil(d(2020, 1, 2), d(2020, 1, 1))).toBeGreaterThan(0);
  });
});

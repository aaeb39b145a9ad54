import { describe, it, expect } from 'vitest';
import {
  checkDigit, maskIdNumber, normalizeIdNumber, parseIdNumber, PROVINCE_CODES, upgradeLegacyId, type IdNumberParse,
} from './id-number.rules.ts';

const TODAY = '2026-03-02';
const parse = (raw: string, extra: Partial<Parameters<typeof parseIdNumber>[1]> = {}) => parseIdNumber(raw, { today: TODAY, ...extra });
const codeOf = (r: IdNumberParse) => (r.ok ? 'ok' : r.code);
/** Fixture builder for tests of the other rules; checkDigit itself is pinned by hand-worked values below. */
const withCheck = (first17: string) => first17 + checkDigit(first17);

describe('checkDigit (weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2; Σ mod 11 → "10X98765432")', () => {
  it('matches values worked by hand', () => {
    // 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 × weights
    //   = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → 'X'
    // (the sample number of GB 11643: 11010519491231002X)
    expect(checkDigit('11010519491231002')).toBe('X');
    // 6 1 0 7 2 7 1 9 9 0 0 3 0 7 1 2 3
    //   = 42+9+0+35+16+28+2+9+54+0+0+27+0+35+8+8+6 = 279; 279 mod 11 = 4 → '8'
    expect(checkDigit('61072719900307123')).toBe('8');
    // 4 4 0 3 0 1 2 0 0 0 0 2 2 9 8 7 6
    //   = 28+36+0+15+0+4+4+0+0+0+0+18+20+45+64+28+12 = 274; 274 mod 11 = 10 → '2'
    expect(checkDigit('44030120000229876')).toBe('2');
    // All zeros: sum 0 → '1'. A single 1 in the last place: weight 2 → index 2 → 'X'.
    expect(checkDigit('00000000000000000')).toBe('1');
    expect(checkDigit('00000000000000001')).toBe('X');
    // A single 1 in the first place: weight 7 → index 7 → '5'.
    expect(checkDigit('10000000000000000')).toBe('5');
  });

  it('catches every single-digit error and every adjacent transposition', () => {
    const base = '61072719900307123';
    const good = checkDigit(base);
    for (let i = 0; i < 17; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === base[i]) continue;
        expect(checkDigit(base.slice(0, i) + d + base.slice(i + 1)), `digit ${i} → ${d}`).not.toBe(good);
      }
      if (i < 16 && base[i] !== base[i + 1]) {
        const swapped = base.slice(0, i) + base[i + 1] + base[i] + base.slice(i + 2);
        expect(checkDigit(swapped), `swap ${i}/${i + 1}`).not.toBe(good);
      }
    }
  });

  it('needs exactly 17 digits', () => {
    expect(() => checkDigit('1101051949123100')).toThrow(RangeError);
    expect(() => checkDigit('11010519491231002X')).toThrow(RangeError);
    expect(() => checkDigit('1101051949123100A')).toThrow(RangeError);
  });
});

describe('normalizeIdNumber', () => {
  it('trims (full-width space too), converts full-width digits and X, upper-cases x', () => {
    expect(normalizeIdNumber('  11010519491231002x\t')).toBe('11010519491231002X');
    expect(normalizeIdNumber('\u3000１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X');
    expect(normalizeIdNumber('11010519491231002ｘ')).toBe('11010519491231002X');
  });

  it('changes nothing else', () => {
    expect(normalizeIdNumber('110105 19491231002X')).toBe('110105 19491231002X');
    expect(normalizeIdNumber('11010519491231002a')).toBe('11010519491231002a');
  });
});

describe('parseIdNumber', () => {
  it('decodes a valid number', () => {
    expect(parse('11010519491231002X')).toEqual({
      ok: true, value: '11010519491231002X', areaCode: '110105', birthDate: '1949-12-31', sex: '2', age: 76,
    });
    expect(parse('610727199003071238')).toEqual({
      ok: true, value: '610727199003071238', areaCode: '610727', birthDate: '1990-03-07', sex: '1', age: 35,
    });
    expect(parse('440301200002298762')).toMatchObject({ ok: true, birthDate: '2000-02-29', sex: '2', age: 26 });
  });

  it('answers with the normalised value', () => {
    expect(parse(' 11010519491231002x ')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parse('１１０１０５１９４９１２３１００２Ｘ')).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it('sex follows the parity of the 17th digit (odd = 1 男, even = 2 女)', () => {
    for (let d = 0; d <= 9; d++) {
      const r = parse(withCheck(`6107271990030712${d}`));
      expect(r).toMatchObject({ ok: true, sex: d % 2 === 1 ? '1' : '2' });
    }
  });

  it('age counts completed years on today', () => {
    expect(parse('610727199003071238', { today: '2026-03-06' })).toMatchObject({ age: 35 });
    expect(parse('610727199003071238', { today: '2026-03-07' })).toMatchObject({ age: 36 });
  });

  describe('length and characters', () => {
    it.each([['1101051949123100'], ['11010519491231002'], ['11010519491231002X1'], [''], ['110105 19491231002X'], ['1101051949123100𠮷']])(
      '%j has the wrong length (counted in characters: 𠮷 is one, not two UTF-16 units)',
      (raw) => {
        const r = parse(raw);
        expect(codeOf(r)).toBe('person.id_invalid_length');
        expect(r.ok ? null : r.params).toEqual({ length: [...normalizeIdNumber(raw)].length });
      },
    );

    it('a 15-digit legacy number is refused unless asked for, then upgraded', () => {
      const r = parse('110105491231002');
      expect(codeOf(r)).toBe('person.id_invalid_length');
      expect(r.ok ? '' : r.detail).toMatch(/15-digit legacy/);
      expect(parse('110105491231002', { acceptLegacy: true })).toMatchObject({
        ok: true, value: '11010519491231002X', birthDate: '1949-12-31',
      });
    });

    it.each([['11010519491231002A'], ['1101051949123100X2'], ['X10105194912310022'], ['1101051949123100²X']])(
      '%j has characters that are not allowed',
      (raw) => expect(codeOf(parse(raw))).toBe('person.id_invalid_chars'),
    );
  });

  describe('area', () => {
    const expected = new Set<string>();
    for (const [from, to] of [[11, 15], [21, 23], [31, 37], [41, 46], [50, 54], [61, 65], [71, 71], [81, 83]] as const) {
      for (let p = from; p <= to; p++) expected.add(String(p));
    }

    it('publishes exactly the province prefixes (83 = Taiwan residents’ residence permits)', () => {
      expect([...PROVINCE_CODES].sort()).toEqual([...expected].sort());
      expect(PROVINCE_CODES.size).toBe(35);
    });

    it('accepts a number iff its first two digits are a province', () => {
      for (let p = 0; p <= 99; p++) {
        const prefix = String(p).padStart(2, '0');
        const r = parse(withCheck(`${prefix}010519900307123`));
        expect(codeOf(r), prefix).toBe(expected.has(prefix) ? 'ok' : 'person.id_unknown_area');
      }
    });

    it('asks knownAreaPrefix about the 6-digit code when given', () => {
      const asked: string[] = [];
      const known = (code6: string) => (asked.push(code6), code6 === '110105');
      expect(codeOf(parse('11010519491231002X', { knownAreaPrefix: known }))).toBe('ok');
      const r = parse(withCheck('11010619491231002'), { knownAreaPrefix: known });
      expect(codeOf(r)).toBe('person.id_unknown_area');
      expect(r.ok ? null : r.params).toEqual({ area: '110106' });
      expect(asked).toEqual(['110105', '110106']);
    });
  });

  describe('birth date', () => {
    it.each([
      ['19490230', 'not a calendar date'],
      ['19491301', 'not a calendar date'],
      ['19491200', 'not a calendar date'],
      ['19000229', 'not a calendar date'], // 1900 is not a leap year
      ['18991231', 'before 1900-01-01'],
      ['20260303', 'in the future'],
    ])('%s is refused (%s)', (yyyymmdd, why) => {
      const r = parse(withCheck(`110105${yyyymmdd}002`));
      expect(codeOf(r)).toBe('person.id_bad_birth_date');
      expect(r.ok ? '' : r.detail).toContain(why);
    });

    it('accepts the boundaries 1900-01-01 and today', () => {
      expect(parse(withCheck('11010519000101002'))).toMatchObject({ ok: true, birthDate: '1900-01-01', age: 126 });
      expect(parse(withCheck('11010520260302002'))).toMatchObject({ ok: true, birthDate: '2026-03-02', age: 0 });
    });

    it('reads "today" from an instant in the site time zone', () => {
      const born = withCheck('11010520260302002');
      const instant = new Date('2026-03-01T17:00:00Z'); // 01:00 on 2 March in Beijing
      expect(codeOf(parseIdNumber(born, { today: instant }))).toBe('ok');
      expect(codeOf(parseIdNumber(born, { today: instant, timeZone: 'UTC' }))).toBe('person.id_bad_birth_date');
    });
  });

  describe('check character', () => {
    it('a wrong check character is refused without telling the right one', () => {
      for (const last of '0123456789') {
        const r = parse(`11010519491231002${last}`);
        expect(codeOf(r)).toBe('person.id_bad_check_digit');
        expect(JSON.stringify(r)).not.toMatch(/"X"|should be/);
      }
    });

    it('structure is reported before the check character', () => {
      // Month 13 and (certainly) a wrong check character: the birth date is the useful message.
      expect(codeOf(parse('110105194913310020'))).toBe('person.id_bad_birth_date');
      expect(codeOf(parse('990105194912310020'))).toBe('person.id_unknown_area');
    });
  });
});

describe('upgradeLegacyId', () => {
  it('inserts 19 and appends the check character', () => {
    // 110105 491231 002 → 110105 19491231 002 + 'X' (worked above)
    expect(upgradeLegacyId('110105491231002')).toBe('11010519491231002X');
    // 610727 900307 123 → 610727 19900307 123 + '8' (worked above)
    expect(upgradeLegacyId('610727900307123')).toBe('610727199003071238');
    expect(upgradeLegacyId(' １１０１０５４９１２３１００２ ')).toBe('11010519491231002X');
  });

  it('answers null for anything but 15 digits', () => {
    expect(upgradeLegacyId('11010549123100')).toBeNull();
    expect(upgradeLegacyId('1101054912310021')).toBeNull();
    expect(upgradeLegacyId('11010549123100X')).toBeNull();
    expect(upgradeLegacyId('11010519491231002X')).toBeNull();
  });
});

describe('maskIdNumber', () => {
  it('shows the first 4 and last 4 characters', () => {
    expect(maskIdNumber('610727199003071238')).toBe('6107**********1238');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('123456789')).toBe('1234*6789');
  });

  it('hides short values completely', () => {
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskIdNumber('1234')).toBe('****');
    expect(maskIdNumber('')).toBe('');
  });
});

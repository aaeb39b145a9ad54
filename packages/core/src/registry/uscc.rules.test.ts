import { describe, it, expect } from 'vitest';
import { normalizeUscc, parseUscc, USCC_CHARSET, usccCheckChar, type UsccParse } from './uscc.rules.ts';

const codeOf = (r: UsccParse) => (r.ok ? 'ok' : r.code);

/*
 * Expected check characters worked by hand (value of a character = its index in
 * 0123456789ABCDEFGHJKLMNPQRTUWXY: A=10 … H=17, J=18, K=19, L=20, M=21, N=22, P=23, Q=24,
 * R=25, T=26, U=27, W=28, X=29, Y=30; weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28):
 *
 * 91350100M000100Y4 (the example usually quoted from GB 32100-2015; not checked against its text):
 *   9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M21·20 + 0·29 + 0·25 + 0·13 + 1·8
 *   + 0·24 + 0·10 + Y30·30 + 4·28 = 9+3+27+135+26+420+8+900+112 = 1640
 *   1640 mod 31 = 28 (31·52 = 1612); (31 − 28) mod 31 = 3 → '3'
 *
 * 51110000500000123 (民政 5, 社会团体 1, Beijing 110000):
 *   5·1 + 1·3 + 1·9 + 1·27 + 5·20 + 1·10 + 2·30 + 3·28 = 5+3+9+27+100+10+60+84 = 298
 *   298 mod 31 = 19 (31·9 = 279); 31 − 19 = 12 → 'C'
 *
 * 92320102MA1WTN8PK (工商 9, 个体工商户 2, Nanjing 320102):
 *   9·1 + 2·3 + 3·9 + 2·27 + 0·19 + 1·26 + 0·16 + 2·17 + M21·20 + A10·29 + 1·25 + W28·13
 *   + T26·8 + N22·24 + 8·10 + P23·30 + K19·28
 *   = 9+6+27+54+26+34+420+290+25+364+208+528+80+690+532 = 3293
 *   3293 mod 31 = 7 (31·106 = 3286); 31 − 7 = 24 → 'Q'
 *
 * 00000000000000000: sum 0 → (31 − 0) mod 31 = 0 → '0' (the outer mod matters here).
 */
const HAND_WORKED: [string, string][] = [
  ['91350100M000100Y4', '3'],
  ['51110000500000123', 'C'],
  ['92320102MA1WTN8PK', 'Q'],
  ['00000000000000000', '0'],
];

describe('USCC_CHARSET', () => {
  it('is 31 characters: digits and capitals without I, O, S, V, Z', () => {
    expect(USCC_CHARSET).toHaveLength(31);
    expect(new Set(USCC_CHARSET).size).toBe(31);
    for (const c of 'IOSVZ') expect(USCC_CHARSET).not.toContain(c);
    expect(USCC_CHARSET).toBe('0123456789' + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.replace(/[IOSVZ]/g, ''));
  });
});

describe('usccCheckChar', () => {
  it.each(HAND_WORKED)('%s → %s', (first17, check) => {
    expect(usccCheckChar(first17)).toBe(check);
  });

  it('catches every single-character error', () => {
    for (const [base] of HAND_WORKED.slice(0, 3)) {
      const good = usccCheckChar(base);
      for (let i = 0; i < 17; i++) {
        for (const c of USCC_CHARSET) {
          if (c === base[i]) continue;
          expect(usccCheckChar(base.slice(0, i) + c + base.slice(i + 1)), `${base} @${i} → ${c}`).not.toBe(good);
        }
      }
    }
  });

  it('needs 17 characters from the set', () => {
    expect(() => usccCheckChar('91350100M000100Y')).toThrow(RangeError);
    expect(() => usccCheckChar('91350100M000100Y43')).toThrow(RangeError);
    expect(() => usccCheckChar('91350100M000100I4')).toThrow(RangeError);
  });
});

describe('parseUscc', () => {
  it.each(HAND_WORKED.slice(0, 3))('accepts %s + %s', (first17, check) => {
    expect(codeOf(parseUscc(first17 + check))).toBe('ok');
  });

  it('splits out department, type and area', () => {
    expect(parseUscc('91350100M000100Y43')).toEqual({
      ok: true, value: '91350100M000100Y43', registrationDept: '9', orgType: '1', areaCode: '350100',
    });
    expect(parseUscc('51110000500000123C')).toMatchObject({ registrationDept: '5', orgType: '1', areaCode: '110000' });
    expect(parseUscc('92320102MA1WTN8PKQ')).toMatchObject({ registrationDept: '9', orgType: '2', areaCode: '320102' });
  });

  it('normalises case, full-width characters and surrounding space', () => {
    expect(normalizeUscc(' 91350100m000100y43\u3000')).toBe('91350100M000100Y43');
    expect(parseUscc('９１３５０１００Ｍ０００１００Ｙ４３')).toMatchObject({ ok: true, value: '91350100M000100Y43' });
    expect(parseUscc('92320102ma1wtn8pkq')).toMatchObject({ ok: true, value: '92320102MA1WTN8PKQ' });
  });

  it.each([['91350100M000100Y4'], ['91350100M000100Y433'], [''], ['9135 0100M000100Y43']])('%j has the wrong length', (raw) => {
    const r = parseUscc(raw);
    expect(codeOf(r)).toBe('org.uscc_invalid_length');
    expect(r.ok ? null : r.params).toEqual({ length: normalizeUscc(raw).length });
  });

  it.each(['I', 'O', 'S', 'V', 'Z', '-', '中'])('refuses %s', (c) => {
    const r = parseUscc(`91350100M000100${c}43`);
    expect(codeOf(r)).toBe('org.uscc_invalid_chars');
    expect(r.ok ? null : r.params).toEqual({ char: c });
  });

  it('refuses a letter in the area code even with a matching check character', () => {
    // 91350A00M000100Y4: A (10) replaces 1 (weight 26): 1640 + 9·26 = 1874; 1874 mod 31 = 14
    // (31·60 = 1860); 31 − 14 = 17 → 'H'. Valid in every other way, so only the area rule refuses it.
    expect(usccCheckChar('91350A00M000100Y4')).toBe('H');
    const r = parseUscc('91350A00M000100Y4H');
    expect(codeOf(r)).toBe('org.uscc_invalid_chars');
    expect(r.ok ? null : r.params).toEqual({ char: 'A' });
  });

  it('refuses a wrong check character without telling the right one', () => {
    for (const c of USCC_CHARSET) {
      if (c === '3') continue;
      const r = parseUscc(`91350100M000100Y4${c}`);
      expect(codeOf(r), c).toBe('org.uscc_bad_check_char');
      expect(JSON.stringify(r)).not.toContain('"3"');
    }
  });
});

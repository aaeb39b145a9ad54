import { describe, it, expect } from 'vitest';
import { normalizePhone, parsePhone } from './phone.rules.ts';

describe('normalizePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    [' 138 1234 5678 ', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['138\u20141234\u20135678', '13812345678'], // em and en dashes
    ['１３８－１２３４－５６７８', '13812345678'], // full-width digits and dash
    ['+86 138 1234 5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['＋８６１３８１２３４５６７８', '13812345678'],
    ['0086 13812345678', '13812345678'],
    ['010-65529988', '01065529988'],
    ['(010) 6552 9988', '01065529988'],
    ['（０１０）６５５２９９８８', '01065529988'],
    ['0755-8888-8888', '075588888888'],
  ])('%j → %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it('puts back the trunk 0 that the international form of a landline leaves out', () => {
    expect(normalizePhone('+86 10 6552 9988')).toBe('01065529988');
    expect(normalizePhone('+86 21 6321 1234')).toBe('02163211234');
    expect(normalizePhone('0086-755-8888-8888')).toBe('075588888888');
    expect(normalizePhone('+86 371 6123456')).toBe('03716123456');
    // …but not when the 0 was kept, and never in front of a mobile.
    expect(normalizePhone('+86 010 6552 9988')).toBe('01065529988');
    expect(normalizePhone('+86 199 1234 5678')).toBe('19912345678');
  });

  it('leaves other prefixes alone', () => {
    expect(normalizePhone('8613812345678')).toBe('8613812345678');
    expect(normalizePhone('+85291234567')).toBe('+85291234567');
  });
});

describe('parsePhone', () => {
  it.each([['13012345678'], ['13812345678'], ['14712345678'], ['15912345678'], ['16612345678'], ['17712345678'], ['18812345678'], ['19912345678']])(
    'mobile %s',
    (raw) => expect(parsePhone(raw)).toEqual({ ok: true, value: raw, kind: 'mobile' }),
  );

  it.each([
    ['010-65529988', '01065529988'], // Beijing: 2-digit area, 8 digits
    ['02163211234', '02163211234'], // Shanghai
    ['0755-88888888', '075588888888'], // Shenzhen: 3-digit area, 8 digits
    ['0371-6123456', '03716123456'], // 3-digit area, 7 digits
    ['+86 10 6552 9988', '01065529988'],
  ])('landline %j', (raw, value) => {
    expect(parsePhone(raw)).toEqual({ ok: true, value, kind: 'landline' });
  });

  it.each([
    ['', 'empty'],
    ['12812345678', 'no mobile prefix starts 12'],
    ['10812345678', 'no mobile prefix starts 10'],
    ['1381234567', '10 digits'],
    ['138123456789', '12 digits'],
    ['1381234567a', 'a letter'],
    ['010-6552998', '2-digit area code with 7 digits'],
    ['010-655299881', '2-digit area code with 9 digits'],
    ['0755-888888', '3-digit area code with 6 digits'],
    ['0755-888888888', '3-digit area code with 9 digits'],
    ['013812345678', 'a mobile with a leading 0 is not area 013'],
    ['0123-1234567', 'no area code starts 01 except 010'],
    ['65529988', 'local number without area code'],
    ['400-810-8888', 'service numbers are not personal phones'],
    ['+85291234567', 'Hong Kong'],
    ['8613812345678', 'bare 86 is not stripped'],
    ['010-65529988-801', 'extensions are not supported'],
  ])('refuses %j (%s)', (raw) => {
    const r = parsePhone(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('person.phone_invalid');
      // The detail may end up in logs: it must not carry the number.
      const digits = normalizePhone(raw);
      if (digits.length >= 4) expect(r.detail).not.toContain(digits);
    }
  });
});

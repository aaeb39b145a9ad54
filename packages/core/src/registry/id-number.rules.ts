import { ageOn } from './age-band.rules.ts';
import { civilDateOf, compareCivil, DEFAULT_TIME_ZONE, formatCivil, isRealDate, type CivilDate } from './civil-date.ts';

/**
 * 公民身份号码 (GB 11643-1999): 6-digit area code (of the place of first registration, which may
 * no longer exist), 8-digit birth date, 3-digit sequence (odd = male), 1 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH: CivilDate = { year: 1900, month: 1, day: 1 };

/**
 * First two digits of the area code (GB/T 2260 provinces): 11–15 north, 21–23 north-east,
 * 31–37 east, 41–46 centre-south, 50–54 south-west, 61–65 north-west, 71 Taiwan,
 * 81 Hong Kong, 82 Macao. 83 is added because residence permits for Taiwan residents
 * (港澳台居民居住证, 2018) use area 830000 with the same number format; HK and Macao permits use 81/82.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

export type IdNumberErrorCode =
  | 'person.id_invalid_length'
  | 'person.id_invalid_chars'
  | 'person.id_unknown_area'
  | 'person.id_bad_birth_date'
  | 'person.id_bad_check_digit';

export type IdNumberParse =
  | { ok: true; value: string; areaCode: string; birthDate: string; sex: '1' | '2'; age: number }
  | { ok: false; code: IdNumberErrorCode; detail: string; params?: Record<string, string | number> };

export interface ParseIdOptions {
  /** "Now"; its calendar date is read in `timeZone`. A 'YYYY-MM-DD' string is used as is. */
  today: Date | string;
  timeZone?: string;
  /** Checks the full 6-digit area code against a division table (include abolished codes!). */
  knownAreaPrefix?: (code6: string) => boolean;
  /** Accept a 15-digit legacy number and answer with its 18-digit upgrade. Off by default. */
  acceptLegacy?: boolean;
}

/** Trims, turns full-width digits and X into ASCII and lower-case x into X. Nothing else. */
export function normalizeIdNumber(raw: string): string {
  return raw
    .trim()
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[xＸｘ]/g, 'X');
}

/** The check character for 17 digits: Σ digit·weight mod 11 indexes "10X98765432". */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('checkDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Upgrades a 15-digit number (area, YYMMDD, sequence) to 18 digits: '19' before the year and
 * a check character at the end. Null when the input is not 15 digits after normalising.
 */
export function upgradeLegacyId(id15: string): string | null {
  const id = normalizeIdNumber(id15);
  if (!/^\d{15}$/.test(id)) return null;
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  return first17 + checkDigit(first17);
}

const fail = (code: IdNumberErrorCode, detail: string, params?: Record<string, string | number>): IdNumberParse =>
  params ? { ok: false, code, detail, params } : { ok: false, code, detail };

/** Validates and decodes an ID number. Structure is checked before the check character. */
export function parseIdNumber(raw: string, opts: ParseIdOptions): IdNumberParse {
  let id = normalizeIdNumber(raw);
  const length = [...id].length;
  if (length === 15 && /^\d{15}$/.test(id)) {
    if (!opts.acceptLegacy) return fail('person.id_invalid_length', 'a 15-digit legacy number: upgrade it first', { length });
    id = upgradeLegacyId(id)!;
  } else if (length !== 18) {
    return fail('person.id_invalid_length', `expected 18 characters, got ${length}`, { length });
  }
  if (!/^\d{17}[\dX]$/.test(id)) {
    return fail('person.id_invalid_chars', 'the first 17 characters must be digits and the last a digit or X');
  }

  const areaCode = id.slice(0, 6);
  if (!PROVINCE_CODES.has(areaCode.slice(0, 2))) {
    return fail('person.id_unknown_area', `no province ${areaCode.slice(0, 2)}`, { area: areaCode });
  }
  if (opts.knownAreaPrefix && !opts.knownAreaPrefix(areaCode)) {
    return fail('person.id_unknown_area', `area code ${areaCode} is not known`, { area: areaCode });
  }

  const birth: CivilDate = { year: Number(id.slice(6, 10)), month: Number(id.slice(10, 12)), day: Number(id.slice(12, 14)) };
  const digits = id.slice(6, 14);
  if (!isRealDate(birth.year, birth.month, birth.day)) {
    return fail('person.id_bad_birth_date', `${digits} is not a calendar date`, { date: digits });
  }
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const birthDate = formatCivil(birth);
  if (compareCivil(birth, EARLIEST_BIRTH) < 0) {
    return fail('person.id_bad_birth_date', `${birthDate} is before 1900-01-01`, { date: birthDate });
  }
  if (compareCivil(birth, civilDateOf(opts.today, timeZone)) > 0) {
    return fail('person.id_bad_birth_date', `${birthDate} is in the future`, { date: birthDate });
  }

  // The expected character is deliberately not reported: a mismatch usually means a typo in
  // another digit, and showing "should be X" invites "fixing" the wrong character.
  if (checkDigit(id.slice(0, 17)) !== id[17]) {
    return fail('person.id_bad_check_digit', 'the check character does not match the first 17 digits');
  }

  const sex = Number(id[16]) % 2 === 1 ? '1' : '2'; // GB/T 2261.1: 1 男, 2 女
  return { ok: true, value: id, areaCode, birthDate, sex, age: ageOn(birthDate, opts.today, timeZone) };
}

/** '610727199003071238' → '6107**********1238'. Values of 8 characters or fewer are fully masked. */
export function maskIdNumber(value: string): string {
  const chars = [...value];
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('');
}

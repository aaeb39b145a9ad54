/**
 * Contact phone numbers in the registry: mainland mobiles and landlines, stored as digits only
 * ('13812345678', '01065529988'). Masking lives with the encryption in packages/db.
 */

export type PhoneKind = 'mobile' | 'landline';
export type PhoneErrorCode = 'person.phone_invalid';

export type PhoneParse =
  | { ok: true; value: string; kind: PhoneKind }
  | { ok: false; code: PhoneErrorCode; detail: string };

/** Mobile: 11 digits, 1 then 3–9 (no mainland mobile prefix starts 10, 11 or 12). */
const MOBILE = /^1[3-9]\d{9}$/;

/**
 * Landline: trunk 0, area code, local number. Two-digit area codes (10 Beijing, 2x) all have
 * 8-digit local numbers; three-digit ones (0[3-9]xx) have 7 or 8. This is the brief's
 * `0\d{2,3}\d{7,8}` narrowed to real area-code shapes, which rejects a mobile written with a
 * leading 0 ('013812345678' would otherwise pass as area 013 + 8 digits).
 */
const LANDLINE = /^0(?:(?:10|2\d)\d{8}|[3-9]\d{2}\d{7,8})$/;

/** Separators people type: spaces, ASCII and typographic dashes, parentheses around the area code. */
const SEPARATORS = /[\s\-\u2010-\u2015()]/g;

/**
 * Digits only: NFKC (full-width digits, ＋, －, （）), separators removed, and a leading +86 or
 * 0086 dropped. In international form the landline's trunk 0 is left out ('+86 10 6552 9988'),
 * so it is put back when what follows is not a mobile number.
 */
export function normalizePhone(raw: string): string {
  let s = raw.normalize('NFKC').replace(SEPARATORS, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else return s;
  if (/^(?:10|[2-9])/.test(s)) s = `0${s}`;
  return s;
}

export function parsePhone(raw: string): PhoneParse {
  const value = normalizePhone(raw);
  if (MOBILE.test(value)) return { ok: true, value, kind: 'mobile' };
  if (LANDLINE.test(value)) return { ok: true, value, kind: 'landline' };
  return {
    ok: false,
    code: 'person.phone_invalid',
    detail: `not a mainland mobile or landline number (${value.length} characters after normalising)`,
  };
}

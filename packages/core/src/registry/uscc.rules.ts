/**
 * 统一社会信用代码 (GB 32100-2015), 18 characters:
 *   [0]    登记管理部门代码 registration department (1 机构编制, 5 民政, 9 工商/市场监管, Y 其他 …)
 *   [1]    机构类别代码 organisation type within that department
 *   [2..7] 登记管理机关行政区划码 area code of the registering authority (6 digits)
 *   [8..16] 主体标识码 (组织机构代码, GB 11714)
 *   [17]   check character
 * The department and type tables are extended over time, so they are returned, not validated;
 * the embedded GB 11714 code's own check digit is not verified either (see the report/README).
 */

/** The 31 code characters; a character's index is its value. I, O, S, V and Z are not used. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccErrorCode = 'org.uscc_invalid_length' | 'org.uscc_invalid_chars' | 'org.uscc_bad_check_char';

export type UsccParse =
  | { ok: true; value: string; registrationDept: string; orgType: string; areaCode: string }
  | { ok: false; code: UsccErrorCode; detail: string; params?: Record<string, string | number> };

/** Trims, turns full-width letters and digits into ASCII (NFKC) and upper-cases. */
export function normalizeUscc(raw: string): string {
  return raw.normalize('NFKC').trim().toUpperCase();
}

/** The check character for the first 17 characters: (31 − Σ value·weight mod 31) mod 31. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('usccCheckChar needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i]!);
    if (v < 0) throw new RangeError(`not a USCC character: ${first17[i]}`);
    sum += v * WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

const fail = (code: UsccErrorCode, detail: string, params?: Record<string, string | number>): UsccParse =>
  params ? { ok: false, code, detail, params } : { ok: false, code, detail };

export function parseUscc(raw: string): UsccParse {
  const value = normalizeUscc(raw);
  const length = [...value].length;
  if (length !== 18) return fail('org.uscc_invalid_length', `expected 18 characters, got ${length}`, { length });

  const bad = [...value].find((c) => !USCC_CHARSET.includes(c));
  if (bad !== undefined) {
    // I, O, S, V, Z are left out of the set because they read like 1, 0, 5, U, 2.
    return fail('org.uscc_invalid_chars', `character ${bad} is not allowed`, { char: bad });
  }
  const areaCode = value.slice(2, 8);
  const letter = [...areaCode].find((c) => !/\d/.test(c));
  if (letter !== undefined) {
    return fail('org.uscc_invalid_chars', `characters 3–8 are an area code and must be digits, got ${areaCode}`, { char: letter });
  }
  // As for ID numbers, the expected character is not reported (see id-number.rules.ts).
  if (usccCheckChar(value.slice(0, 17)) !== value[17]) {
    return fail('org.uscc_bad_check_char', 'the check character does not match the first 17 characters');
  }
  return { ok: true, value, registrationDept: value[0]!, orgType: value[1]!, areaCode };
}

import type { Text } from '@wangge/contracts';
import { civilDateOf, compareCivil, DEFAULT_TIME_ZONE, parseCivilDate } from './civil-date.ts';

/**
 * Age bands for classified summaries of the registry (分类统计). Data, not code: a summary
 * groups by `code` and shows `label`. `max: null` means open-ended. Bands are contiguous and
 * cover every age from 0 (checked by a test).
 */
export interface AgeBand {
  code: string;
  min: number;
  max: number | null;
  label: Text;
}

export const AGE_BANDS: readonly AgeBand[] = [
  { code: '0-6', min: 0, max: 6, label: { 'zh-CN': '0–6 岁', en: 'Aged 0–6' } },
  { code: '7-17', min: 7, max: 17, label: { 'zh-CN': '7–17 岁', en: 'Aged 7–17' } },
  { code: '18-34', min: 18, max: 34, label: { 'zh-CN': '18–34 岁', en: 'Aged 18–34' } },
  { code: '35-59', min: 35, max: 59, label: { 'zh-CN': '35–59 岁', en: 'Aged 35–59' } },
  { code: '60-79', min: 60, max: 79, label: { 'zh-CN': '60–79 岁', en: 'Aged 60–79' } },
  { code: '80+', min: 80, max: null, label: { 'zh-CN': '80 岁及以上', en: 'Aged 80 and over' } },
];

/**
 * Completed years (周岁) on `today` for someone born on `birthDate` ('YYYY-MM-DD').
 * One less while this year's birthday has not come yet. Someone born on 29 February has not
 * reached the birthday on 28 February of a common year and has on 1 March: comparing
 * (month, day) pairs gives exactly that without special cases.
 * `today` is read as a calendar date in `timeZone` (see civil-date.ts).
 * Throws RangeError for a malformed birth date or one after `today`.
 */
export function ageOn(birthDate: string, today: Date | string, timeZone: string = DEFAULT_TIME_ZONE): number {
  const birth = parseCivilDate(birthDate);
  if (!birth) throw new RangeError(`not a YYYY-MM-DD date: ${birthDate}`);
  const now = civilDateOf(today, timeZone);
  if (compareCivil(birth, now) > 0) throw new RangeError(`birth date ${birthDate} is after today`);
  const beforeBirthday = now.month < birth.month || (now.month === birth.month && now.day < birth.day);
  return now.year - birth.year - (beforeBirthday ? 1 : 0);
}

/** The band an age in completed years falls in. Throws RangeError for a negative or fractional age. */
export function bandOf(age: number): AgeBand {
  if (!Number.isInteger(age) || age < 0) throw new RangeError(`not an age in completed years: ${age}`);
  const band = AGE_BANDS.find((b) => age >= b.min && (b.max === null || age <= b.max));
  // Unreachable while AGE_BANDS starts at 0 and ends open-ended; kept so a bad edit fails loudly.
  if (!band) throw new RangeError(`no age band for ${age}`);
  return band;
}

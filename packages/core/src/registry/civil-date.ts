/**
 * Calendar dates ("civil dates", YYYY-MM-DD) for the registry rules: birth dates, ages, "today".
 *
 * A `Date` is an instant; whether it is already someone's birthday depends on the time zone the
 * site runs in (the server's TIME_ZONE, Asia/Shanghai by default). The rules therefore read the
 * calendar date of `today` in an explicit zone and never use the host's local zone.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface CivilDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD; throws RangeError for an unknown zone.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a date that exists in the proleptic Gregorian calendar (e.g. not 2023-02-29). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one. setUTCFullYear avoids the 0–99 → 19xx quirk.
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0);
  return day <= last.getUTCDate();
}

/** Parses a strict 'YYYY-MM-DD' string naming a real date; null otherwise. */
export function parseCivilDate(text: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDate(year, month, day) ? { year, month, day } : null;
}

/**
 * The calendar date of `today` in `timeZone`. A 'YYYY-MM-DD' string is taken as the date itself
 * (handy when the caller already has one); anything else that is not a real date throws.
 */
export function civilDateOf(today: Date | string, timeZone: string = DEFAULT_TIME_ZONE): CivilDate {
  if (typeof today === 'string') {
    const d = parseCivilDate(today);
    if (!d) throw new RangeError(`not a YYYY-MM-DD date: ${today}`);
    return d;
  }
  if (Number.isNaN(today.getTime())) throw new RangeError('invalid Date');
  const d = parseCivilDate(formatterFor(timeZone).format(today));
  if (!d) throw new RangeError(`cannot read a calendar date in ${timeZone}`);
  return d;
}

/** Negative, zero or positive like a comparator. */
export function compareCivil(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function formatCivil(d: CivilDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

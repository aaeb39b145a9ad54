/**
 * The working-time calendar that turns case time limits (工作时 / 工作日) into deadlines.
 *
 * Which days work: the admin-edited overrides decide first (a 调休 Saturday → true, a public
 * holiday → false); a day not listed follows the plain rule, Monday–Friday work, weekends off.
 * Within a working day only the configured periods count (e.g. 09:00–12:00 and 13:30–17:30, so
 * the lunch break does not).
 *
 * Limits are counted in working minutes: N 工作时 = N × 60, N 工作日 = N × minutesPerDay. So
 * "1 working day from Monday 10:00" is "Tuesday 10:00", and a case dispatched out of hours starts
 * counting at the next working period. A deadline landing on a period end stays there (17:30,
 * not the next morning).
 *
 * Wall times are read in the configured IANA zone with Intl.DateTimeFormat. Working minutes are
 * the real time that passes between instants inside working periods. Pure: no clock, no
 * environment, no I/O.
 */

export interface WorkPeriod {
  start: number; // minutes after local midnight, start < end, e.g. 9:00 → 540
  end: number;
}

export interface CalendarConfig {
  timeZone: string;
  /** Working periods of a working day, sorted, non-overlapping, e.g. 09:00-12:00 and 13:30-17:30. */
  periods: WorkPeriod[];
  /** Day overrides by local date 'YYYY-MM-DD' → true (working day, e.g. a 调休 Saturday) or false (holiday). Days not listed: Monday–Friday work, Saturday and Sunday are off. */
  overrides: ReadonlyMap<string, boolean>;
}

export type LimitUnit = 'hours' | 'days';
export interface TimeLimit {
  value: number; // > 0, may be fractional for hours (0.5 h)
  unit: LimitUnit;
}

/** A calendar that cannot be used: bad working hours, bad override date, unknown zone, no working days. */
export class CalendarConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarConfigError';
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const DAY_MINUTES = 24 * 60;
/** More consecutive days than this without working time means the overrides switched off everything. */
const MAX_IDLE_DAYS = 3660;

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * UTC midnight of year `y`, month `m` (1–12), day `d`. Unlike Date.UTC, years 0–99 stay years
 * 0–99 (Date.UTC maps them to 1900–1999), so '0050-01-01' is read as the year 50.
 */
function utcDate(y: number, m: number, d: number): Date {
  const x = new Date(0);
  x.setUTCFullYear(y, m - 1, d);
  return x;
}

/** [year, month, day] of a strict 'YYYY-MM-DD' naming a real date; null otherwise. */
function parseDate(text: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ymd: [number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return utcDate(ymd[0], ymd[1], ymd[2]).toISOString().startsWith(text) ? ymd : null;
}

/** Whether `text` is a strict 'YYYY-MM-DD' naming a real date — the one rule for calendar dates. */
export function isCalendarDate(text: string): boolean {
  return parseDate(text) !== null;
}

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

function checkPeriods(periods: readonly WorkPeriod[], labels?: readonly string[]): void {
  if (periods.length === 0) throw new CalendarConfigError('working hours must contain at least one period');
  periods.forEach((p, i) => {
    const ok = Number.isInteger(p.start) && Number.isInteger(p.end);
    const label = labels?.[i] ?? (ok ? `${hhmm(p.start)}-${hhmm(p.end)}` : `${p.start}-${p.end}`);
    if (!ok || p.start < 0 || p.end > DAY_MINUTES) {
      throw new CalendarConfigError(`working period "${label}" must be whole minutes within 00:00-24:00`);
    }
    if (p.start >= DAY_MINUTES) throw new CalendarConfigError(`working period "${label}" must start before 24:00`);
    if (p.end <= p.start) throw new CalendarConfigError(`working period "${label}" must end after it starts`);
    const prev = periods[i - 1];
    if (prev && p.start < prev.end) {
      const what = p.start < prev.start ? 'is out of order: periods must be sorted' : 'overlaps the period before it';
      throw new CalendarConfigError(`working period "${label}" ${what}`);
    }
  });
}

/** Parses "09:00-12:00,13:30-17:30" into periods (24:00 is allowed as an end). */
export function parseWorkingHours(text: string): WorkPeriod[] {
  if (text.trim() === '') throw new CalendarConfigError('working hours are empty; expected e.g. "09:00-12:00,13:30-17:30"');
  const labels = text.split(',').map((s) => s.trim());
  const periods = labels.map((part) => {
    const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(part);
    if (!m) throw new CalendarConfigError(`working period "${part}" is not of the form HH:MM-HH:MM`);
    const minutes = (h: string | undefined, mm: string | undefined) => {
      const v = Number(h) * 60 + Number(mm);
      if (Number(mm) >= 60 || v > DAY_MINUTES) {
        throw new CalendarConfigError(`working period "${part}": ${h}:${mm} is not a time of day`);
      }
      return v;
    };
    return { start: minutes(m[1], m[2]), end: minutes(m[3], m[4]) };
  });
  checkPeriods(periods, labels);
  return periods;
}

/** How many dates' working intervals a calendar keeps (about 55 years; cleared when full). */
const SPAN_CACHE_DATES = 20_000;

function instant(d: Date): number {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  return t;
}

export class WorkCalendar {
  /** Working minutes in one working day (sum of the periods), e.g. 420. */
  readonly minutesPerDay: number;
  private readonly periods: readonly WorkPeriod[];
  private readonly overrides: ReadonlyMap<string, boolean>;
  private readonly fmt: Intl.DateTimeFormat;

  constructor(config: CalendarConfig) {
    checkPeriods(config.periods);
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: config.timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new CalendarConfigError(`unknown time zone "${config.timeZone}"`);
    }
    for (const key of config.overrides.keys()) {
      if (!parseDate(key)) throw new CalendarConfigError(`calendar override "${key}" is not a real YYYY-MM-DD date`);
    }
    this.periods = config.periods.map((p) => ({ start: p.start, end: p.end }));
    this.overrides = new Map(config.overrides);
    this.minutesPerDay = this.periods.reduce((sum, p) => sum + p.end - p.start, 0);
  }

  /** The wall-clock reading of instant `t` in the zone, as if it were a UTC time (whole seconds). */
  private wall(t: number): number {
    const f: Record<string, number> = {};
    for (const { type, value } of this.fmt.formatToParts(t)) f[type] = Number(value);
    const midnight = utcDate(f.year ?? NaN, f.month ?? NaN, f.day ?? NaN).getTime();
    return midnight + (((f.hour ?? NaN) * 60 + (f.minute ?? NaN)) * 60 + (f.second ?? NaN)) * 1000;
  }

  private offset(t: number): number {
    return this.wall(t) - Math.floor(t / 1000) * 1000;
  }

  /** The instant of local `date` + `minute` minutes (a wall time skipped by DST maps just past the gap). */
  private toInstant(date: string, minute: number): number {
    const wall = Date.parse(`${date}T00:00:00Z`) + minute * MINUTE_MS;
    const first = this.offset(wall);
    const second = this.offset(wall - first);
    return wall - second;
  }

  /**
   * Each local date's working intervals, worked out once: a date's spans depend only on this
   * calendar's fixed zone, periods and overrides, and each costs four zone conversions (the
   * deadline of every intake and the remaining time of every listed case walk several days).
   */
  private readonly spanCache = new Map<string, ReadonlyArray<readonly [number, number]>>();

  /** The working intervals [start, end) of a local date as instants; none on a day off. */
  private spans(date: string): ReadonlyArray<readonly [number, number]> {
    let spans = this.spanCache.get(date);
    if (spans === undefined) {
      spans = this.spansOf(date);
      if (this.spanCache.size >= SPAN_CACHE_DATES) this.spanCache.clear();
      this.spanCache.set(date, spans);
    }
    return spans;
  }

  private spansOf(date: string): Array<[number, number]> {
    if (!this.isWorkday(date)) return [];
    const out: Array<[number, number]> = [];
    for (const p of this.periods) {
      const s = this.toInstant(date, p.start);
      const e = this.toInstant(date, p.end);
      if (e > s) out.push([s, e]);
    }
    return out;
  }

  /** Local date of an instant in the calendar's zone, 'YYYY-MM-DD'. */
  localDate(at: Date): string {
    return new Date(this.wall(instant(at))).toISOString().slice(0, 10);
  }

  isWorkday(localDate: string): boolean {
    const ymd = parseDate(localDate);
    if (!ymd) throw new RangeError(`not a YYYY-MM-DD date: ${localDate}`);
    const override = this.overrides.get(localDate);
    if (override !== undefined) return override;
    const weekday = utcDate(ymd[0], ymd[1], ymd[2]).getUTCDay();
    return weekday >= 1 && weekday <= 5;
  }

  /** The instant `minutes` working minutes after `from` (minutes ≥ 0); see the rules at the top. */
  addWorkingMinutes(from: Date, minutes: number): Date {
    const t = instant(from);
    if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`working minutes must be ≥ 0, got ${minutes}`);
    let left = Math.round(minutes * MINUTE_MS);
    let idle = 0;
    for (let date = this.localDate(from); ; date = nextDate(date)) {
      const spans = this.spans(date);
      if (spans.length > 0) idle = 0;
      else if (++idle >= MAX_IDLE_DAYS) {
        const why = `no working day in ${MAX_IDLE_DAYS} consecutive days up to ${date}`;
        throw new CalendarConfigError(`${why}; check the calendar overrides`);
      }
      for (const [s, e] of spans) {
        if (e <= t) continue;
        const begin = Math.max(s, t);
        if (left <= e - begin) return new Date(begin + left);
        left -= e - begin;
      }
    }
  }

  /** Working minutes between two instants (0 if to <= from). */
  workingMinutesBetween(from: Date, to: Date): number {
    const a = instant(from);
    const b = instant(to);
    if (b <= a) return 0;
    let total = 0;
    const last = this.localDate(to);
    for (let date = this.localDate(from); date <= last; date = nextDate(date)) {
      for (const [s, e] of this.spans(date)) {
        const lo = Math.max(s, a);
        const hi = Math.min(e, b);
        if (hi > lo) total += hi - lo;
      }
    }
    return total / MINUTE_MS;
  }

  /** Deadline for a limit: hours → value × 60 working minutes; days → value × minutesPerDay. */
  deadline(from: Date, limit: TimeLimit): Date {
    if (!Number.isFinite(limit.value) || limit.value <= 0) throw new RangeError(`time limit must be > 0, got ${limit.value}`);
    if (limit.unit === 'hours') return this.addWorkingMinutes(from, limit.value * 60);
    if (limit.unit === 'days') return this.addWorkingMinutes(from, limit.value * this.minutesPerDay);
    throw new RangeError(`unknown time limit unit: ${String(limit.unit)}`);
  }

  /** Whether `at` lies inside working time (a period's start counts, its end does not). */
  isWorkingTime(at: Date): boolean {
    const t = instant(at);
    return this.spans(this.localDate(at)).some(([s, e]) => s <= t && t < e);
  }
}

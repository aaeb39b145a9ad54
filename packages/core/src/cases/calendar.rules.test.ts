import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CalendarConfigError, WorkCalendar, isCalendarDate, parseWorkingHours, type TimeLimit } from './calendar.rules.ts';

// China's published calendar, as the admin would import it: holidays → off, 调休 days → working.
const require = createRequire(import.meta.url);
const data = JSON.parse(readFileSync(require.resolve('chinese-days/dist/chinese-days.json'), 'utf8')) as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};
const china = new Map<string, boolean>([
  ...Object.keys(data.holidays).map((d) => [d, false] as const),
  ...Object.keys(data.workdays).map((d) => [d, true] as const),
]);

const periods = parseWorkingHours('09:00-12:00,13:30-17:30');
const cal = new WorkCalendar({ timeZone: 'Asia/Shanghai', periods, overrides: china });
/** A Shanghai wall time 'YYYY-MM-DDTHH:MM' as an instant. */
const sh = (local: string) => new Date(`${local}:00+08:00`);
const hours = (value: number): TimeLimit => ({ value, unit: 'hours' });
const days = (value: number): TimeLimit => ({ value, unit: 'days' });

describe('the China calendar data', () => {
  it.each([
    ['2026-02-13', true], // Friday before 春节
    ['2026-02-14', true], // 调休 Saturday
    ['2026-02-15', false],
    ['2026-02-19', false],
    ['2026-02-23', false], // last day of 春节, a Monday
    ['2026-02-24', true],
    ['2026-02-28', true], // 调休 Saturday
    ['2026-03-07', false], // a plain Saturday
    ['2026-04-06', false], // 清明, a Monday
    ['2026-09-20', true], // 调休 Sunday
    ['2026-10-01', false],
    ['2026-10-07', false],
    ['2026-10-08', true],
    ['2026-10-10', true], // 调休 Saturday
  ])('%s is a working day: %s', (date, expected) => {
    expect(cal.isWorkday(date)).toBe(expected);
  });
});

describe('deadline', () => {
  it.each<[string, string, TimeLimit, string]>([
    ['春节: Friday 16:00 + 4 h runs into the 调休 Saturday', '2026-02-13T16:00', hours(4), '2026-02-14T03:30:00.000Z'],
    ['春节: 调休 Saturday 16:00 + 1 day skips the holiday to Tuesday', '2026-02-14T16:00', days(1), '2026-02-24T08:00:00.000Z'],
    ['春节: Friday 10:00 + 1 day is Saturday 10:00', '2026-02-13T10:00', days(1), '2026-02-14T02:00:00.000Z'],
    ['weekend: Friday 16:00 + 4 h is Monday 11:30', '2026-03-06T16:00', hours(4), '2026-03-09T03:30:00.000Z'],
    ['lunch break: 11:00 + 2 h is 14:30', '2026-03-02T11:00', hours(2), '2026-03-02T06:30:00.000Z'],
    ['lunch break: 12:30 + 1 h is 14:30', '2026-03-02T12:30', hours(1), '2026-03-02T06:30:00.000Z'],
    ['before 09:00: 07:15 + 1 h is 10:00', '2026-03-02T07:15', hours(1), '2026-03-02T02:00:00.000Z'],
    ['after 17:30: 19:00 + 1 h is 10:00 next day', '2026-03-02T19:00', hours(1), '2026-03-03T02:00:00.000Z'],
    ['on a weekend holiday: National Day Saturday + 4 h', '2026-10-03T10:00', hours(4), '2026-10-08T06:30:00.000Z'],
    ['on a weekday holiday: 清明 Monday + 1 h', '2026-04-06T10:00', hours(1), '2026-04-07T02:00:00.000Z'],
    ['lands on 12:00: stays at 12:00', '2026-03-02T09:00', hours(3), '2026-03-02T04:00:00.000Z'],
    ['lands on 17:30: 1 day from 09:00 stays at 17:30', '2026-03-02T09:00', days(1), '2026-03-02T09:30:00.000Z'],
    ['starts on 12:00: counts from 13:30', '2026-03-02T12:00', hours(1), '2026-03-02T06:30:00.000Z'],
    ['starts on 17:30: counts from next 09:00', '2026-03-02T17:30', hours(0.5), '2026-03-03T01:30:00.000Z'],
    ['fractional: 11:45 + 0.5 h is 13:45', '2026-03-02T11:45', hours(0.5), '2026-03-02T05:45:00.000Z'],
    ['fractional: 09:00 + 1.25 h is 10:15', '2026-03-02T09:00', hours(1.25), '2026-03-02T02:15:00.000Z'],
    ['拆违: 20 days from Monday 10:00 in March', '2026-03-02T10:00', days(20), '2026-03-30T02:00:00.000Z'],
    ['拆违: 20 days across 中秋, National Day and 调休', '2026-09-21T10:00', days(20), '2026-10-26T02:00:00.000Z'],
    ['National Day: 30 Sep 16:00 + 1 day is 8 Oct 16:00', '2026-09-30T16:00', days(1), '2026-10-08T08:00:00.000Z'],
    ['National Day: 9 Oct 16:00 + 4 h is 调休 Saturday 11:30', '2026-10-09T16:00', hours(4), '2026-10-10T03:30:00.000Z'],
    ['National Day: 18 Sep 16:00 + 4 h is 调休 Sunday 11:30', '2026-09-18T16:00', hours(4), '2026-09-20T03:30:00.000Z'],
  ])('%s', (_name, from, limit, expected) => {
    const due = cal.deadline(sh(from), limit);
    expect(due.toISOString()).toBe(expected);
    // The working time between dispatch and deadline is exactly the limit.
    const minutes = limit.unit === 'hours' ? limit.value * 60 : limit.value * cal.minutesPerDay;
    expect(cal.workingMinutesBetween(sh(from), due)).toBe(minutes);
  });

  it('rejects a limit that is not positive, and an invalid Date', () => {
    expect(() => cal.deadline(sh('2026-03-02T10:00'), hours(0))).toThrow(RangeError);
    expect(() => cal.deadline(sh('2026-03-02T10:00'), days(-1))).toThrow(RangeError);
    expect(() => cal.deadline(new Date(Number.NaN), hours(1))).toThrow(RangeError);
    expect(() => cal.addWorkingMinutes(sh('2026-03-02T10:00'), -1)).toThrow(RangeError);
  });
});

describe('addWorkingMinutes', () => {
  it.each([
    ['inside working time stays put', '2026-03-02T10:17', '2026-03-02T02:17:00.000Z'],
    ['at the start of a period stays put', '2026-03-02T13:30', '2026-03-02T05:30:00.000Z'],
    ['at 12:00 moves to 13:30', '2026-03-02T12:00', '2026-03-02T05:30:00.000Z'],
    ['at 17:30 moves to the next 09:00', '2026-03-02T17:30', '2026-03-03T01:00:00.000Z'],
    ['on a Saturday moves to Monday 09:00', '2026-03-07T10:00', '2026-03-09T01:00:00.000Z'],
    ['on 春节 moves to 24 Feb 09:00', '2026-02-18T10:00', '2026-02-24T01:00:00.000Z'],
  ])('0 minutes %s', (_name, from, expected) => {
    expect(cal.addWorkingMinutes(sh(from), 0).toISOString()).toBe(expected);
  });

  it('follows the wall clock across a DST change (Europe/Berlin)', () => {
    const berlin = new WorkCalendar({ timeZone: 'Europe/Berlin', periods, overrides: new Map() });
    // Friday 27 Mar 16:00 CET (UTC+1) + 4 h → Monday 30 Mar 11:30 CEST (UTC+2).
    expect(berlin.deadline(new Date('2026-03-27T15:00:00Z'), hours(4)).toISOString()).toBe('2026-03-30T09:30:00.000Z');
    // Friday 23 Oct 16:00 CEST + 4 h → Monday 26 Oct 11:30 CET.
    expect(berlin.deadline(new Date('2026-10-23T14:00:00Z'), hours(4)).toISOString()).toBe('2026-10-26T10:30:00.000Z');
    expect(berlin.localDate(new Date('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
  });

  it('counts the real length of a working day that a DST change shortens', () => {
    const allDay = new WorkCalendar({
      timeZone: 'Europe/Berlin',
      periods: parseWorkingHours('00:00-24:00'),
      overrides: new Map([['2026-03-29', true]]),
    });
    const midnight = new Date('2026-03-28T23:00:00Z'); // Sunday 29 Mar 00:00 CET
    expect(allDay.workingMinutesBetween(midnight, new Date('2026-03-29T22:00:00Z'))).toBe(23 * 60);
    expect(allDay.addWorkingMinutes(midnight, 23 * 60).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // A night shift 01:30-04:00 on both change days: 90 real minutes in spring, 210 in autumn.
    const night = new WorkCalendar({
      timeZone: 'Europe/Berlin',
      periods: parseWorkingHours('01:30-04:00'),
      overrides: new Map([['2026-03-29', true], ['2026-10-25', true]]),
    });
    expect(night.workingMinutesBetween(new Date('2026-03-28T12:00:00Z'), new Date('2026-03-29T12:00:00Z'))).toBe(90);
    expect(night.addWorkingMinutes(new Date('2026-03-28T12:00:00Z'), 0).toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(night.workingMinutesBetween(new Date('2026-10-24T12:00:00Z'), new Date('2026-10-25T12:00:00Z'))).toBe(210);
    expect(night.addWorkingMinutes(new Date('2026-10-24T12:00:00Z'), 0).toISOString()).toBe('2026-10-24T23:30:00.000Z');
  });

  it('stops with CalendarConfigError when the overrides leave no working day', () => {
    const off = new Map<string, boolean>();
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2036, 6, 1); t += 86_400_000) off.set(new Date(t).toISOString().slice(0, 10), false);
    const dead = new WorkCalendar({ timeZone: 'Asia/Shanghai', periods, overrides: off });
    expect(() => dead.addWorkingMinutes(sh('2026-01-01T10:00'), 1)).toThrow(/no working day in 3660 consecutive days/);
    expect(() => dead.addWorkingMinutes(sh('2026-01-01T10:00'), 1)).toThrow(CalendarConfigError);
  });
});

describe('a year missing from the data', () => {
  const without2027 = new Map([...china].filter(([d]) => !d.startsWith('2027')));
  it('2027-01-01 (a Friday) works by the weekday rule, and is off with an override', () => {
    const plain = new WorkCalendar({ timeZone: 'Asia/Shanghai', periods, overrides: without2027 });
    const edited = new WorkCalendar({ timeZone: 'Asia/Shanghai', periods, overrides: new Map([...without2027, ['2027-01-01', false]]) });
    expect(plain.isWorkday('2027-01-01')).toBe(true);
    expect(edited.isWorkday('2027-01-01')).toBe(false);
    expect(plain.deadline(sh('2026-12-31T16:00'), hours(4)).toISOString()).toBe('2027-01-01T03:30:00.000Z');
    expect(edited.deadline(sh('2026-12-31T16:00'), hours(4)).toISOString()).toBe('2027-01-04T03:30:00.000Z');
  });
});

describe('workingMinutesBetween', () => {
  it.each([
    ['Friday 16:00 → Monday 10:00', '2026-03-06T16:00', '2026-03-09T10:00', 150],
    ['over the lunch break', '2026-03-02T11:00', '2026-03-02T14:00', 90],
    ['one working day over 春节', '2026-02-14T09:00', '2026-02-24T09:00', 420],
    ['inside a holiday', '2026-10-02T09:00', '2026-10-05T17:00', 0],
    ['backwards', '2026-03-03T10:00', '2026-03-02T10:00', 0],
  ])('%s = %i min', (_name, from, to, expected) => {
    expect(cal.workingMinutesBetween(sh(from), sh(to))).toBe(expected);
  });

  /** mulberry32: a tiny seeded PRNG, so a failure can be replayed. */
  function prng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it.each([
    ['Asia/Shanghai with the China calendar', cal],
    ['Europe/Berlin without overrides', new WorkCalendar({ timeZone: 'Europe/Berlin', periods, overrides: new Map() })],
  ])('is the inverse of addWorkingMinutes on 500 random samples (%s)', (_name, c) => {
    const random = prng(20260214);
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 500; i++) {
      const a = new Date(start + Math.floor(random() * 365 * 86_400) * 1000);
      const m = Math.floor(random() * 3000);
      const b = c.addWorkingMinutes(a, m);
      expect(b.getTime()).toBeGreaterThanOrEqual(a.getTime());
      expect(c.workingMinutesBetween(a, b), `from ${a.toISOString()} + ${m}`).toBe(m);
      if (m > 0) expect(c.isWorkingTime(new Date(b.getTime() - 1))).toBe(true);
    }
  });
});

describe('isWorkingTime and localDate', () => {
  it.each([
    ['2026-03-02T08:59', false],
    ['2026-03-02T09:00', true],
    ['2026-03-02T11:59', true],
    ['2026-03-02T12:00', false],
    ['2026-03-02T13:30', true],
    ['2026-03-02T17:30', false],
    ['2026-03-07T10:00', false], // Saturday
    ['2026-02-14T10:00', true], // 调休 Saturday
    ['2026-10-08T10:00', true],
    ['2026-10-07T10:00', false],
  ])('%s → %s', (local, expected) => {
    expect(cal.isWorkingTime(sh(local))).toBe(expected);
  });

  it('reads the local date in the calendar zone, not UTC', () => {
    expect(cal.localDate(new Date('2026-02-13T16:30:00Z'))).toBe('2026-02-14');
    expect(cal.localDate(new Date('2026-02-13T15:59:59Z'))).toBe('2026-02-13');
    expect(() => cal.isWorkday('2026-2-14')).toThrow(RangeError);
  });
});

describe('configuration', () => {
  it('parses working hours', () => {
    expect(periods).toEqual([
      { start: 540, end: 720 },
      { start: 810, end: 1050 },
    ]);
    expect(cal.minutesPerDay).toBe(420);
    expect(parseWorkingHours(' 9:00 - 12:00 , 13:00-24:00')).toEqual([
      { start: 540, end: 720 },
      { start: 780, end: 1440 },
    ]);
  });

  it.each([
    ['', /empty/],
    ['9-12', /"9-12" is not of the form HH:MM-HH:MM/],
    ['09:00-12:00;13:30-17:30', /"09:00-12:00;13:30-17:30" is not of the form/],
    ['09:00-12:00,', /"" is not of the form/],
    ['12:00-09:00', /"12:00-09:00" must end after it starts/],
    ['09:00-09:00', /"09:00-09:00" must end after it starts/],
    ['09:00-12:00,11:00-13:00', /"11:00-13:00" overlaps/],
    ['13:30-17:30,09:00-12:00', /"09:00-12:00" is out of order/],
    ['09:00-24:30', /"09:00-24:30": 24:30 is not a time of day/],
    ['09:60-12:00', /09:60 is not a time of day/],
    ['24:00-24:00', /"24:00-24:00" must start before 24:00/],
  ])('rejects %j', (text, message) => {
    expect(() => parseWorkingHours(text)).toThrow(CalendarConfigError);
    expect(() => parseWorkingHours(text)).toThrow(message);
  });

  it.each([
    ['no periods', { timeZone: 'Asia/Shanghai', periods: [], overrides: new Map() }, /at least one period/],
    ['unknown zone', { timeZone: 'Mars/Olympus', periods, overrides: new Map() }, /unknown time zone "Mars\/Olympus"/],
    ['bad override date', { timeZone: 'Asia/Shanghai', periods, overrides: new Map([['2026-02-30', false]]) }, /"2026-02-30"/],
    ['unsorted periods', { timeZone: 'Asia/Shanghai', periods: [...periods].reverse(), overrides: new Map() }, /"09:00-12:00" is out of order/],
    ['fractional minutes', { timeZone: 'Asia/Shanghai', periods: [{ start: 540.5, end: 600 }], overrides: new Map() }, /whole minutes/],
  ])('the constructor rejects %s', (_name, config, message) => {
    expect(() => new WorkCalendar(config)).toThrow(CalendarConfigError);
    expect(() => new WorkCalendar(config)).toThrow(message);
  });
});

describe('calendar dates', () => {
  /** The weekday (0 = Sunday) of a proleptic Gregorian date, built without Date.UTC's 1900 shift for years 0–99. */
  const weekday = (y: number, m: number, d: number) => {
    const x = new Date(0);
    x.setUTCFullYear(y, m - 1, d);
    return x.getUTCDay();
  };

  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false], // 2026 is not a leap year
    ['2026-02-30', false],
    ['2028-02-29', true], // 2028 is
    ['2100-02-29', false], // a century that is not a leap year
    ['2000-02-29', true],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-04-31', false],
    ['0050-01-01', true], // a real date; the API contract limits years to 2000–2100, this rule does not
    ['0050-02-29', false],
    ['0048-02-29', true],
    ['0000-02-29', true], // the year 0 is a leap year (divisible by 400); 1900, what Date.UTC makes of it, is not
    ['0100-02-29', false],
    ['2026-2-14', false],
    ['2026-02-14T00:00:00Z', false],
    [' 2026-02-14', false],
    ['', false],
  ])('isCalendarDate(%j) is %s', (text, expected) => {
    expect(isCalendarDate(text)).toBe(expected);
  });

  it('agrees with the constructor: every date it accepts is a usable override', () => {
    for (const text of ['0050-01-01', '0048-02-29', '0001-01-01', '2028-02-29']) {
      expect(isCalendarDate(text)).toBe(true);
      expect(() => new WorkCalendar({ timeZone: 'Asia/Shanghai', periods, overrides: new Map([[text, true]]) })).not.toThrow();
    }
    expect(() => new WorkCalendar({ timeZone: 'Asia/Shanghai', periods, overrides: new Map([['2026-02-30', true]]) })).toThrow(CalendarConfigError);
  });

  it('reads years 0–99 as themselves, not 1900–1999', () => {
    expect(weekday(50, 1, 1)).toBe(6); // 0050-01-01 was a Saturday (1950-01-01 was a Sunday)
    const plain = new WorkCalendar({ timeZone: 'Asia/Shanghai', periods, overrides: new Map() });
    expect(plain.isWorkday('0050-01-01')).toBe(false); // Saturday
    expect(plain.isWorkday('0050-01-02')).toBe(false); // Sunday
    expect(plain.isWorkday('0050-01-03')).toBe(true); // Monday
    expect(plain.isWorkday('0050-01-07')).toBe(true); // Friday (1950-01-07 was a Saturday)
    const edited = new WorkCalendar({ timeZone: 'Asia/Shanghai', periods, overrides: new Map([['0050-01-01', true]]) });
    expect(edited.isWorkday('0050-01-01')).toBe(true);
    // Local dates of instants in the year 50 stay in the year 50 (UTC has no zone offset to confuse this).
    const utc = new WorkCalendar({ timeZone: 'UTC', periods, overrides: new Map() });
    expect(utc.localDate(new Date('0050-01-03T10:00:00Z'))).toBe('0050-01-03');
    expect(utc.isWorkingTime(new Date('0050-01-03T10:00:00Z'))).toBe(true);
    expect(utc.isWorkingTime(new Date('0050-01-01T10:00:00Z'))).toBe(false);
  });
});

describe('the working intervals each calendar keeps per date', () => {
  it('are its own: another calendar with other overrides answers for the same dates by its rules', () => {
    const plain = new WorkCalendar({ timeZone: 'Asia/Shanghai', periods, overrides: new Map() });
    // 2026-02-14 is a 调休 Saturday in the China calendar, an ordinary Saturday in the plain one.
    const from = sh('2026-02-13T17:00');
    expect(cal.deadline(from, hours(2)).toISOString()).toBe(sh('2026-02-14T10:30').toISOString());
    expect(plain.deadline(from, hours(2)).toISOString()).toBe(sh('2026-02-16T10:30').toISOString());
    // Asked again, in the other order: the same answers.
    expect(plain.deadline(from, hours(2)).toISOString()).toBe(sh('2026-02-16T10:30').toISOString());
    expect(cal.deadline(from, hours(2)).toISOString()).toBe(sh('2026-02-14T10:30').toISOString());
    expect(cal.workingMinutesBetween(sh('2026-02-13T09:00'), sh('2026-02-16T09:00'))).toBe(420 + 420);
    expect(plain.workingMinutesBetween(sh('2026-02-13T09:00'), sh('2026-02-16T09:00'))).toBe(420);
  });
});

import type { Clock } from '../shared/clock.ts';
import type { Store } from '../ports.ts';
import type { LocatorCache } from '../grids/locator-cache.ts';
import type { CasesPort } from './cases.ports.ts';
import type { CaseNumbers, ReferenceCache } from './reference-cache.ts';
import { WorkCalendar, type WorkPeriod } from './calendar.rules.ts';

export interface CaseConfig {
  timeZone: string;
  workingPeriods: WorkPeriod[];
  dueSoonPercent: number;
  duplicateRadiusM: number;
  duplicateWindowDays: number;
}

/** Random tracking codes for residents and their one-way hash (node:crypto lives in the server, not here). */
export interface Tokens {
  newCode(): string;
  hash(code: string): string;
  /** Whether `code` hashes to `hash`, compared in constant time. */
  matches(code: string, hash: string): boolean;
}

export interface CaseDeps {
  store: Store;
  clock: Clock;
  locators: LocatorCache;
  calendars: CalendarCache;
  /** Categories, rules, units and areas in memory, checked by one stamp read per request. */
  reference: ReferenceCache;
  numbers: CaseNumbers;
  tokens: Tokens;
  config: CaseConfig;
}

/** The working calendar built from the calendar_days table, rebuilt when an admin edits a day. */
export class CalendarCache {
  private stamp: string | null = null;
  private calendar: WorkCalendar | null = null;

  constructor(private readonly timeZone: string, private readonly periods: WorkPeriod[]) {}

  async get(port: Pick<CasesPort, 'calendarStamp' | 'calendarOverrides'>): Promise<WorkCalendar> {
    const stamp = await port.calendarStamp();
    if (this.calendar && stamp === this.stamp) return this.calendar;
    const overrides = await port.calendarOverrides();
    this.calendar = new WorkCalendar({ timeZone: this.timeZone, periods: this.periods, overrides });
    this.stamp = stamp;
    return this.calendar;
  }
}

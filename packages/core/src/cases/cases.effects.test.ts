import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TransitionBody } from '@wangge/contracts';
import { WorkCalendar, parseWorkingHours } from './calendar.rules.ts';
import type { CaseRow, CategoryRow } from './cases.ports.ts';
import { applyDeadline, limitMinutes, presentFields, remainingMinutes } from './cases.effects.ts';

// ── Fixtures ──────────────────────────────────────────────────────────────────

// China's published calendar, built as calendar.rules.test.ts builds it: holidays → off, 调休 days → working.
const require = createRequire(import.meta.url);
const data = JSON.parse(readFileSync(require.resolve('chinese-days/dist/chinese-days.json'), 'utf8')) as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};
const china = new Map<string, boolean>([
  ...Object.keys(data.holidays).map((d) => [d, false] as const),
  ...Object.keys(data.workdays).map((d) => [d, true] as const),
]);
const cal = new WorkCalendar({ timeZone: 'Asia/Shanghai', periods: parseWorkingHours('09:00-12:00,13:30-17:30'), overrides: china });

/** A Shanghai wall time 'YYYY-MM-DDTHH:MM' as an instant. */
const sh = (local: string) => new Date(`${local}:00+08:00`);

const category = (over: Partial<CategoryRow> = {}): CategoryRow => ({
  id: 'cat-1', parentId: null, code: 'SJ0102', level: 3, nameZh: '暴露垃圾', nameEn: null, defaultUnitId: 'u1', limitUnit: 'hours',
  limits: { urgent: 1, high: 2, normal: 4 }, verifyRequired: true, pausePending: true, extraFields: [], open311Code: null, active: true, activeEffective: true, hasChildren: false, ancestorIds: ['cat-1'], ...over,
});

const caseRow = (over: Partial<CaseRow> = {}): CaseRow => ({
  id: 'case-1', no: 'WG20260213001', districtId: '3', source: 'grid_worker', categoryId: 'cat-1', priority: 'normal', description: '暴露垃圾',
  state: 'dispatched', closingKind: null, version: 3, gridId: '6', gridPinned: false, areaPath: '1.2.3.4.5.6', ownerAreaId: '5', ownerPath: '1.2.3.4.5', unitId: 'u1', unitHistory: [], route: null,
  lon: null, lat: null, address: null, buildingId: null, reporterName: null, reporterPhoneMasked: null, reporterUserId: null, extra: {},
  dueAt: null, pausedAt: null, remainingMinutes: null, supervision: 'none', supervised: false, superviseNote: null, mergedInto: null,
  rating: null, ratingComment: null, dispatchedBy: null, reportedBy: null, reportedAt: sh('2026-02-13T09:30'),
  dispatchedAt: null, handledAt: null, closedAt: null, updatedAt: sh('2026-02-13T09:30'), ...over,
});

/** Friday before 春节, dispatched with 4 working hours: due on the 调休 Saturday 11:30. */
const SAT_DUE = sh('2026-02-14T11:30');
/** Paused on Friday 16:30 with 60 (Friday) + 150 (Saturday morning) working minutes left. */
const pausedBeforeSpringFestival = () => caseRow({ state: 'extension_pending', dueAt: SAT_DUE, pausedAt: sh('2026-02-13T16:30'), remainingMinutes: 210 });

// ── applyDeadline ─────────────────────────────────────────────────────────────

describe("applyDeadline 'start'", () => {
  it('runs from Friday 16:00 over the weekend into the 调休 Saturday: due 11:30 local', () => {
    const r = applyDeadline('start', cal, caseRow({ priority: 'normal' }), category(), sh('2026-02-13T16:00'), 0);
    expect(r.patch.dueAt?.toISOString()).toBe('2026-02-14T03:30:00.000Z');
    expect(r.patch).toEqual({ dueAt: SAT_DUE, pausedAt: null, remainingMinutes: null, supervision: 'none' });
    expect(r.change).toEqual({ from: null, to: '2026-02-14T03:30:00.000Z' });
  });

  it('uses the priority’s limit', () => {
    const r = applyDeadline('start', cal, caseRow({ priority: 'urgent' }), category(), sh('2026-02-13T16:00'), 0);
    expect(r.patch.dueAt?.toISOString()).toBe('2026-02-13T09:00:00.000Z'); // 17:00 local, one hour later
  });

  it('counts days in working days: 2 days from Friday 10:00 are the 调休 Saturday and, after 春节, Tuesday 10:00', () => {
    const r = applyDeadline('start', cal, caseRow(), category({ limitUnit: 'days', limits: { urgent: 1, high: 1, normal: 2 } }), sh('2026-02-13T10:00'), 0);
    expect(r.patch.dueAt?.toISOString()).toBe('2026-02-24T02:00:00.000Z');
  });

  it('starts a fresh clock on a re-dispatch: clears a pause, resets supervision, records the old due time', () => {
    const c = caseRow({ state: 'returned', dueAt: SAT_DUE, pausedAt: sh('2026-02-13T16:30'), remainingMinutes: 210, supervision: 'due_soon' });
    const r = applyDeadline('start', cal, c, category(), sh('2026-03-02T09:00'), 0);
    expect(r.patch).toEqual({ dueAt: sh('2026-03-02T14:30'), pausedAt: null, remainingMinutes: null, supervision: 'none' });
    expect(r.change).toEqual({ from: '2026-02-14T03:30:00.000Z', to: '2026-03-02T06:30:00.000Z' });
  });
});

describe("applyDeadline 'pause_if_rule'", () => {
  const running = () => caseRow({ state: 'handling', dueAt: SAT_DUE });

  it('freezes the working minutes left when the category stops the clock for pending requests', () => {
    const now = sh('2026-02-13T16:30');
    const r = applyDeadline('pause_if_rule', cal, running(), category({ pausePending: true }), now, 0);
    expect(r.patch).toEqual({ pausedAt: now, remainingMinutes: 210 });
    expect(r.change).toEqual({ from: '2026-02-14T03:30:00.000Z', to: '2026-02-14T03:30:00.000Z', paused: true });
  });

  it('freezes a negative remainder when the case is already overdue', () => {
    const r = applyDeadline('pause_if_rule', cal, running(), category(), sh('2026-02-24T09:30'), 0);
    expect(r.patch.remainingMinutes).toBe(-(30 + 240 + 30)); // Saturday 11:30–17:30 less lunch, Tuesday 09:00–09:30
  });

  it('does nothing when the category keeps the clock running', () => {
    expect(applyDeadline('pause_if_rule', cal, running(), category({ pausePending: false }), sh('2026-02-13T16:30'), 0)).toEqual({ patch: {}, change: null });
  });

  it('does nothing without a due time', () => {
    expect(applyDeadline('pause_if_rule', cal, caseRow({ dueAt: null }), category(), sh('2026-02-13T16:30'), 0)).toEqual({ patch: {}, change: null });
  });

  it('does nothing when already paused (the first pause’s remainder stays)', () => {
    expect(applyDeadline('pause_if_rule', cal, pausedBeforeSpringFestival(), category(), sh('2026-02-14T09:00'), 0)).toEqual({ patch: {}, change: null });
  });
});

describe("applyDeadline 'resume'", () => {
  it('after a pause over 春节, the due time is now + the frozen working minutes', () => {
    const now = sh('2026-02-24T10:00');
    const r = applyDeadline('resume', cal, pausedBeforeSpringFestival(), category(), now, 0);
    // 10:00–12:00 is 120, 13:30 + the other 90 → 15:00 local.
    expect(r.patch).toEqual({ dueAt: sh('2026-02-24T15:00'), pausedAt: null, remainingMinutes: null });
    expect(r.patch.dueAt).toEqual(cal.addWorkingMinutes(now, 210));
    expect(r.change).toEqual({ from: '2026-02-14T03:30:00.000Z', to: '2026-02-24T07:00:00.000Z', paused: false });
  });

  it('does nothing when the clock was not paused', () => {
    expect(applyDeadline('resume', cal, caseRow({ state: 'handled', dueAt: SAT_DUE }), category(), sh('2026-02-24T10:00'), 0)).toEqual({ patch: {}, change: null });
  });

  it('keeps the original due time of a case paused while already overdue', () => {
    const c = caseRow({ dueAt: sh('2026-03-02T10:00'), pausedAt: sh('2026-03-02T10:30'), remainingMinutes: -30 });
    const r = applyDeadline('resume', cal, c, category(), sh('2026-03-03T14:00'), 0);
    expect(r.patch).toEqual({ dueAt: sh('2026-03-02T10:00'), pausedAt: null, remainingMinutes: null });
  });
});

describe("applyDeadline 'extend'", () => {
  it('adds the extension to the resumed due time of a paused case', () => {
    const r = applyDeadline('extend', cal, pausedBeforeSpringFestival(), category(), sh('2026-02-24T10:00'), 240);
    // Resumed: Tuesday 15:00; + 240: 150 to 17:30, 90 on Wednesday → 10:30 local.
    expect(r.patch).toEqual({ dueAt: sh('2026-02-25T10:30'), pausedAt: null, remainingMinutes: null, supervision: 'none' });
    expect(r.change).toEqual({ from: '2026-02-14T03:30:00.000Z', to: '2026-02-25T02:30:00.000Z' });
  });

  it('adds the extension to a running due time still ahead', () => {
    const c = caseRow({ state: 'extension_pending', dueAt: sh('2026-03-04T10:00'), supervision: 'due_soon' });
    const r = applyDeadline('extend', cal, c, category({ pausePending: false }), sh('2026-03-02T10:00'), 60);
    expect(r.patch).toEqual({ dueAt: sh('2026-03-04T11:00'), pausedAt: null, remainingMinutes: null, supervision: 'none' });
  });

  it('counts from now when the due time has passed', () => {
    const c = caseRow({ state: 'extension_pending', dueAt: sh('2026-03-02T10:00'), supervision: 'overdue' });
    const r = applyDeadline('extend', cal, c, category({ pausePending: false }), sh('2026-03-03T14:00'), 60);
    expect(r.patch.dueAt).toEqual(sh('2026-03-03T15:00'));
    expect(r.patch.supervision).toBe('none');
  });

  it('sets no due time when there was none', () => {
    expect(applyDeadline('extend', cal, caseRow({ dueAt: null }), category(), sh('2026-03-02T10:00'), 60)).toEqual({ patch: { pausedAt: null, remainingMinutes: null }, change: null });
  });
});

describe("applyDeadline 'stop' and 'none'", () => {
  it("'stop' freezes a running clock with what was left, keeping the due time for the record", () => {
    // Saturday 2026-02-14 10:30, due 11:30: 60 working minutes left, kept for a failed verification.
    const running = caseRow({ state: 'handling', dueAt: SAT_DUE });
    expect(applyDeadline('stop', cal, running, category(), sh('2026-02-14T10:30'), 0)).toEqual({ patch: { pausedAt: sh('2026-02-14T10:30'), remainingMinutes: 60 }, change: null });
    // Already paused: it stays frozen as it was.
    expect(applyDeadline('stop', cal, pausedBeforeSpringFestival(), category(), sh('2026-02-24T10:00'), 0)).toEqual({ patch: {}, change: null });
  });

  it("'clear' drops the deadline of a case that waits for a new dispatch", () => {
    expect(applyDeadline('clear', cal, caseRow({ state: 'evaluated', dueAt: SAT_DUE, supervision: 'overdue' }), category(), sh('2026-02-24T10:00'), 0)).toEqual({
      patch: { dueAt: null, pausedAt: null, remainingMinutes: null, supervision: 'none' }, change: { from: SAT_DUE.toISOString(), to: null },
    });
  });

  it("'none' changes nothing", () => {
    expect(applyDeadline('none', cal, pausedBeforeSpringFestival(), category(), sh('2026-02-24T10:00'), 0)).toEqual({ patch: {}, change: null });
  });
});

// ── remainingMinutes and limitMinutes ─────────────────────────────────────────

describe('remainingMinutes', () => {
  const due = sh('2026-03-02T14:00'); // Monday

  it('counts working minutes to the due time (the lunch break does not count)', () => {
    expect(remainingMinutes(cal, { dueAt: due, pausedAt: null, remainingMinutes: null }, sh('2026-03-02T10:00'))).toBe(150);
  });

  it('is negative when overdue', () => {
    expect(remainingMinutes(cal, { dueAt: sh('2026-03-02T10:00'), pausedAt: null, remainingMinutes: null }, sh('2026-03-02T14:00'))).toBe(-150);
    expect(remainingMinutes(cal, { dueAt: sh('2026-02-13T17:00'), pausedAt: null, remainingMinutes: null }, sh('2026-02-24T09:30'))).toBe(-(30 + 420 + 30)); // Friday's last half hour, the whole 调休 Saturday, Tuesday 09:00–09:30
  });

  it('is frozen while paused, whatever the time', () => {
    const paused = { dueAt: due, pausedAt: sh('2026-03-02T10:00'), remainingMinutes: 150 };
    expect(remainingMinutes(cal, paused, sh('2026-03-02T16:00'))).toBe(150);
    expect(remainingMinutes(cal, paused, sh('2026-03-20T16:00'))).toBe(150);
  });

  it('is null without a due time', () => {
    expect(remainingMinutes(cal, { dueAt: null, pausedAt: null, remainingMinutes: null }, sh('2026-03-02T10:00'))).toBeNull();
  });
});

describe('limitMinutes', () => {
  it('turns hours into minutes and days into working days of the calendar', () => {
    expect(cal.minutesPerDay).toBe(420);
    expect(limitMinutes(cal, category(), 'normal')).toBe(240);
    expect(limitMinutes(cal, category({ limits: { urgent: 0.5, high: 2, normal: 4 } }), 'urgent')).toBe(30);
    expect(limitMinutes(cal, category({ limitUnit: 'days', limits: { urgent: 1, high: 5, normal: 20 } }), 'normal')).toBe(20 * 420);
  });
});

// ── presentFields ─────────────────────────────────────────────────────────────

describe('presentFields', () => {
  const body = (over: Partial<TransitionBody>): TransitionBody => ({ action: 'feedback', version: 1, ...over });

  it('lists nothing for a bare body', () => {
    expect(presentFields(body({}))).toEqual([]);
  });

  it('lists every field that is given', () => {
    expect(presentFields(body({
      reason: '不归我单位', note: '已清理', unitId: '00000000-0000-4000-8000-000000000001', extension: { value: 2, unit: 'days' },
      targetCaseId: '00000000-0000-4000-8000-000000000002', rating: 'satisfied', gridId: '6', attachmentIds: ['00000000-0000-4000-8000-000000000003'],
    }))).toEqual(['reason', 'note', 'unitId', 'extension', 'targetCaseId', 'rating', 'gridId', 'attachmentIds']);
  });

  it('does not count an empty attachment list, but does count an empty note', () => {
    expect(presentFields(body({ attachmentIds: [] }))).toEqual([]);
    expect(presentFields(body({ note: '' }))).toEqual(['note']);
  });
});

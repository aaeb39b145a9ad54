import type { DeadlineEffect, Priority, TransitionBody } from '@wangge/contracts';
import { can, holdsSomewhere } from '../auth/auth.policy.ts';
import type { Actor } from '../auth/auth.types.ts';
import type { GridRow } from '../grids/grids.types.ts';
import type { WorkCalendar } from './calendar.rules.ts';
import type { CasePatch, CaseRow, CaseViewer, CategoryRow } from './cases.ports.ts';
import type { Guard, TransitionDef } from './cases.machine.ts';

/** What the flow table's `by` and `guard` columns are checked against. */
export interface CaseFacts {
  c: CaseRow;
  category: CategoryRow;
  owner: GridRow;
  /** The level above the owner that an escalation goes to (grid → community → street → district → city). */
  escalationTarget: GridRow | null;
}

const ESCALATION_LEVELS = ['community', 'street', 'district', 'city'] as const;

/** The nearest ancestor of `owner` that is one administrative level up (nested grids go to their community). */
export function escalationTargetOf(owner: GridRow, ancestors: GridRow[]): GridRow | null {
  const rank = (l: GridRow['level']) => (l === 'grid' ? -1 : ESCALATION_LEVELS.indexOf(l as (typeof ESCALATION_LEVELS)[number]));
  const mine = rank(owner.level);
  if (owner.level !== 'grid' && mine < 0) return null; // province: nothing above
  const byDepth = [...ancestors].filter((a) => a.id !== owner.id).sort((a, b) => b.depth - a.depth);
  for (const a of byDepth) {
    const r = rank(a.level);
    if (r > mine && r >= 0) return a;
  }
  return null;
}

/** Whether the actor is who the table's `by` column names, for this case. */
export function isBy(t: TransitionDef, actor: Actor, viewer: CaseViewer, c: CaseRow): boolean {
  switch (t.by) {
    case 'dispatcher':
      return can(actor, 'case.dispatch', c.ownerPath);
    case 'unit':
      return c.unitId !== null && viewer.unitIds.includes(c.unitId) && holdsSomewhere(actor, 'case.handle');
    case 'verifier':
      return can(actor, 'case.verify', c.areaPath) || can(actor, 'case.dispatch', c.ownerPath);
    case 'reporter':
      return can(actor, 'case.report', c.areaPath);
    case 'supervisor':
      return can(actor, 'case.supervise', c.areaPath);
    case 'rater':
      return can(actor, 'case.dispatch', c.ownerPath) || can(actor, 'case.dispatch', c.areaPath);
  }
}

export function guardHolds(g: Guard | null, f: CaseFacts): boolean {
  switch (g) {
    case null:
      return true;
    case 'verify_required':
      return f.category.verifyRequired;
    case 'verify_not_required':
      return !f.category.verifyRequired;
    case 'owner_is_local':
      return f.owner.level === 'community' || f.owner.level === 'street';
    case 'owner_is_community':
      return f.owner.level === 'community';
    case 'owner_has_parent':
      return f.escalationTarget !== null;
    case 'owner_is_grid':
      return f.owner.level === 'grid';
    case 'unsatisfied':
      return f.c.rating === 'unsatisfied';
  }
}

/** A guard's failure in words, for the error message. */
export const guardWhy: Record<Guard, { 'zh-CN': string; en: string }> = {
  verify_required: { 'zh-CN': '该分类无需现场核查', en: 'this category needs no on-site verification' },
  verify_not_required: { 'zh-CN': '该分类须先现场核查', en: 'this category must be verified on site first' },
  owner_is_local: { 'zh-CN': '只有社区或街道可本级办理', en: 'only a community or street can handle it at its own level' },
  owner_is_community: { 'zh-CN': '只有社区可提交议事会', en: 'only a community can convene a council' },
  owner_has_parent: { 'zh-CN': '已是最高层级，无法再上报', en: 'this is already the top level' },
  owner_is_grid: { 'zh-CN': '只有网格内上报、尚未流转的事件可就地解决', en: 'only a case still held by its grid can be settled on the spot' },
  unsatisfied: { 'zh-CN': '只有不满意的评价可重新办理', en: 'only an unsatisfied rating reopens a case' },
};

/** Working minutes left before the deadline; negative when overdue; frozen while paused or stopped. */
export function remainingMinutes(cal: WorkCalendar, c: Pick<CaseRow, 'dueAt' | 'pausedAt' | 'remainingMinutes'>, now: Date): number | null {
  if (c.pausedAt) return c.remainingMinutes;
  if (!c.dueAt) return null;
  return now < c.dueAt ? Math.round(cal.workingMinutesBetween(now, c.dueAt)) : -Math.round(cal.workingMinutesBetween(c.dueAt, now));
}

export function limitMinutes(cal: WorkCalendar, category: CategoryRow, priority: Priority): number {
  const value = category.limits[priority];
  return category.limitUnit === 'hours' ? value * 60 : value * cal.minutesPerDay;
}

/**
 * The deadline column of the table, applied: a patch for the case and what to record in the
 * trace (`deadline: { from, to }`). `extensionMinutes` is the approved extension.
 */
export function applyDeadline(
  effect: DeadlineEffect, cal: WorkCalendar, c: CaseRow, category: CategoryRow, now: Date, extensionMinutes: number,
): { patch: CasePatch; change: { from: string | null; to: string | null; paused?: boolean } | null } {
  const was = c.dueAt?.toISOString() ?? null;
  const resumed = (): Date | null => {
    if (!c.pausedAt) return c.dueAt;
    const left = c.remainingMinutes ?? 0;
    return left > 0 ? cal.addWorkingMinutes(now, left) : c.dueAt;
  };
  switch (effect) {
    case 'none':
      return { patch: {}, change: null };
    case 'start': {
      const due = cal.addWorkingMinutes(now, limitMinutes(cal, category, c.priority));
      return { patch: { dueAt: due, pausedAt: null, remainingMinutes: null, supervision: 'none' }, change: { from: was, to: due.toISOString() } };
    }
    case 'pause_if_rule': {
      if (!category.pausePending || !c.dueAt || c.pausedAt) return { patch: {}, change: null };
      const left = remainingMinutes(cal, c, now) ?? 0;
      return { patch: { pausedAt: now, remainingMinutes: left }, change: { from: was, to: was, paused: true } };
    }
    case 'resume': {
      if (!c.pausedAt) return { patch: {}, change: null };
      const due = resumed();
      return { patch: { dueAt: due, pausedAt: null, remainingMinutes: null }, change: { from: was, to: due?.toISOString() ?? null, paused: false } };
    }
    case 'extend': {
      const base = resumed();
      if (!base) return { patch: { pausedAt: null, remainingMinutes: null }, change: null };
      const start = base > now ? base : now;
      const due = cal.addWorkingMinutes(start, extensionMinutes);
      return { patch: { dueAt: due, pausedAt: null, remainingMinutes: null, supervision: 'none' }, change: { from: was, to: due.toISOString() } };
    }
    case 'stop': {
      // Frozen with what was left: a failed verification resumes from here, figures read handled_at against due_at.
      if (!c.dueAt || c.pausedAt) return { patch: {}, change: null };
      return { patch: { pausedAt: now, remainingMinutes: remainingMinutes(cal, c, now) }, change: null };
    }
    case 'clear':
      return { patch: { dueAt: null, pausedAt: null, remainingMinutes: null, supervision: 'none' }, change: was ? { from: was, to: null } : null };
  }
}

/** The fields a transition body carries (for required / not-allowed checks). */
export function presentFields(body: TransitionBody) {
  const out: Array<'reason' | 'note' | 'unitId' | 'extension' | 'targetCaseId' | 'rating' | 'gridId' | 'attachmentIds'> = [];
  if (body.reason !== undefined) out.push('reason');
  if (body.note !== undefined) out.push('note');
  if (body.unitId !== undefined) out.push('unitId');
  if (body.extension !== undefined) out.push('extension');
  if (body.targetCaseId !== undefined) out.push('targetCaseId');
  if (body.rating !== undefined) out.push('rating');
  if (body.gridId !== undefined) out.push('gridId');
  if (body.attachmentIds !== undefined && body.attachmentIds.length > 0) out.push('attachmentIds');
  return out;
}

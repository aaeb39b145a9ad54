import type { SupervisionLevel } from '@wangge/contracts';
import { rolesWith } from '../auth/auth.policy.ts';
import { pathIds } from '../areas/areas.rules.ts';
import type { Ports } from '../ports.ts';
import type { CaseDeps } from './cases.deps.ts';
import { limitMinutes, remainingMinutes } from './cases.effects.ts';
import { fmt } from './cases.usecases.ts';

/**
 * The supervision sweep (督办): marks running cases due soon (less than CASE_DUE_SOON_PERCENT of
 * the limit left, in working time) and overdue, and reminds the handling unit and the level that
 * owns the case, and for overdue cases the level above that too. A level is only ever raised, and
 * raising is a compare-and-set on the row, so two sweeps at once, or one run twice, remind once;
 * reminders also carry a unique reference per case, level and deadline. Each raise is a step of the
 * case's trace ('supervision', by the system) saying the level, the deadline and how many were reminded.
 */
export function levelFor(remaining: number, limit: number, dueSoonPercent: number): SupervisionLevel {
  if (remaining <= 0) return 'overdue';
  if (remaining < (limit * dueSoonPercent) / 100) return 'due_soon';
  return 'none';
}

const RANK: Record<SupervisionLevel, number> = { none: 0, due_soon: 1, overdue: 2 };


/** Runs in one transaction (`ports`: the job's): the compare-and-set holds each raised case's row until the trace step and reminders are written. */
export async function sweep(deps: CaseDeps, ports: Ports): Promise<{ checked: number; dueSoon: number; overdue: number }> {
  const now = deps.clock.now();
  const cal = await deps.calendars.get(ports.cases);
  const categories = new Map((await ports.cases.categories()).map((c) => [c.id, c]));
  let after: string | null = null;
  const out = { checked: 0, dueSoon: 0, overdue: 0 };
  for (;;) {
    const batch = await ports.cases.runningWithDeadline(500, after);
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    for (const c of batch) {
      out.checked++;
      const category = categories.get(c.categoryId);
      if (!category || !c.dueAt) continue;
      const level = levelFor(remainingMinutes(cal, c, now) ?? 0, limitMinutes(cal, category, c.priority), deps.config.dueSoonPercent);
      if (RANK[level] <= RANK[c.supervision]) continue;
      // The row as it is now, not as the batch read it: a transition since (received, escalated) changed who is told.
      const current = await ports.cases.setSupervision(c.id, c.supervision, level, c.dueAt);
      if (!current) continue;
      if (level === 'overdue') out.overdue++;
      else out.dueSoon++;
      const users = new Set<string>(current.unitId ? await ports.cases.unitMembers([current.unitId]) : []);
      for (const u of await ports.cases.usersWithRoleOn([current.ownerAreaId], rolesWith('case.dispatch'))) users.add(u);
      if (level === 'overdue') {
        // Up the chain: whoever supervises the owning level or any level above it.
        for (const u of await ports.cases.usersWithRoleOn(pathIds(current.ownerPath), rolesWith('case.supervise'))) users.add(u);
      }
      const ref = `${level}:${c.id}:${c.dueAt.toISOString()}`;
      // A step of the trace, by the system: the case went due soon or overdue and who was reminded. In the
      // sweep's transaction, after the compare-and-set on the row, so it is written once and in order.
      await ports.cases.appendEvent(c.id, c.districtId, {
        action: 'supervision', fromState: current.state, toState: current.state, actorId: null, actorName: null, at: now, note: null,
        data: { supervision: level, dueAt: c.dueAt.toISOString(), reminded: users.size },
      });
      await ports.notify.notify([...users], { kind: level === 'overdue' ? 'case_overdue' : 'case_due_soon', params: { no: c.no, due: fmt(c.dueAt, deps.config.timeZone) }, caseId: c.id, uniqueRef: ref, at: now });
      if (level === 'overdue') await ports.notify.emit('case.overdue', { id: c.id, no: c.no, dueAt: c.dueAt.toISOString(), unitId: current.unitId }, now);
    }
  }
  return out;
}

import {
  caseActionLabels, type CaseAction, type CaseState, type ClosingKind, type DeadlineEffect, type Text, type TransitionField,
} from '@wangge/contracts';

/**
 * The case flow as ONE table of data (docs/cases-flow.md is generated from it). The API, the
 * console's buttons, the audit text and the tests all read this table; use-cases never test a
 * state with an `if` of their own.
 *
 * - `kind` of a state: open or closed; every closed state carries how it ended (`closing`), so a
 *   closed case is never shown as solved unless it was. `evaluated` keeps the kind it had.
 * - `by`: who may fire a transition —
 *     dispatcher  holds case.dispatch on the level that owns the case now (owner area);
 *     unit        holds case.handle and is a member of the unit the case is dispatched to;
 *     verifier    holds case.verify on the case's grid, or is a dispatcher of it;
 *     reporter    holds case.report on the case's grid while a grid owns it (就地解决);
 *     supervisor  holds case.supervise on the case's area;
 *     rater       a dispatcher recording the resident's rating (回访), or the resident by tracking code.
 * - `deadline`: start (dispatch: a new due time from category × priority), pause_if_rule (the
 *   category says pending requests stop the clock), resume, extend, stop (handled: the clock is
 *   frozen with what was left, so a failed verification gives the unit back that time), clear (a
 *   case taken off the shelf or reopened waits for a new dispatch and its new deadline).
 */

export type StateKind = 'open' | 'closed';
export interface StateDef { kind: StateKind; closing: ClosingKind | 'keep' | null }

export const STATES: Record<CaseState, StateDef> = {
  reported: { kind: 'open', closing: null },
  accepted: { kind: 'open', closing: null },
  escalated: { kind: 'open', closing: null },
  council: { kind: 'open', closing: null },
  dispatched: { kind: 'open', closing: null },
  handling: { kind: 'open', closing: null },
  extension_pending: { kind: 'open', closing: null },
  returned: { kind: 'open', closing: null },
  handled: { kind: 'open', closing: null },
  verified: { kind: 'open', closing: null },
  closed: { kind: 'closed', closing: 'solved' },
  settled: { kind: 'closed', closing: 'settled_on_spot' },
  shelved: { kind: 'closed', closing: 'shelved' },
  refused: { kind: 'closed', closing: 'refused' },
  merged: { kind: 'closed', closing: 'duplicate' },
  evaluated: { kind: 'closed', closing: 'keep' },
};

export type FlowActor = 'dispatcher' | 'unit' | 'verifier' | 'reporter' | 'supervisor' | 'rater';

/** Conditions on the case beyond its state, checked by the use-case from the case's facts. */
export type Guard =
  | 'verify_required' // the category needs on-site verification
  | 'verify_not_required'
  | 'owner_is_local' // the owner is a community or street (本级办理, 议事会)
  | 'owner_is_community'
  | 'owner_has_parent' // escalation needs a level above
  | 'owner_is_grid' // 就地解决 while the grid still holds the case
  | 'unsatisfied'; // reopen after 不满意

export interface TransitionDef {
  action: CaseAction;
  from: CaseState[];
  to: CaseState | 'same';
  by: FlowActor;
  requires: TransitionField[];
  optional: TransitionField[];
  deadline: DeadlineEffect;
  guard: Guard | null;
  /** Notifications this transition sends (who gets them is decided by the notifier). */
  notify: Array<'unit' | 'dispatchers' | 'verifiers' | 'reporters' | 'upper_level'>;
}

const OPEN_DECIDING: CaseState[] = ['reported', 'accepted', 'escalated'];
const ALL_OPEN = (Object.keys(STATES) as CaseState[]).filter((s) => STATES[s].kind === 'open');

export const TRANSITIONS: readonly TransitionDef[] = [
  { action: 'accept', from: ['reported', 'escalated'], to: 'accepted', by: 'dispatcher', requires: [], optional: ['note'], deadline: 'none', guard: null, notify: [] },
  { action: 'refuse', from: ['reported', 'escalated'], to: 'refused', by: 'dispatcher', requires: ['reason'], optional: [], deadline: 'none', guard: null, notify: ['reporters'] },
  { action: 'dispatch', from: [...OPEN_DECIDING, 'returned'], to: 'dispatched', by: 'dispatcher', requires: ['unitId'], optional: ['note'], deadline: 'start', guard: null, notify: ['unit'] },
  { action: 'handle_here', from: [...OPEN_DECIDING, 'returned'], to: 'dispatched', by: 'dispatcher', requires: [], optional: ['note'], deadline: 'start', guard: 'owner_is_local', notify: ['unit'] },
  { action: 'convene', from: OPEN_DECIDING, to: 'council', by: 'dispatcher', requires: ['note'], optional: [], deadline: 'none', guard: 'owner_is_community', notify: [] },
  { action: 'council_decide', from: ['council'], to: 'accepted', by: 'dispatcher', requires: ['note'], optional: ['attachmentIds'], deadline: 'none', guard: null, notify: [] },
  { action: 'escalate', from: [...OPEN_DECIDING, 'returned', 'council'], to: 'escalated', by: 'dispatcher', requires: ['reason'], optional: [], deadline: 'none', guard: 'owner_has_parent', notify: ['upper_level'] },
  { action: 'shelve', from: [...OPEN_DECIDING, 'returned', 'council', 'handling'], to: 'shelved', by: 'dispatcher', requires: ['reason'], optional: [], deadline: 'stop', guard: null, notify: ['reporters'] },
  { action: 'unshelve', from: ['shelved'], to: 'accepted', by: 'dispatcher', requires: ['reason'], optional: [], deadline: 'clear', guard: null, notify: [] },
  { action: 'merge', from: OPEN_DECIDING, to: 'merged', by: 'dispatcher', requires: ['targetCaseId'], optional: ['note'], deadline: 'stop', guard: null, notify: ['reporters'] },
  { action: 'settle', from: ['reported'], to: 'settled', by: 'reporter', requires: ['note'], optional: ['attachmentIds'], deadline: 'none', guard: 'owner_is_grid', notify: [] },
  { action: 'receive', from: ['dispatched'], to: 'handling', by: 'unit', requires: [], optional: ['note'], deadline: 'none', guard: null, notify: [] },
  { action: 'request_extension', from: ['handling'], to: 'extension_pending', by: 'unit', requires: ['reason', 'extension'], optional: [], deadline: 'pause_if_rule', guard: null, notify: ['dispatchers'] },
  { action: 'approve_extension', from: ['extension_pending'], to: 'handling', by: 'dispatcher', requires: [], optional: ['note'], deadline: 'extend', guard: null, notify: ['unit'] },
  { action: 'deny_extension', from: ['extension_pending'], to: 'handling', by: 'dispatcher', requires: ['reason'], optional: [], deadline: 'resume', guard: null, notify: ['unit'] },
  { action: 'return', from: ['dispatched', 'handling'], to: 'returned', by: 'unit', requires: ['reason'], optional: [], deadline: 'pause_if_rule', guard: null, notify: ['dispatchers'] },
  { action: 'feedback', from: ['handling'], to: 'handled', by: 'unit', requires: ['note'], optional: ['attachmentIds'], deadline: 'stop', guard: null, notify: ['verifiers'] },
  { action: 'verify_pass', from: ['handled'], to: 'verified', by: 'verifier', requires: [], optional: ['note', 'attachmentIds'], deadline: 'none', guard: 'verify_required', notify: ['dispatchers'] },
  { action: 'verify_fail', from: ['handled'], to: 'handling', by: 'verifier', requires: ['reason'], optional: ['attachmentIds'], deadline: 'resume', guard: 'verify_required', notify: ['unit'] },
  { action: 'close', from: ['verified'], to: 'closed', by: 'dispatcher', requires: [], optional: ['note'], deadline: 'none', guard: null, notify: ['reporters'] },
  { action: 'close', from: ['handled'], to: 'closed', by: 'dispatcher', requires: [], optional: ['note'], deadline: 'none', guard: 'verify_not_required', notify: ['reporters'] },
  { action: 'rate', from: ['closed', 'settled'], to: 'evaluated', by: 'rater', requires: ['rating'], optional: ['note'], deadline: 'none', guard: null, notify: [] },
  { action: 'reopen', from: ['evaluated'], to: 'accepted', by: 'dispatcher', requires: ['reason'], optional: [], deadline: 'clear', guard: 'unsatisfied', notify: ['upper_level'] },
  { action: 'supervise', from: ALL_OPEN, to: 'same', by: 'supervisor', requires: ['note'], optional: [], deadline: 'none', guard: null, notify: ['unit', 'dispatchers'] },
  { action: 'correct_grid', from: ALL_OPEN, to: 'same', by: 'dispatcher', requires: ['gridId', 'reason'], optional: [], deadline: 'none', guard: null, notify: [] },
];

/** States in which the deadline clock runs (unless paused): the sweep and "overdue" look only at these. */
export const RUNNING_STATES: readonly CaseState[] = ['dispatched', 'handling', 'extension_pending', 'returned'];

/**
 * States in which the owning level must decide: open states that a dispatcher's row moves on
 * (shelving aside, which a dispatcher may do at almost any time). `handled` counts only where the
 * category needs no verification (its `close` row's guard): the repository adds that condition.
 */
export const DECIDING_STATES: readonly CaseState[] = (Object.keys(STATES) as CaseState[]).filter((s) =>
  STATES[s].kind === 'open' && TRANSITIONS.some((t) => t.by === 'dispatcher' && t.to !== 'same' && t.action !== 'shelve' && t.from.includes(s)));

/** The transitions of `action` that may fire from `state` (a few actions have one row per source state). */
export function transitionsFor(action: CaseAction, state: CaseState): TransitionDef[] {
  return TRANSITIONS.filter((t) => t.action === action && t.from.includes(state));
}

export function targetState(t: TransitionDef, from: CaseState): CaseState {
  return t.to === 'same' ? from : t.to;
}

/** The closing kind after a transition: set by the target state, kept by `evaluated`, cleared by an open state. */
export function closingAfter(to: CaseState, before: ClosingKind | null): ClosingKind | null {
  const c = STATES[to].closing;
  if (c === 'keep') return before;
  return c;
}

export const actionLabel = (a: CaseAction | 'report'): Text => caseActionLabels[a];

/** Every field a transition may carry, for refusing the others. */
export function allowedFields(t: TransitionDef): Set<TransitionField> {
  return new Set([...t.requires, ...t.optional]);
}

/** The flow as Mermaid, for docs/cases-flow.md. */
export function flowMermaid(): string {
  const lines = ['stateDiagram-v2', '  [*] --> reported: report'];
  for (const t of TRANSITIONS) {
    for (const f of t.from) {
      if (t.to === 'same') continue;
      lines.push(`  ${f} --> ${t.to}: ${t.action}${t.guard ? ` [${t.guard}]` : ''}`);
    }
  }
  for (const [s, d] of Object.entries(STATES)) if (d.kind === 'closed' && s !== 'shelved' && s !== 'evaluated') lines.push(`  ${s} --> [*]`);
  return lines.join('\n');
}

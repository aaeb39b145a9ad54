import { useMemo } from 'react';
import {
  caseActionLabels, caseQueueLabels, caseSourceLabels, caseStateLabels, closingKindLabels, priorityLabels, ratingLabels, supervisionLabels,
  transitionFieldLabels, unitKindLabels, type CaseAction, type CaseQueue, type CaseSource, type CaseState, type ClosingKind, type Priority,
  type Rating, type SupervisionLevel, type TransitionField,
} from '@wangge/contracts';
import { useLocale } from '../../i18n/index.ts';

interface NamedCategory {
  nameZh: string;
  nameEn: string | null;
}

/** The words of the case flow, from the shared contracts, in the current language. */
export function useCaseLabels() {
  const locale = useLocale();
  return useMemo(
    () => ({
      locale,
      state: (s: CaseState) => caseStateLabels[s][locale],
      closing: (k: ClosingKind) => closingKindLabels[k][locale],
      /** An action of the trace; `report` and `merged_in` are trace-only steps. */
      action: (a: string) => (a in caseActionLabels ? caseActionLabels[a as CaseAction | 'report'][locale] : a),
      source: (s: CaseSource) => caseSourceLabels[s][locale],
      priority: (p: Priority) => priorityLabels[p][locale],
      rating: (r: Rating) => ratingLabels[r][locale],
      supervision: (s: SupervisionLevel) => supervisionLabels[s][locale],
      queue: (q: CaseQueue) => caseQueueLabels[q][locale],
      field: (f: TransitionField) => transitionFieldLabels[f][locale],
      unitKind: (k: keyof typeof unitKindLabels) => unitKindLabels[k][locale],
      category: (c: NamedCategory) => (locale === 'en' && c.nameEn ? c.nameEn : c.nameZh),
    }),
    [locale],
  );
}

export const priorityColors: Record<Priority, string> = { urgent: 'red', high: 'orange', normal: 'default' };
export const supervisionColors: Record<SupervisionLevel, string> = { none: 'green', due_soon: 'orange', overdue: 'red' };
/** Map colours of the same levels (antd's red-5, orange-5, blue-6). */
export const supervisionMapColors: Record<SupervisionLevel, string> = { none: '#1677ff', due_soon: '#fa8c16', overdue: '#f5222d' };
export const ratingColors: Record<Rating, string> = { satisfied: 'green', basically_satisfied: 'gold', unsatisfied: 'red' };

/** Tag colour of a state: what still needs someone in blue/orange, how it ended in green (solved) or grey. */
export function stateColor(state: CaseState, closingKind: ClosingKind | null): string {
  if (closingKind) return closingKind === 'solved' || closingKind === 'settled_on_spot' ? 'green' : 'default';
  if (state === 'returned' || state === 'extension_pending') return 'orange';
  if (state === 'reported' || state === 'accepted' || state === 'escalated' || state === 'council') return 'gold';
  return 'processing';
}

import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CalendarDay as CalendarDaySchema, CalendarDayBody, CalendarYear as CalendarYearSchema, CategoryBody, CategoryView, Open311ServiceList,
  PublicCaseView as PublicCaseViewSchema, PublicRateBody, RoutingRuleBody, RoutingRuleView, UnitView, WebhookBody, WebhookView as WebhookViewSchema,
} from '@wangge/contracts';
import type { z } from 'zod';
import { api, type Items, type Ok } from './client.ts';

export type CalendarDay = z.infer<typeof CalendarDaySchema>;
export type CalendarYear = z.infer<typeof CalendarYearSchema>;
export type WebhookView = z.infer<typeof WebhookViewSchema>;
export type PublicCaseView = z.infer<typeof PublicCaseViewSchema>;
/** What the forms send: the contracts' request bodies with their defaults applied. */
export type CategoryInput = z.output<typeof CategoryBody>;
export type RuleInput = z.output<typeof RoutingRuleBody>;
export type CalendarDayInput = z.output<typeof CalendarDayBody>;
export type WebhookInput = z.output<typeof WebhookBody>;
export type RateInput = z.output<typeof PublicRateBody>;
export type Open311Services = z.input<typeof Open311ServiceList>;
export type { CategoryView, RoutingRuleView, UnitView };


/** Everything about the case settings lives under one key; a change refreshes what depends on it. */
const root = ['case-config'] as const;
const k = {
  categories: [...root, 'categories'],
  units: [...root, 'units'],
  rules: [...root, 'rules'],
  calendar: [...root, 'calendar'],
  webhooks: [...root, 'webhooks'],
} as const;

export const caseConfigQueries = {
  categories: () =>
    queryOptions({
      queryKey: k.categories,
      queryFn: ({ signal }) => api.get<Items<CategoryView>>('/api/case-categories', undefined, signal).then((r) => r.items),
    }),
  units: () =>
    queryOptions({
      queryKey: k.units,
      queryFn: ({ signal }) => api.get<Items<UnitView>>('/api/handling-units', undefined, signal).then((r) => r.items),
      staleTime: 5 * 60_000,
    }),
  rules: () =>
    queryOptions({
      queryKey: k.rules,
      queryFn: ({ signal }) =>
        api.get<Items<RoutingRuleView>>('/api/routing-rules', undefined, signal).then((r) => [...r.items].sort((a, b) => a.seq - b.seq)),
    }),
  calendar: (year: number) =>
    queryOptions({
      queryKey: [...k.calendar, year],
      queryFn: ({ signal }) => api.get<CalendarYear>(`/api/calendar/${year}`, undefined, signal),
    }),
  webhooks: () =>
    queryOptions({
      queryKey: k.webhooks,
      queryFn: ({ signal }) => api.get<Items<WebhookView>>('/api/webhooks', undefined, signal).then((r) => r.items),
    }),
};

/** Categories: a change also refreshes the rules (they show category names). */
export function useCategoryMutations() {
  const qc = useQueryClient();
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: k.categories }), qc.invalidateQueries({ queryKey: k.rules })]);
  return {
    create: useMutation({ mutationFn: (body: CategoryInput) => api.post<CategoryView>('/api/case-categories', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: CategoryInput }) => api.put<CategoryView>(`/api/case-categories/${id}`, body),
      onSuccess: refresh,
    }),
    importOpen311: useMutation({
      mutationFn: (services: Open311Services) => api.post<{ created: number; updated: number }>('/api/case-categories/import-open311', services),
      onSuccess: refresh,
    }),
  };
}

export function useRuleMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: k.rules });
  return {
    create: useMutation({ mutationFn: (body: RuleInput) => api.post<RoutingRuleView>('/api/routing-rules', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: RuleInput }) => api.put<RoutingRuleView>(`/api/routing-rules/${id}`, body),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => api.delete<Ok>(`/api/routing-rules/${id}`), onSuccess: refresh }),
  };
}

export function useSetCalendarDay() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CalendarDayInput) => api.put<CalendarDay>('/api/calendar/days', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: k.calendar }),
  });
}

export function useWebhookMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: k.webhooks });
  return {
    /** The answer carries the signing secret: the only time it is shown. */
    create: useMutation({ mutationFn: (body: WebhookInput) => api.post<WebhookView>('/api/webhooks', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: WebhookInput }) => api.put<WebhookView>(`/api/webhooks/${id}`, body),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => api.delete<Ok>(`/api/webhooks/${id}`), onSuccess: refresh }),
  };
}

// ---- public: a resident follows a case ----------------------------------------------------------

export interface TrackQuery {
  no: string;
  code: string;
}

const publicKey = (q: TrackQuery | null) => ['public-case', q?.no ?? '', q?.code ?? ''] as const;

/** A case by its number and tracking code; a wrong pair is an answer (404), not a hiccup: never retried. */
export function usePublicCase(query: TrackQuery | null) {
  return useQuery({
    queryKey: publicKey(query),
    queryFn: ({ signal }) => api.get<PublicCaseView>(`/api/public/cases/${encodeURIComponent(query!.no)}`, { code: query!.code }, signal),
    enabled: query !== null,
    retry: false,
    staleTime: 60_000,
  });
}

export function usePublicRate(query: TrackQuery | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Omit<RateInput, 'code'>) =>
      api.post<PublicCaseView>(`/api/public/cases/${encodeURIComponent(query!.no)}/rating`, { ...body, code: query!.code }),
    onSuccess: (view) => qc.setQueryData(publicKey(query), view),
  });
}

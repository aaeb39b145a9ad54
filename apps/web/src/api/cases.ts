import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AttachmentView, CaseCounts as CaseCountsSchema, CaseDetail, CaseIntake, CaseListItem, CaseListQuery, CaseQueue, CategoryView,
  FlowView as FlowViewSchema, LocateResult, NotificationList as NotificationListSchema, RouteExplain, SimilarCase as SimilarCaseSchema,
  TransitionBody, UnitView,
} from '@wangge/contracts';
import type { z } from 'zod';
import i18n, { currentLocale, useLocale } from '../i18n/index.ts';
import { api, ApiError, type Items, type Page } from './client.ts';

export type { AttachmentView, CaseDetail, CaseListItem, CategoryView, LocateResult, RouteExplain, UnitView };
export type CaseEvent = CaseDetail['events'][number];
export type SimilarCase = z.infer<typeof SimilarCaseSchema>;
export type FlowView = z.infer<typeof FlowViewSchema>;
export type FlowTransition = FlowView['transitions'][number];
export type CaseCounts = z.infer<typeof CaseCountsSchema>;
export type NotificationList = z.infer<typeof NotificationListSchema>;
export type NotificationView = NotificationList['items'][number];
/** What the intake form sends: the contract's body before defaults are applied. */
export type IntakeInput = z.input<typeof CaseIntake>;
export type TransitionInput = Omit<TransitionBody, 'version'>;


/** Filters of a work queue, as the list and the export take them (undefined = not filtered). */
export type CaseFilter = Partial<Omit<CaseListQuery, 'queue' | 'page' | 'pageSize'>> & { queue: CaseQueue; page: number; pageSize: number };

/** Every case answer lives under one key, so a transition refreshes lists, counts and details at once. */
const root = ['cases'] as const;
const notificationsKey = ['notifications'] as const;

export const caseQueries = {
  list: (filter: CaseFilter) =>
    queryOptions({
      queryKey: [...root, 'list', filter],
      queryFn: ({ signal }) => api.get<Page<CaseListItem>>('/api/cases', { ...filter }, signal),
      placeholderData: keepPreviousData,
    }),
  counts: () =>
    queryOptions({
      queryKey: [...root, 'counts'],
      queryFn: ({ signal }) => api.get<CaseCounts>('/api/cases/counts', undefined, signal),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...root, 'detail', id],
      queryFn: ({ signal }) => api.get<CaseDetail>(`/api/cases/${id}`, undefined, signal),
    }),
  flow: () =>
    queryOptions({
      queryKey: ['case-flow'],
      queryFn: ({ signal }) => api.get<FlowView>('/api/cases/flow', undefined, signal),
      staleTime: Infinity,
    }),
  /** Cases found by number or words, for picking the case a duplicate is merged into. */
  search: (q: string) =>
    queryOptions({
      queryKey: [...root, 'search', q],
      queryFn: ({ signal }) => api.get<Page<CaseListItem>>('/api/cases', { queue: 'all', q, pageSize: 10 }, signal).then((r) => r.items),
      enabled: q.length > 0,
    }),
  categories: () =>
    queryOptions({
      queryKey: ['case-categories'],
      queryFn: ({ signal }) => api.get<Items<CategoryView>>('/api/case-categories', undefined, signal).then((r) => r.items),
      staleTime: 5 * 60_000,
    }),
  units: () =>
    queryOptions({
      queryKey: ['handling-units'],
      queryFn: ({ signal }) => api.get<Items<UnitView>>('/api/handling-units', undefined, signal).then((r) => r.items),
      staleTime: 5 * 60_000,
    }),
};

export interface SimilarInput {
  categoryId?: string | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  description?: string | undefined;
  excludeId?: string | undefined;
}

/** Possible duplicates of what is being entered; asked only once there is a place or a category. */
export function useSimilarCases(input: SimilarInput) {
  const ready = input.categoryId !== undefined || input.lon !== undefined;
  return useQuery<SimilarCase[]>({
    queryKey: [...root, 'similar', input],
    queryFn: ({ signal }) => api.get<Items<SimilarCase>>('/api/cases/similar', { ...input }, signal).then((r) => r.items),
    enabled: ready,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** Which unit a case of this category in this grid would go to, and by which rule. */
export function useRoutePreview(categoryId: string | undefined, gridId: string | undefined) {
  return useQuery({
    queryKey: [...root, 'route-preview', categoryId, gridId],
    queryFn: ({ signal }) => api.get<RouteExplain>('/api/cases/route-preview', { categoryId, gridId }, signal),
    enabled: categoryId !== undefined && gridId !== undefined,
    retry: false,
  });
}

/** The grids at a point, and those whose boundary is within `nearMetres` of it. */
export function useLocate(at: readonly [number, number] | null, nearMetres = 40) {
  return useQuery({
    queryKey: ['locate', at?.[0], at?.[1], nearMetres],
    queryFn: ({ signal }) => api.get<LocateResult>('/api/locate', { lon: at?.[0], lat: at?.[1], nearMetres }, signal),
    enabled: at !== null,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

function useRefreshCases() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: root }), qc.invalidateQueries({ queryKey: notificationsKey })]);
}

export function useIntake() {
  const refresh = useRefreshCases();
  return useMutation({ mutationFn: (body: IntakeInput) => api.post<CaseDetail>('/api/cases', body), onSuccess: refresh });
}

/** Fires a transition with the version the user saw; the answer is the case as it is now. */
export function useTransition(caseId: string) {
  const qc = useQueryClient();
  const refresh = useRefreshCases();
  return useMutation({
    mutationFn: ({ version, ...body }: TransitionInput & { version: number }) =>
      api.post<CaseDetail>(`/api/cases/${caseId}/transitions`, { ...body, version }),
    onSuccess: (detail) => {
      qc.setQueryData(caseQueries.detail(detail.id).queryKey, detail);
      return refresh();
    },
    onError: (error) => {
      // Someone else acted first: show the case as it is now.
      if (error instanceof ApiError && error.code === 'case.conflict') void refresh();
    },
  });
}

/** Transitions on cases of a list (the supervision board's quick 督办): the case id goes with each call. */
export function useListTransition() {
  const refresh = useRefreshCases();
  return useMutation({
    mutationFn: ({ id, version, ...body }: TransitionInput & { id: string; version: number }) =>
      api.post<CaseDetail>(`/api/cases/${id}/transitions`, { ...body, version }),
    onSettled: refresh,
  });
}

export function useRevealPhone(caseId: string) {
  return useMutation({ mutationFn: () => api.post<{ phone: string | null }>(`/api/cases/${caseId}/reporter-phone`) });
}

/** Uploads one photo or voice note (multipart field `file`), with the session cookie like every API call. */
export async function uploadAttachment(file: Blob, signal?: AbortSignal): Promise<AttachmentView> {
  const body = new FormData();
  body.append('file', file);
  let response: Response;
  try {
    response = await fetch('/api/attachments', {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': currentLocale() },
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network', i18n.t('errors.network'));
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const e = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') throw new ApiError(response.status, e.code, e.message);
    throw new ApiError(response.status, `http.${response.status}`, i18n.t('errors.http', { status: response.status }));
  }
  return data as AttachmentView;
}

/** The export of a queue with its filters (the same query string as the list, without paging). */
export function exportHref(filter: CaseFilter): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'page' || key === 'pageSize') continue;
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  // A download is a plain navigation: name the console's language, not the browser's.
  search.set('lang', currentLocale());
  return `/api/cases/export.xlsx?${search.toString()}`;
}

// ---- notifications --------------------------------------------------------------------------

/** My notifications in the UI language, asked again every 30 s while the page is visible. */
export function useNotifications() {
  const locale = useLocale();
  return useQuery({
    queryKey: [...notificationsKey, locale],
    queryFn: ({ signal }) => api.get<NotificationList>('/api/notifications', undefined, signal),
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
    retry: false,
  });
}

export function useNotificationMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: notificationsKey });
  return {
    read: useMutation({ mutationFn: (id: string) => api.post<{ ok: true }>(`/api/notifications/${id}/read`), onSuccess: refresh }),
    readAll: useMutation({ mutationFn: () => api.post<{ ok: true; count: number }>('/api/notifications/read-all'), onSuccess: refresh }),
  };
}

import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  CompletenessResult, DictTable, DueVisitList as DueVisitListSchema, GridCompleteness, HistoryList as HistoryListSchema, ImportView,
  LedgerKey, LedgerSpec, PersonSearchResult as PersonSearchResultSchema, PersonTag, PersonTagBody, PersonTagPatch, RegistryList,
  RegistryRecord, RegistrySummary, RevealResult as RevealResultSchema, TagDef, TagDefBody,
} from '@wangge/contracts';
import type { z } from 'zod';
import i18n, { currentLocale } from '../i18n/index.ts';
import { api, ApiError, type Items, type Ok } from './client.ts';

export type { DictTable, GridCompleteness, ImportView, LedgerKey, LedgerSpec, PersonTag, RegistryList, RegistryRecord, RegistrySummary, TagDef };
export type HistoryEntry = z.infer<typeof HistoryListSchema>['items'][number];
export type PersonSearchResult = z.infer<typeof PersonSearchResultSchema>;
export type PersonSearchHit = PersonSearchResult['items'][number];
export type DueVisitList = z.infer<typeof DueVisitListSchema>;
export type DueVisit = DueVisitList['items'][number];
export type RevealResult = z.infer<typeof RevealResultSchema>;
export type TagDefInput = z.input<typeof TagDefBody>;
export type PersonTagInput = z.input<typeof PersonTagBody> & { personId: string };
export type PersonTagChange = z.input<typeof PersonTagPatch>;
export type Completeness = z.infer<typeof CompletenessResult>;

/** What GET /api/registry/spec answers: the ledger table (as in contracts), the code tables and the tags. */
export interface RegistrySpecView {
  ledgers: LedgerSpec[];
  dicts: DictTable[];
  tags: TagDef[];
}

/**
 * A list's filters as the list and the export take them: area, words, and `f.<fieldKey>` for each
 * field filter (codes, `true`/`false`, ids of referenced records).
 */
export interface RegistryFilter {
  areaId?: string | undefined;
  q?: string | undefined;
  fields: Record<string, string>;
  page: number;
  pageSize: number;
}

export interface DueFilter {
  areaId?: string | undefined;
  withinDays: number;
  kind?: 'care' | 'special' | undefined;
  page: number;
  pageSize: number;
}

/** Every registry answer lives under one key, so a change refreshes lists, details and figures at once. */
const root = ['registry'] as const;

const listParams = (filter: Omit<RegistryFilter, 'page' | 'pageSize'> & { page?: number; pageSize?: number }) => {
  const params: Record<string, string | number | undefined> = { areaId: filter.areaId, q: filter.q, page: filter.page, pageSize: filter.pageSize };
  for (const [key, value] of Object.entries(filter.fields)) params[`f.${key}`] = value;
  return params;
};

const toQueryString = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  return search.toString();
};

export const registryQueries = {
  spec: () =>
    queryOptions({
      queryKey: [...root, 'spec'],
      queryFn: ({ signal }) => api.get<RegistrySpecView>('/api/registry/spec', undefined, signal),
      staleTime: 5 * 60_000,
    }),
  list: (ledger: LedgerKey, filter: RegistryFilter) =>
    queryOptions({
      queryKey: [...root, 'list', ledger, filter],
      queryFn: ({ signal }) => api.get<RegistryList>(`/api/registry/${ledger}`, listParams(filter), signal),
      placeholderData: keepPreviousData,
    }),
  /** Records of a ledger found by their title, for picking the record a reference points to. */
  pick: (ledger: LedgerKey, q: string) =>
    queryOptions({
      queryKey: [...root, 'pick', ledger, q],
      queryFn: ({ signal }) =>
        api.get<RegistryList>(`/api/registry/${ledger}`, { q: q || undefined, pageSize: 20 }, signal).then((r) => r.items),
      staleTime: 30_000,
    }),
  detail: (ledger: LedgerKey, id: string) =>
    queryOptions({
      queryKey: [...root, 'detail', ledger, id],
      queryFn: ({ signal }) => api.get<RegistryRecord>(`/api/registry/${ledger}/${id}`, undefined, signal),
    }),
  history: (ledger: LedgerKey, id: string) =>
    queryOptions({
      queryKey: [...root, 'history', ledger, id],
      queryFn: ({ signal }) => api.get<Items<HistoryEntry>>(`/api/registry/${ledger}/${id}/history`, undefined, signal).then((r) => r.items),
    }),
  search: (q: string, areaId: string | undefined) =>
    queryOptions({
      queryKey: [...root, 'search', q, areaId],
      queryFn: ({ signal }) => api.get<PersonSearchResult>('/api/registry/search', { q, areaId, limit: 50 }, signal),
      enabled: q.length > 0,
      placeholderData: keepPreviousData,
      retry: false,
    }),
  summary: (areaId: string | undefined) =>
    queryOptions({
      queryKey: [...root, 'summary', areaId],
      queryFn: ({ signal }) => api.get<RegistrySummary>('/api/registry/summary', { areaId }, signal),
      placeholderData: keepPreviousData,
    }),
  completeness: (areaId: string | undefined) =>
    queryOptions<GridCompleteness[]>({
      queryKey: [...root, 'completeness', areaId],
      queryFn: ({ signal }) => api.get<Completeness>('/api/registry/completeness', { areaId }, signal).then((r) => r.items),
      placeholderData: keepPreviousData,
    }),
  imports: (ledger: LedgerKey | undefined) =>
    queryOptions({
      queryKey: [...root, 'imports', ledger],
      queryFn: ({ signal }) => api.get<Items<ImportView>>('/api/registry/imports', { ledger }, signal).then((r) => r.items),
    }),
  /** One import; asked again every second while it runs (its progress bar). */
  importView: (importId: string) =>
    queryOptions({
      queryKey: [...root, 'import', importId],
      queryFn: ({ signal }) => api.get<ImportView>(`/api/registry/imports/${importId}`, undefined, signal),
      refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
    }),
  tags: () =>
    queryOptions({
      queryKey: [...root, 'tags'],
      queryFn: ({ signal }) => api.get<Items<TagDef>>('/api/registry/tags', undefined, signal).then((r) => r.items),
    }),
  personTags: (personId: string) =>
    queryOptions({
      queryKey: [...root, 'person-tags', personId],
      queryFn: ({ signal }) => api.get<Items<PersonTag>>('/api/registry/person-tags', { personId }, signal).then((r) => r.items),
    }),
  dueVisits: (filter: DueFilter) =>
    queryOptions({
      queryKey: [...root, 'visits', filter],
      queryFn: ({ signal }) => api.get<DueVisitList>('/api/registry/visits/due', { ...filter }, signal),
      placeholderData: keepPreviousData,
    }),
};

function useRefreshRegistry() {
  const qc = useQueryClient();
  // The grid map's figures (households, people…) follow the registry.
  return () => Promise.all([qc.invalidateQueries({ queryKey: root }), qc.invalidateQueries({ queryKey: ['grids'] })]);
}

export interface WriteInput {
  values: Record<string, unknown>;
  gridId?: string | undefined;
}

/** Create, update (with the version read) and delete records of a ledger; each refreshes the registry. */
export function useRecordMutations(ledger: LedgerKey) {
  const qc = useQueryClient();
  const refresh = useRefreshRegistry();
  return {
    create: useMutation({
      mutationFn: (body: WriteInput) => api.post<RegistryRecord>(`/api/registry/${ledger}`, body),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: WriteInput & { id: string; version: number }) => api.patch<RegistryRecord>(`/api/registry/${ledger}/${id}`, body),
      onSuccess: (record) => {
        qc.setQueryData(registryQueries.detail(ledger, record.id).queryKey, record);
        return refresh();
      },
      onError: (error, { id }) => {
        // Someone else saved first: show the record as it is now.
        if (error instanceof ApiError && error.code === 'registry.conflict') void qc.invalidateQueries({ queryKey: registryQueries.detail(ledger, id).queryKey });
      },
    }),
    remove: useMutation({
      mutationFn: ({ id, version }: { id: string; version: number }) => api.delete<Ok>(`/api/registry/${ledger}/${id}?version=${version}`),
      onSuccess: refresh,
    }),
  };
}

/** The full value of a masked field (ID number, phone): a deliberate request the server records. */
export function useReveal(ledger: LedgerKey, id: string) {
  return useMutation({ mutationFn: (field: string) => api.post<RevealResult>(`/api/registry/${ledger}/${id}/reveal`, { field }) });
}

export function useTagDefMutations() {
  const refresh = useRefreshRegistry();
  return {
    save: useMutation({ mutationFn: (body: TagDefInput) => api.put<TagDef>(`/api/registry/tags/${body.code}`, body), onSuccess: refresh }),
  };
}

export function usePersonTagMutations() {
  const refresh = useRefreshRegistry();
  return {
    add: useMutation({ mutationFn: (body: PersonTagInput) => api.post<PersonTag>('/api/registry/person-tags', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ tagId, ...body }: PersonTagChange & { tagId: string }) => api.patch<PersonTag>(`/api/registry/person-tags/${tagId}`, body),
      onSuccess: refresh,
    }),
    end: useMutation({ mutationFn: (tagId: string) => api.delete<Ok>(`/api/registry/person-tags/${tagId}`), onSuccess: refresh }),
  };
}

export function useImportMutations() {
  const refresh = useRefreshRegistry();
  return {
    start: useMutation({ mutationFn: startImport, onSuccess: refresh }),
    rollback: useMutation({ mutationFn: (importId: string) => api.post<ImportView>(`/api/registry/imports/${importId}/rollback`), onSuccess: refresh }),
  };
}

export interface ImportInput {
  ledger: LedgerKey;
  areaId: string;
  file: File;
}

/** The type the server reads a file as: the browser's, or from its name when the browser gives none (CSV on some systems). */
function fileType(file: File): string {
  if (file.type) return file.type;
  return /\.csv$/i.test(file.name) ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}

/** Sends the file as the request body (not multipart), as POST /api/registry/:ledger/imports takes it. */
async function startImport({ ledger, areaId, file }: ImportInput): Promise<ImportView> {
  const qs = toQueryString({ areaId, fileName: file.name });
  let response: Response;
  try {
    response = await fetch(`/api/registry/${ledger}/imports?${qs}`, {
      method: 'POST',
      body: file,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': currentLocale(), 'Content-Type': fileType(file) },
    });
  } catch {
    throw new ApiError(0, 'network', i18n.t('errors.network'));
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const e = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') throw new ApiError(response.status, e.code, e.message);
    throw new ApiError(response.status, `http.${response.status}`, i18n.t('errors.http', { status: response.status }));
  }
  return data as ImportView;
}

// ---- downloads (plain links: they name the console's language, not the browser's) -----------

export function exportHref(ledger: LedgerKey, filter: Omit<RegistryFilter, 'page' | 'pageSize'>): string {
  const { page: _page, pageSize: _size, ...params } = listParams(filter);
  return `/api/registry/${ledger}/export.xlsx?${toQueryString({ ...params, lang: currentLocale() })}`;
}

export const templateHref = (ledger: LedgerKey) => `/api/registry/${ledger}/template.xlsx?${toQueryString({ lang: currentLocale() })}`;
export const importErrorsHref = (importId: string) => `/api/registry/imports/${importId}/errors.xlsx?${toQueryString({ lang: currentLocale() })}`;
export const summaryHref = (areaId: string | undefined) => `/api/registry/summary.xlsx?${toQueryString({ areaId, lang: currentLocale() })}`;

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type {
  AreaDetail, AreaSummary, AuditEntry, AuditVerifyResult, CreateUserInput, Locale, Me, Meta, Role, UserView,
} from '@wangge/contracts';
import { api, ApiError, type Items, type Page, type Ok } from './client.ts';
import { formatTime } from '../lib/time.ts';


export const keys = {
  meta: ['meta'],
  me: ['me'],
  areas: ['areas'],
  users: ['users'],
  audit: ['audit'],
} as const;

// ---- system and session ---------------------------------------------------------------------

const FALLBACK_TIME_ZONE = 'Asia/Shanghai';
const FALLBACK_POLICY: Meta['passwordPolicy'] = { minLength: 8, minClasses: 3 };

export function useMeta() {
  return useQuery({
    queryKey: keys.meta,
    queryFn: ({ signal }) => api.get<Meta>('/api/meta', undefined, signal),
    staleTime: Infinity,
  });
}

export function usePasswordPolicy(): Meta['passwordPolicy'] {
  return useMeta().data?.passwordPolicy ?? FALLBACK_POLICY;
}

/** Formats an instant as `YYYY-MM-DD HH:mm` in the deployment's time zone. */
export function useFormatTime() {
  const timeZone = useTimeZone();
  return useCallback((iso: string | null | undefined) => formatTime(iso, timeZone), [timeZone]);
}

export function useTimeZone(): string {
  return useMeta().data?.timeZone ?? FALLBACK_TIME_ZONE;
}

/** The signed-in user, or null when nobody is signed in (a 401 is an answer here, not an error). */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async ({ signal }): Promise<Me | null> => {
      try {
        return await api.get<Me>('/api/auth/me', undefined, signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export const LOGIN_PATH = '/api/auth/login';

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => api.post<{ user: Me; expiresAt: string }>(LOGIN_PATH, body),
    onSuccess: (result) => qc.setQueryData(keys.me, result.user),
  });
}

export function useLogout() {
  return useMutation({ mutationFn: () => api.post<Ok>('/api/auth/logout') });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api.post<Ok>('/api/auth/password', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.me }),
  });
}

// ---- areas ----------------------------------------------------------------------------------

export const areaQueries = {
  roots: () =>
    queryOptions({
      queryKey: [...keys.areas, 'roots'],
      queryFn: ({ signal }) => api.get<Items<AreaSummary>>('/api/areas/roots', undefined, signal).then((r) => r.items),
      staleTime: 5 * 60_000,
    }),
  children: (id: string) =>
    queryOptions({
      queryKey: [...keys.areas, 'children', id],
      queryFn: ({ signal }) => api.get<Items<AreaSummary>>(`/api/areas/${id}/children`, undefined, signal).then((r) => r.items),
      staleTime: 5 * 60_000,
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...keys.areas, 'detail', id],
      queryFn: ({ signal }) => api.get<AreaDetail>(`/api/areas/${id}`, undefined, signal),
    }),
  search: (q: string) =>
    queryOptions({
      queryKey: [...keys.areas, 'search', q],
      queryFn: ({ signal }) => api.get<Items<AreaSummary>>('/api/areas/search', { q, limit: 20 }, signal).then((r) => r.items),
      enabled: q.length > 0,
    }),
};

export function useUpdateArea() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; nameZh: string; nameEn: string | null }) => api.patch<AreaDetail>(`/api/areas/${id}`, body),
    onSuccess: (detail) => {
      qc.setQueryData(areaQueries.detail(detail.id).queryKey, detail);
      void qc.invalidateQueries({ queryKey: [...keys.areas, 'search'] });
    },
  });
}

// ---- users ----------------------------------------------------------------------------------

export interface UserFilter {
  q?: string | undefined;
  areaId?: string | undefined;
  role?: Role | undefined;
  page: number;
  pageSize: number;
}

export function useUsers(filter: UserFilter) {
  return useQuery({
    queryKey: [...keys.users, filter],
    queryFn: ({ signal }) => api.get<Page<UserView>>('/api/users', { ...filter }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Every change to users; each refreshes the user list (and the session, in case it was oneself). */
export function useUserMutations() {
  const qc = useQueryClient();
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: keys.users }), qc.invalidateQueries({ queryKey: keys.me })]);
  return {
    create: useMutation({ mutationFn: (body: CreateUserInput) => api.post<UserView>('/api/users', body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: { id: string; displayName?: string; locale?: Locale; disabled?: boolean }) =>
        api.patch<UserView>(`/api/users/${id}`, body),
      onSuccess: refresh,
    }),
    resetPassword: useMutation({
      mutationFn: ({ id, newPassword }: { id: string; newPassword: string }) => api.post<Ok>(`/api/users/${id}/password`, { newPassword }),
      onSuccess: refresh,
    }),
    addGrant: useMutation({
      mutationFn: ({ id, ...body }: { id: string; role: Role; areaId: string }) => api.post<UserView>(`/api/users/${id}/grants`, body),
      onSuccess: refresh,
    }),
    removeGrant: useMutation({
      mutationFn: ({ id, grantId }: { id: string; grantId: string }) => api.delete<UserView>(`/api/users/${id}/grants/${grantId}`),
      onSuccess: refresh,
    }),
  };
}

// ---- audit ----------------------------------------------------------------------------------

export interface AuditFilter {
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
}

export function useAudit(filter: AuditFilter) {
  return useQuery({
    queryKey: [...keys.audit, filter],
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>('/api/audit', { ...filter }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useVerifyAudit() {
  return useMutation({ mutationFn: () => api.post<AuditVerifyResult>('/api/audit/verify') });
}

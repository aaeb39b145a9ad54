import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AdjustmentPreview, AdjustmentRequest, AdjustmentView as AdjustmentViewSchema, BuildingView as BuildingViewSchema,
  GridCard as GridCardSchema, GridMap, StaffBody, StaffView, STAFF_DUTIES,
} from '@wangge/contracts';
import type { z } from 'zod';
import { api, type Items, type Ok } from './client.ts';
import { keys } from './hooks.ts';

export type GridFeature = GridMap['features'][number];
export type GridProps = GridFeature['properties'];
export type Polygon = GridFeature['geometry'];
type GridCardView = ReturnType<typeof GridCardSchema.parse>;
export type AdjustmentView = ReturnType<typeof AdjustmentViewSchema.parse>;
export type BuildingView = ReturnType<typeof BuildingViewSchema.parse>;
export type StaffDuty = (typeof STAFF_DUTIES)[number];
export type { AdjustmentPreview, AdjustmentRequest, GridMap, StaffView };


/** Everything about grids lives under one key, so a change to the grids refreshes it all at once. */
const root = ['grids'] as const;

export const gridQueries = {
  map: (areaId: string) =>
    queryOptions({
      queryKey: [...root, 'map', areaId],
      queryFn: ({ signal }) => api.get<GridMap>(`/api/areas/${areaId}/grid-map`, undefined, signal),
      placeholderData: keepPreviousData,
    }),
  card: (gridId: string) =>
    queryOptions({
      queryKey: [...root, 'card', gridId],
      queryFn: ({ signal }) => api.get<GridCardView>(`/api/grids/${gridId}/card`, undefined, signal),
    }),
  buildings: (areaId: string) =>
    queryOptions({
      queryKey: [...root, 'buildings', areaId],
      queryFn: ({ signal }) => api.get<Items<BuildingView>>(`/api/areas/${areaId}/buildings`, undefined, signal).then((r) => r.items),
    }),
  adjustments: (parentId: string) =>
    queryOptions({
      queryKey: [...root, 'adjustments', parentId],
      queryFn: ({ signal }) => api.get<Items<AdjustmentView>>(`/api/areas/${parentId}/adjustments`, undefined, signal).then((r) => r.items),
    }),
};

export const exportUrl = (areaId: string) => `/api/areas/${areaId}/grids.geojson`;

/**
 * What an adjustment would do. Kept apart from the grid queries (a refresh of the grids must not
 * re-ask it) and never retried: a 400 here is an answer about the drawing, not a hiccup.
 */
export function useAdjustmentPreview(parentId: string | null, request: AdjustmentRequest | null) {
  return useQuery({
    queryKey: ['grid-preview', parentId, request],
    queryFn: ({ signal }) => api.post<AdjustmentPreview>(`/api/areas/${parentId}/adjustments/preview`, request, signal),
    enabled: parentId !== null && request !== null,
    retry: false,
    staleTime: Infinity,
    gcTime: 0,
  });
}

function useRefreshGrids() {
  const qc = useQueryClient();
  // Grid counts in the area tree change with the grids too.
  return () => Promise.all([qc.invalidateQueries({ queryKey: root }), qc.invalidateQueries({ queryKey: keys.areas })]);
}

export function useAdjustmentMutations(parentId: string | null) {
  const refresh = useRefreshGrids();
  return {
    commit: useMutation({
      mutationFn: (request: AdjustmentRequest) => api.post<{ id: string; preview: AdjustmentPreview }>(`/api/areas/${parentId}/adjustments`, request),
      onSuccess: refresh,
    }),
    revert: useMutation({
      mutationFn: (v: { parentId: string; adjustmentId: string }) => api.post<Ok>(`/api/areas/${v.parentId}/adjustments/${v.adjustmentId}/revert`),
      onSuccess: refresh,
    }),
  };
}

/** What the staff form sends: the contract's request body, with defaults applied. */
type StaffInput = z.output<typeof StaffBody>;

export function useStaffMutations(gridId: string) {
  const refresh = useRefreshGrids();
  return {
    add: useMutation({ mutationFn: (body: StaffInput) => api.post<StaffView>(`/api/grids/${gridId}/staff`, body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...body }: StaffInput & { id: string }) => api.put<StaffView>(`/api/grids/${gridId}/staff/${id}`, body),
      onSuccess: refresh,
    }),
    end: useMutation({ mutationFn: (id: string) => api.delete<Ok>(`/api/grids/${gridId}/staff/${id}`), onSuccess: refresh }),
  };
}

interface BuildingInput {
  name: string;
  code?: string;
  address?: string;
  lon: number;
  lat: number;
  floors?: number;
}

export function useBuildingMutations() {
  const refresh = useRefreshGrids();
  return {
    create: useMutation({ mutationFn: (body: BuildingInput) => api.post<BuildingView>('/api/buildings', body), onSuccess: refresh }),
    pin: useMutation({
      mutationFn: ({ id, ...body }: { id: string; gridId: string | null; reason?: string }) => api.put<BuildingView>(`/api/buildings/${id}/grid`, body),
      onSuccess: refresh,
    }),
  };
}

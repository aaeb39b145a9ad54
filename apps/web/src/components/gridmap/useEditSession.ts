import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useAdjustmentMutations, useAdjustmentPreview, type AdjustmentRequest, type GridFeature, type GridProps, type Polygon } from '../../api/grids.ts';
import { useDebounced } from '../../lib/useDebounced.ts';
import { boundsOf, polygonFrom, type Bounds, type LngLat } from './geometry.ts';
import type { DrawKind } from './useDrawing.ts';
import type { Marked, Shape } from './useMapLayers.ts';

export const TOOLS = ['create', 'edit', 'split', 'merge', 'retire', 'import', 'renumber'] as const;
export type Tool = (typeof TOOLS)[number];

/** Tools that work on one grid, picked on the map (or the one already selected). */
const TARGETED: readonly Tool[] = ['edit', 'split', 'retire'];
const MIN_REASON = 2;

/** Where an invalid drawing went wrong, from a geometry.invalid answer. */
function invalidSpots(error: unknown): Marked[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return (error.details as { at?: unknown }[]).flatMap((d) =>
    Array.isArray(d.at) ? [{ kind: 'invalid', geometry: { type: 'Point', coordinates: d.at } }] : []);
}

/**
 * One adjustment of the grids below one parent (a community, or a grid for nested grids): the
 * tool in use, what it has drawn or picked, the request that makes, its preview and its commit.
 */
export function useEditSession(features: readonly GridFeature[]) {
  const { t } = useTranslation();
  const [parentId, setParent] = useState<string | null>(null);
  const [tool, setTool] = useState<Tool | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const [mergeIds, setMergeIds] = useState<string[]>([]);
  const [overrides, setOverrides] = useState<ReadonlyMap<string, Polygon>>(new Map());
  const [body, setBody] = useState<AdjustmentRequest | null>(null);
  const [reason, setReason] = useState('');
  const [gapReason, setGapReason] = useState<string | null>(null);
  const { commit, revert } = useAdjustmentMutations(parentId);
  const { reset: resetCommit } = commit;

  const request = useMemo((): AdjustmentRequest | null => {
    if (!body) return null;
    const accept = gapReason?.trim() ?? '';
    return { ...body, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(accept.length >= MIN_REASON ? { acceptGapsReason: accept } : {}) };
  }, [body, reason, gapReason]);
  const settled = useDebounced(request, 300);
  const preview = useAdjustmentPreview(parentId, settled);

  const siblings = useMemo(
    () => new Map(features.filter((f) => f.properties.parentId === parentId).map((f) => [f.id, overrides.get(f.id) ?? f.geometry])),
    [features, parentId, overrides],
  );

  const reset = useCallback(() => {
    setTool(null);
    setTarget(null);
    setMergeIds([]);
    setOverrides(new Map());
    setBody(null);
    setReason('');
    setGapReason(null);
    resetCommit();
  }, [resetCommit]);

  const setParentId = (id: string | null) => {
    if (id === parentId) return;
    reset();
    setParent(id);
  };

  const aim = (next: Tool, gridId: string) => {
    setTarget(gridId);
    if (next === 'retire') setBody({ kind: 'retire', gridId });
  };

  /** Starts a tool afresh; a targeted tool takes the selected grid when it belongs to the parent. */
  const start = (next: Tool, selected: GridProps | null) => {
    reset();
    setTool(next);
    if (next === 'renumber') setBody({ kind: 'renumber' });
    if (selected && TARGETED.includes(next) && selected.parentId === parentId) aim(next, selected.id);
  };

  const startImport = (featureCollection: Record<string, unknown>) => {
    reset();
    setTool('import');
    setBody({ kind: 'import', featureCollection });
  };

  /** A grid clicked while a tool is in use; false when the tool wanted one of the parent's grids and it is not. */
  const pickGrid = (grid: GridProps): boolean => {
    if (!tool || (tool !== 'merge' && !TARGETED.includes(tool))) return true;
    if (grid.parentId !== parentId) return false;
    if (tool === 'merge') {
      const ids = mergeIds.includes(grid.id) ? mergeIds.filter((id) => id !== grid.id) : [...mergeIds, grid.id];
      setMergeIds(ids);
      setBody(ids.length >= 2 ? { kind: 'merge', gridIds: ids } : null);
    } else if (TARGETED.includes(tool) && (tool !== 'split' || !body)) {
      aim(tool, grid.id);
    }
    return true;
  };

  const drawKind: DrawKind | null = tool === 'create' && !body ? 'polygon' : tool === 'split' && target && !body ? 'line' : null;

  const drawn = (points: LngLat[]) => {
    if (tool === 'create') setBody({ kind: 'create', grid: { nameZh: t('gridMap.preview.newGridName'), gridType: 'basic', geometry: polygonFrom(points) } });
    if (tool === 'split' && target) setBody({ kind: 'split', gridId: target, line: points });
  };

  /** Vertices were dragged: keep what differs from the stored grids and redraw those. */
  const moved = (changed: Map<string, Polygon>) => {
    const next = new Map(overrides);
    for (const [id, polygon] of changed) {
      const stored = features.find((f) => f.id === id)?.geometry;
      if (JSON.stringify(stored) === JSON.stringify(polygon)) next.delete(id);
      else next.set(id, polygon);
    }
    setOverrides(next);
    setBody(next.size > 0 ? { kind: 'redraw', grids: [...next].map(([id, geometry]) => ({ id, geometry })) } : null);
  };

  const marked = useMemo(
    (): Marked[] => [...(preview.data?.problems ?? []), ...invalidSpots(preview.error), ...invalidSpots(commit.error)],
    [preview.data, preview.error, commit.error],
  );
  // Where to look: the first problem with the grids it concerns around it, or the first invalid spot.
  const focus = useMemo((): Bounds | null => {
    const first = preview.data?.problems[0];
    if (!first) return marked[0] ? boundsOf(marked[0].geometry) : null;
    const shapes = first.gridIds.flatMap((id) => features.find((f) => f.id === id)?.geometry ?? preview.data?.creates.find((c) => c.tempId === id)?.geometry ?? []);
    return boundsOf(first.geometry, ...shapes);
  }, [preview.data, marked, features]);
  const current = request !== null && settled === request && !preview.isFetching;

  return {
    parentId, setParentId, tool, start, startImport, cancel: reset, target, mergeIds, overrides, siblings,
    body, setBody, reason, setReason, gapReason, setGapReason, request, preview, current, commit, revert,
    pickGrid, drawKind, drawn, moved, marked, focus,
    proposed: useMemo((): Shape[] => {
      // The outline of a new grid is always one drawn here (polygonFrom), so it is a Polygon.
      const drawn: Shape[] = body?.kind === 'create' ? [body.grid.geometry as unknown as Shape] : body?.kind === 'split' ? [{ type: 'LineString', coordinates: body.line }] : [];
      return [...drawn, ...(preview.data?.creates.map((c) => c.geometry) ?? [])];
    }, [body, preview.data]),
    canCommit: current && preview.data?.ok === true && !commit.isPending,
  };
}

export type EditSession = ReturnType<typeof useEditSession>;

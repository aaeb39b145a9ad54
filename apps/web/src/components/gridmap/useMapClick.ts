import { useEffect, useRef } from 'react';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { GridFeature, GridProps } from '../../api/grids.ts';
import { GRID_LAYERS } from './mapStyle.ts';
import type { LngLat } from './geometry.ts';

/** The grid under a point: the innermost (deepest) one when grids are nested. */
function gridAt(map: MapLibreMap, e: MapMouseEvent, features: readonly GridFeature[]): GridProps | null {
  const ids = new Set(map.queryRenderedFeatures(e.point, { layers: GRID_LAYERS }).map((f) => String(f.properties.id)));
  const hits = features.filter((f) => ids.has(f.id)).map((f) => f.properties);
  return hits.reduce<GridProps | null>((best, g) => (!best || g.depth > best.depth ? g : best), null);
}

/** Calls the latest `onClick` with the clicked location and the grid there (if any). */
export function useMapClick(
  map: MapLibreMap | null,
  features: readonly GridFeature[],
  onClick: (at: LngLat, grid: GridProps | null) => void,
): void {
  const latest = useRef({ onClick, features });
  useEffect(() => {
    latest.current = { onClick, features };
  });

  useEffect(() => {
    if (!map) return;
    const click = (e: MapMouseEvent) => latest.current.onClick([e.lngLat.lng, e.lngLat.lat], gridAt(map, e, latest.current.features));
    map.on('click', click);
    return () => {
      map.off('click', click);
    };
  }, [map]);
}

/**
 * What the case pages draw on the grid map (components/gridmap): the grids of an area as a grey
 * base, a marker for a picked place, and cases as points coloured by supervision level. Only
 * imported by the map components, which are themselves loaded with their pages.
 */
import { useEffect, useRef } from 'react';
import * as maplibregl from 'maplibre-gl';
import type { Feature } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { BuildingView, GridMap, Polygon } from '../../api/grids.ts';
import { useMapLayers } from '../gridmap/useMapLayers.ts';
import { supervisionMapColors } from './caseLabels.ts';
import type { CaseListItem } from '../../api/cases.ts';

const NO_OVERRIDES: ReadonlyMap<string, Polygon> = new Map();
const NOTHING: never[] = [];

/** The grids (and community boundaries) of an area, uncoloured, with one grid outlined and some tinted; fitted once. */
export function useGridBase(
  map: MapLibreMap | null,
  input: { areaId: string | null; data: GridMap | undefined; selectedId?: string | null; markedIds?: string[] | undefined; buildings?: BuildingView[] | undefined },
): void {
  useMapLayers({
    map, data: input.data, dataFor: input.data ? input.areaId : null, figure: '', domain: null, overrides: NO_OVERRIDES,
    selectedId: input.selectedId ?? null, markedIds: input.markedIds ?? NOTHING, proposed: NOTHING, marked: NOTHING, buildings: input.buildings,
  });
}

/** A pin at `at` (lon, lat), or none. */
export function usePin(map: MapLibreMap | null, at: readonly [number, number] | null, color = '#f5222d'): void {
  const marker = useRef<maplibregl.Marker | null>(null);
  useEffect(() => {
    if (!map || !at) return;
    const m = new maplibregl.Marker({ color }).setLngLat([at[0], at[1]]).addTo(map);
    marker.current = m;
    return () => {
      m.remove();
      if (marker.current === m) marker.current = null;
    };
  }, [map, at, color]);
}

const CASES_SOURCE = 'case-points';
export const CASES_LAYER = 'case-points';

/** Cases with a place as points, red when overdue, orange when due soon, blue otherwise; flagged ones ringed. */
export function useCasePoints(map: MapLibreMap | null, items: readonly CaseListItem[]): void {
  useEffect(() => {
    if (!map || map.getSource(CASES_SOURCE)) return;
    map.addSource(CASES_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: CASES_LAYER, type: 'circle', source: CASES_SOURCE,
      paint: {
        'circle-radius': 7,
        'circle-color': ['match', ['get', 'supervision'], 'overdue', supervisionMapColors.overdue, 'due_soon', supervisionMapColors.due_soon, supervisionMapColors.none],
        'circle-opacity': ['case', ['==', ['get', 'open'], true], 0.95, 0.45],
        'circle-stroke-color': ['case', ['==', ['get', 'supervised'], true], '#820014', '#ffffff'],
        'circle-stroke-width': ['case', ['==', ['get', 'supervised'], true], 3, 1.5],
      },
    });
  }, [map]);

  useEffect(() => {
    if (!map) return;
    const features: Feature[] = items
      .filter((c) => c.lon !== null && c.lat !== null)
      .map((c) => ({
        type: 'Feature', geometry: { type: 'Point', coordinates: [c.lon!, c.lat!] },
        properties: { id: c.id, no: c.no, supervision: c.supervision, supervised: c.supervised, open: c.stateKind === 'open' },
      }));
    map.getSource<GeoJSONSource>(CASES_SOURCE)?.setData({ type: 'FeatureCollection', features });
  }, [map, items]);
}

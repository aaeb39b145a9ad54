import { useEffect, useRef } from 'react';
import type { Feature, Geometry } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { BuildingView, GridMap, Polygon } from '../../api/grids.ts';
import { rampExpression, setHighlight, setSourceData } from './mapStyle.ts';
import type { Domain } from './figures.ts';
import { labelPoint } from './geometry.ts';

/** Any GeoJSON geometry. */
export interface Shape {
  type: string;
  coordinates?: unknown;
}

/** Something to mark red on the map: a cover problem (by kind) or the spot of an invalid drawing. */
export interface Marked {
  kind: string;
  geometry: Shape;
}

interface Input {
  map: MapLibreMap | null;
  data: GridMap | undefined;
  /** The area `data` is for, once it is that area's own answer (not the previous one kept on screen). */
  dataFor: string | null;
  figure: string;
  domain: Domain | null;
  /** Geometry being edited, shown in place of the stored one. */
  overrides: ReadonlyMap<string, Polygon>;
  selectedId: string | null;
  markedIds: string[];
  /** What the adjustment would draw: the new outline, the split line, the grids it creates. */
  proposed: Shape[];
  marked: Marked[];
  buildings: BuildingView[] | undefined;
}

const feature = (geometry: Shape, properties: Record<string, unknown> = {}): Feature =>
  ({ type: 'Feature', geometry: geometry as Geometry, properties });

/** Keeps the map's sources and colours in step with the page state, and fits each area when it is first shown. */
export function useMapLayers(input: Input): void {
  const { map, data, dataFor, figure, domain, overrides, selectedId, markedIds, proposed, marked, buildings } = input;
  const fitted = useRef<string | null>(null);

  useEffect(() => {
    if (!map) return;
    const shown = [...(data?.features ?? [])]
      .sort((a, b) => a.properties.depth - b.properties.depth)
      .map((f) => ({ props: f.properties, geometry: overrides.get(f.id) ?? f.geometry }));
    setSourceData(map, 'grids', shown.map(({ props: { figures, ...props }, geometry }) => {
      const value = figures[figure];
      return feature(geometry, { ...props, ...(value === undefined ? {} : { value }) });
    }));
    setSourceData(map, 'labels', shown.map(({ props, geometry }) => feature({ type: 'Point', coordinates: labelPoint(geometry) }, { name: props.name, gridType: props.gridType })));
    map.setPaintProperty('grid-fill', 'fill-color', rampExpression(domain?.min ?? 0, domain?.max ?? 0));
  }, [map, data, figure, domain, overrides]);

  useEffect(() => {
    if (!map) return;
    setSourceData(map, 'outline', data?.outline ? [feature(data.outline)] : []);
    setSourceData(map, 'boundaries', (data?.boundaries ?? []).map((b) => feature(b.geometry, { code: b.code, name: b.name })));
  }, [map, data]);

  // Fit each area once, when its own data arrives; later refreshes keep the user's view.
  useEffect(() => {
    const bbox = data?.bbox;
    if (!map || !dataFor || !bbox || fitted.current === dataFor) return;
    fitted.current = dataFor;
    map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 32, duration: 0 });
  }, [map, data, dataFor]);

  useEffect(() => {
    if (map) setHighlight(map, 'selected', selectedId ? [selectedId] : []);
  }, [map, selectedId]);

  useEffect(() => {
    if (map) setHighlight(map, 'marked', markedIds);
  }, [map, markedIds]);

  useEffect(() => {
    if (map) setSourceData(map, 'proposed', proposed.map((p) => feature(p)));
  }, [map, proposed]);

  useEffect(() => {
    if (map) setSourceData(map, 'problems', marked.map((m) => feature(m.geometry, { kind: m.kind })));
  }, [map, marked]);

  useEffect(() => {
    if (!map) return;
    const points = (buildings ?? []).map((b) => feature({ type: 'Point', coordinates: [b.lon, b.lat] }, { id: b.id, name: b.name }));
    setSourceData(map, 'buildings', points);
  }, [map, buildings]);
}

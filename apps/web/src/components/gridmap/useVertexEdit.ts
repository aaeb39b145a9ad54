import { useEffect, useRef } from 'react';
import type { Feature } from 'geojson';
import type { Map as MapLibreMap, MapLayerMouseEvent, MapMouseEvent } from 'maplibre-gl';
import type { Polygon } from '../../api/grids.ts';
import { HANDLE_LAYER, setSourceData } from './mapStyle.ts';
import { openRing, verticesAt, withExterior, type LngLat } from './geometry.ts';

function editFeatures(rings: ReadonlyMap<string, LngLat[]>, targetId: string): Feature[] {
  const out: Feature[] = [...rings.values()].map((ring) => ({
    type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] }, properties: {},
  }));
  (rings.get(targetId) ?? []).forEach((p, index) => out.push({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { index } }));
  return out;
}

/**
 * Vertex handles on one grid (`targetId`) among its siblings (`grids`, current geometry by id).
 * Dragging a handle moves that vertex in every sibling that has the same vertex, so a shared
 * boundary moves as one and the cover stays seamless; on release `onMoved` gets every polygon
 * that changed. Map panning is off while a handle is held.
 */
export function useVertexEdit(
  map: MapLibreMap | null,
  grids: ReadonlyMap<string, Polygon>,
  targetId: string | null,
  onMoved: (changed: Map<string, Polygon>) => void,
) {
  const moved = useRef(onMoved);
  useEffect(() => {
    moved.current = onMoved;
  });

  useEffect(() => {
    if (!map || !targetId || !grids.has(targetId)) return;
    const target = grids.get(targetId)!;
    const show = (rings: ReadonlyMap<string, LngLat[]>) => setSourceData(map, 'edit', editFeatures(rings, targetId));
    show(new Map([[targetId, openRing(target)]]));
    const canvas = map.getCanvas();
    let release = () => {};

    const down = (e: MapLayerMouseEvent) => {
      const index = e.features?.[0]?.properties.index;
      const at = typeof index === 'number' ? openRing(target)[index] : undefined;
      if (!at) return;
      e.preventDefault();
      map.dragPan.disable();
      const rings = new Map([...grids].map(([id, p]) => [id, openRing(p)]));
      const shared = verticesAt(rings, at);
      const working = new Map([...shared.keys()].map((id) => [id, [...rings.get(id)!]]));
      const drag = (m: MapMouseEvent) => {
        const p: LngLat = [m.lngLat.lng, m.lngLat.lat];
        for (const [id, indexes] of shared) for (const i of indexes) working.get(id)![i] = p;
        show(working);
      };
      release = () => {
        map.off('mousemove', drag);
        window.removeEventListener('mouseup', drop);
        map.dragPan.enable();
        canvas.style.cursor = '';
      };
      const drop = () => {
        release();
        moved.current(new Map([...working].map(([id, ring]) => [id, withExterior(grids.get(id)!, ring)])));
      };
      canvas.style.cursor = 'grabbing';
      map.on('mousemove', drag);
      // On the window: the button may be let go outside the map.
      window.addEventListener('mouseup', drop);
    };
    const enter = () => {
      canvas.style.cursor = 'grab';
    };
    const leave = () => {
      canvas.style.cursor = '';
    };
    map.on('mousedown', HANDLE_LAYER, down);
    map.on('mouseenter', HANDLE_LAYER, enter);
    map.on('mouseleave', HANDLE_LAYER, leave);
    return () => {
      release();
      map.off('mousedown', HANDLE_LAYER, down);
      map.off('mouseenter', HANDLE_LAYER, enter);
      map.off('mouseleave', HANDLE_LAYER, leave);
      canvas.style.cursor = '';
      setSourceData(map, 'edit', []);
    };
  }, [map, grids, targetId]);
}

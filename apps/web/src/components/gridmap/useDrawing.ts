import { useCallback, useEffect, useRef, useState } from 'react';
import type { Feature } from 'geojson';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { setSourceData } from './mapStyle.ts';
import { withoutRepeats, type LngLat } from './geometry.ts';

export type DrawKind = 'polygon' | 'line';

const MIN_POINTS: Record<DrawKind, number> = { polygon: 3, line: 2 };

function draftFeatures(kind: DrawKind, points: LngLat[], cursor: LngLat | null): Feature[] {
  const path = cursor ? [...points, cursor] : points;
  const out: Feature[] = points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: {} }));
  if (kind === 'polygon' && path.length >= 3) {
    out.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...path, path[0]!]] }, properties: {} });
  } else if (path.length >= 2) {
    out.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: path }, properties: {} });
  }
  return out;
}

/**
 * Click-to-draw on the map while `kind` is set: each click adds a point, a double click or
 * finish() ends the shape, Esc cancels. Map zoom on double click is off meanwhile.
 */
export function useDrawing(map: MapLibreMap | null, kind: DrawKind | null, onDone: (points: LngLat[]) => void, onCancel: () => void) {
  const points = useRef<LngLat[]>([]);
  const cursor = useRef<LngLat | null>(null);
  const [count, setCount] = useState(0);
  const handlers = useRef({ onDone, onCancel });
  useEffect(() => {
    handlers.current = { onDone, onCancel };
  });

  const render = useCallback(() => {
    if (map) setSourceData(map, 'draft', kind ? draftFeatures(kind, points.current, cursor.current) : []);
  }, [map, kind]);

  const clear = useCallback(() => {
    points.current = [];
    cursor.current = null;
    setCount(0);
    render();
  }, [render]);

  const finish = useCallback(() => {
    const drawn = withoutRepeats(points.current);
    if (!kind || drawn.length < MIN_POINTS[kind]) return;
    clear();
    handlers.current.onDone(drawn);
  }, [kind, clear]);

  useEffect(() => {
    if (!map || !kind) return;
    clear();
    const canvas = map.getCanvas();
    const add = (e: MapMouseEvent) => {
      points.current = [...points.current, [e.lngLat.lng, e.lngLat.lat]];
      setCount(withoutRepeats(points.current).length);
      render();
    };
    const move = (e: MapMouseEvent) => {
      cursor.current = [e.lngLat.lng, e.lngLat.lat];
      render();
    };
    const double = (e: MapMouseEvent) => {
      e.preventDefault();
      finish();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      clear();
      handlers.current.onCancel();
    };
    map.doubleClickZoom.disable();
    canvas.style.cursor = 'crosshair';
    map.on('click', add);
    map.on('mousemove', move);
    map.on('dblclick', double);
    window.addEventListener('keydown', key);
    return () => {
      map.off('click', add);
      map.off('mousemove', move);
      map.off('dblclick', double);
      window.removeEventListener('keydown', key);
      map.doubleClickZoom.enable();
      canvas.style.cursor = '';
      points.current = [];
      cursor.current = null;
      setSourceData(map, 'draft', []);
    };
  }, [map, kind, clear, render, finish]);

  return { count, canFinish: kind !== null && count >= MIN_POINTS[kind], finish };
}

import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Spin } from 'antd';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useMeta } from '../../api/hooks.ts';
import { gridQueries, type BuildingView } from '../../api/grids.ts';
import { GridMapCanvas } from '../gridmap/GridMapCanvas.tsx';
import { useMapClick } from '../gridmap/useMapClick.ts';
import type { LngLat } from '../gridmap/geometry.ts';
import { useGridBase, usePin } from './caseMap.ts';
import '../gridmap/gridMap.css';

/** The zoom a first pick moves to (a grid fills much of the map). */
const PICK_ZOOM = 15.5;

interface Props {
  /** The area whose grids are drawn. */
  areaId: string | null;
  /** The picked place. */
  at: LngLat | null;
  /** Called with a clicked place; without it the map only shows. */
  onPick?: (at: LngLat) => void;
  /** Outlined grid (the located or confirmed one). */
  selectedId?: string | null;
  /** Tinted grids (the candidates near a boundary). */
  markedIds?: string[];
  buildings?: BuildingView[] | undefined;
  /** Centres the map on `at` when it changes (detail pages). */
  follow?: boolean;
  className?: string;
}

/** The grids of an area on a MapLibre map (no tile server needed) with a pin at the place; a click picks a place. */
export default function PlaceMap({ areaId, at, onPick, selectedId, markedIds, buildings, follow = false, className }: Props) {
  const meta = useMeta();
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const gridMap = useQuery({ ...gridQueries.map(areaId ?? ''), enabled: areaId !== null });
  useGridBase(map, { areaId, data: gridMap.data, selectedId: selectedId ?? null, markedIds, buildings });
  usePin(map, at);
  useMapClick(map, gridMap.data?.features ?? [], (clicked) => {
    if (!onPick) return;
    onPick(clicked);
    // Closer in after the first pick: the operator sees which side of a boundary the pin is on and can click again.
    if (map && map.getZoom() < PICK_ZOOM) map.easeTo({ center: clicked, zoom: PICK_ZOOM, duration: 300 });
  });

  useEffect(() => {
    if (map && onPick) map.getCanvas().style.cursor = 'crosshair';
  }, [map, onPick]);

  useEffect(() => {
    if (map && follow && at) map.jumpTo({ center: [at[0], at[1]], zoom: Math.max(map.getZoom(), 15) });
  }, [map, follow, at, gridMap.data]);

  return (
    <div className={`case-map ${className ?? ''}`}>
      {meta.isPending ? (
        <Spin className="block-spin" />
      ) : (
        <GridMapCanvas tileUrl={meta.data?.mapTileUrl ?? null} onReady={setMap}>
          {(gridMap.isFetching || !map) && <Spin className="map-spin" />}
        </GridMapCanvas>
      )}
    </div>
  );
}

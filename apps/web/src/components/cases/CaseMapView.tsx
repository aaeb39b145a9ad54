import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { SUPERVISION_LEVELS } from '@wangge/contracts';
import type { CaseListItem } from '../../api/cases.ts';
import { areaQueries, useMeta } from '../../api/hooks.ts';
import { gridQueries } from '../../api/grids.ts';
import { GridMapCanvas } from '../gridmap/GridMapCanvas.tsx';
import { CASES_LAYER, useCasePoints, useGridBase } from './caseMap.ts';
import { supervisionMapColors, useCaseLabels } from './caseLabels.ts';
import '../gridmap/gridMap.css';

interface Props {
  items: CaseListItem[];
  loading: boolean;
}

/** The listed cases as points over the user's grids (test id case-map), coloured by supervision level; a click opens the case. */
export default function CaseMapView({ items, loading }: Props) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const navigate = useNavigate();
  const meta = useMeta();
  const roots = useQuery(areaQueries.roots());
  const rootId = roots.data?.[0]?.id ?? null;
  const gridMap = useQuery({ ...gridQueries.map(rootId ?? ''), enabled: rootId !== null });
  const [map, setMap] = useState<MapLibreMap | null>(null);
  useGridBase(map, { areaId: rootId, data: gridMap.data });
  useCasePoints(map, items);

  useEffect(() => {
    if (!map) return;
    const open = (e: MapMouseEvent) => {
      const hit = map.queryRenderedFeatures(e.point, { layers: [CASES_LAYER] })[0];
      const id = hit?.properties.id as string | undefined;
      if (id) void navigate(`/cases/${id}`);
    };
    const enter = () => (map.getCanvas().style.cursor = 'pointer');
    const leave = () => (map.getCanvas().style.cursor = '');
    map.on('click', open);
    map.on('mouseenter', CASES_LAYER, enter);
    map.on('mouseleave', CASES_LAYER, leave);
    return () => {
      map.off('click', open);
      map.off('mouseenter', CASES_LAYER, enter);
      map.off('mouseleave', CASES_LAYER, leave);
    };
  }, [map, navigate]);

  const placed = items.filter((c) => c.lon !== null && c.lat !== null).length;

  return (
    <div className="case-map case-list-map" data-testid="case-map">
      {meta.isPending ? (
        <Spin className="block-spin" />
      ) : (
        <GridMapCanvas tileUrl={meta.data?.mapTileUrl ?? null} onReady={setMap}>
          <div className="map-legend">
            <div className="map-legend-title">{t('cases.map.legend')}</div>
            <div className="map-legend-items">
              {SUPERVISION_LEVELS.map((s) => (
                <span key={s} className="map-legend-item">
                  <span className="legend-dot case-dot" style={{ background: supervisionMapColors[s] }} />
                  {labels.supervision(s)}
                </span>
              ))}
              <span className="map-legend-item">
                <span className="legend-dot case-dot case-dot-flagged" />
                {t('cases.supervised')}
              </span>
            </div>
            <div className="map-legend-note">{t('cases.map.placed', { placed, total: items.length })}</div>
          </div>
          {(loading || gridMap.isFetching || !map) && <Spin className="map-spin" />}
        </GridMapCanvas>
      )}
    </div>
  );
}

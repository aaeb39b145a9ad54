import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Space, Spin, Typography } from 'antd';
import { DownloadOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { GRID_FIGURES } from '@wangge/contracts';
import { errorMessage } from '../api/client.ts';
import { areaQueries, useMeta } from '../api/hooks.ts';
import { exportUrl, gridQueries } from '../api/grids.ts';
import { useCan } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { AreaTreeSelect } from '../components/AreaTreeSelect.tsx';
import { useAreaTree } from '../components/areas/useAreaTree.ts';
import { GridMapCanvas } from '../components/gridmap/GridMapCanvas.tsx';
import { FigureSelect, MapLegend } from '../components/gridmap/MapLegend.tsx';
import { GridCard } from '../components/gridmap/GridCard.tsx';
import { EditToolbar } from '../components/gridmap/EditToolbar.tsx';
import { PreviewPanel } from '../components/gridmap/PreviewPanel.tsx';
import { BuildingModal } from '../components/gridmap/BuildingModal.tsx';
import { figureDomain, figureKeys } from '../components/gridmap/figures.ts';
import { useEditSession } from '../components/gridmap/useEditSession.ts';
import { useDrawing } from '../components/gridmap/useDrawing.ts';
import { useVertexEdit } from '../components/gridmap/useVertexEdit.ts';
import { useMapLayers } from '../components/gridmap/useMapLayers.ts';
import { useMapClick } from '../components/gridmap/useMapClick.ts';
import type { Bounds, LngLat } from '../components/gridmap/geometry.ts';
import '../components/gridmap/gridMap.css';

/** /map?area=<id> — the grids below an area on a map, coloured by a figure; the selected grid's card; adjustments. */
export default function GridMapPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.map'));
  const { message } = App.useApp();
  const canAdjust = useCan()('grid.manage');
  const meta = useMeta();
  const [params, setParams] = useSearchParams();
  const areaId = params.get('area');
  const { autoExpand } = useAreaTree();
  const area = useQuery({ ...areaQueries.detail(areaId ?? ''), enabled: areaId !== null });
  const gridMap = useQuery({ ...gridQueries.map(areaId ?? ''), enabled: areaId !== null });
  const buildings = useQuery({ ...gridQueries.buildings(areaId ?? ''), enabled: areaId !== null });
  const features = useMemo(() => gridMap.data?.features ?? [], [gridMap.data]);

  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [figure, setFigure] = useState<string>(GRID_FIGURES[0]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [picking, setPicking] = useState(false);
  const [buildingAt, setBuildingAt] = useState<LngLat | null>(null);
  const session = useEditSession(features);
  const selected = features.find((f) => f.id === selectedId)?.properties ?? null;
  const domain = useMemo(() => figureDomain(features, figure), [features, figure]);

  // Without ?area=, open the area the user lands on in the area tree (their street).
  useEffect(() => {
    if (areaId) return;
    autoExpand()
      .then((id) => {
        if (id) setParams({ area: id }, { replace: true });
      })
      .catch((error: unknown) => void message.error(errorMessage(error)));
  }, [areaId, autoExpand, setParams, message]);

  // Picking a building's location: a crosshair, and Esc to stop.
  useEffect(() => {
    if (!picking || !map) return;
    const canvas = map.getCanvas();
    const key = (e: KeyboardEvent) => e.key === 'Escape' && setPicking(false);
    canvas.style.cursor = 'crosshair';
    window.addEventListener('keydown', key);
    return () => {
      canvas.style.cursor = '';
      window.removeEventListener('keydown', key);
    };
  }, [picking, map]);

  const { tool, mergeIds, target, focus } = session;
  const markedIds = useMemo(() => (tool === 'merge' ? mergeIds : target ? [target] : []), [tool, mergeIds, target]);
  const drawing = useDrawing(map, editing ? session.drawKind : null, session.drawn, session.cancel);
  useVertexEdit(map, session.siblings, editing && tool === 'edit' ? target : null, session.moved);
  useMapLayers({
    map, data: gridMap.data, dataFor: gridMap.isPlaceholderData ? null : areaId, figure, domain, overrides: session.overrides,
    selectedId: selected?.id ?? null, markedIds, proposed: session.proposed, marked: session.marked, buildings: buildings.data,
  });
  useMapClick(map, features, (at, grid) => {
    if (editing && session.drawKind) return; // the drawing takes the clicks
    if (picking) {
      setPicking(false);
      setBuildingAt(at);
    } else if (editing && tool) {
      if (grid && !session.pickGrid(grid)) void message.warning(t('gridMap.edit.notInScope'));
    } else {
      setSelectedId(grid?.id ?? null);
      if (editing && grid) session.setParentId(grid.parentId);
    }
  });

  const toggleEdit = () => {
    const holdsGrids = area.data?.level === 'community' || area.data?.level === 'grid';
    session.setParentId(editing ? null : selected?.parentId ?? (holdsGrids ? areaId : null));
    setEditing(!editing);
  };

  const revertNow = (parentId: string, adjustmentId: string) =>
    session.revert.mutate(
      { parentId, adjustmentId },
      {
        onSuccess: () => void message.success(t('gridMap.history.revertDone')),
        onError: (error) => void message.error(errorMessage(error)),
      },
    );

  const commitNow = () => {
    const { request, parentId } = session;
    if (!request || !parentId) return;
    session.commit.mutate(request, {
      onSuccess: ({ id }) => {
        session.cancel();
        const key = `adjustment-${id}`;
        const undo = () => {
          message.destroy(key);
          revertNow(parentId, id);
        };
        void message.success({
          key,
          duration: 10,
          content: (
            <span>
              {t('gridMap.preview.committed')}{' '}
              <Typography.Link onClick={undo} data-testid="committed-revert">
                {t('gridMap.preview.revert')}
              </Typography.Link>
            </span>
          ),
        });
      },
    });
  };

  const focusOn = useCallback((b: Bounds) => map?.fitBounds(b, { padding: 60, maxZoom: 16, duration: 400 }), [map]);
  // A new preview (or error) moves the camera to its first problem.
  useEffect(() => {
    if (focus) focusOn(focus);
  }, [focus, focusOn]);

  const side = () => {
    if (editing && session.body) return <PreviewPanel session={session} onCommit={commitNow} onFocus={focusOn} />;
    if (selected) {
      return (
        <GridCard grid={selected} grids={features} picking={picking} onAddBuilding={() => setPicking(!picking)} onClose={() => setSelectedId(null)} />
      );
    }
    const empty = gridMap.data && features.length === 0;
    return (
      <Card size="small" className="grid-side-card">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(empty ? 'gridMap.noGrids' : 'gridMap.clickHint')} />
      </Card>
    );
  };

  return (
    <div className="grid-map-page">
      <div className="grid-map-toolbar">
        <Space wrap size={8}>
          <Typography.Text strong>{t('gridMap.area')}</Typography.Text>
          <AreaTreeSelect value={areaId ?? undefined} onChange={(id) => id && setParams({ area: id })} style={{ width: 240 }} data-testid="grid-area-select" />
          <Typography.Text strong>{t('gridMap.colourBy')}</Typography.Text>
          <FigureSelect figures={figureKeys(features.map((f) => f.properties.figures))} value={figure} onChange={setFigure} />
          {areaId && (
            <Button icon={<DownloadOutlined />} href={exportUrl(areaId)} download data-testid="tool-export">
              {t('gridMap.export')}
            </Button>
          )}
        </Space>
        {canAdjust && (
          <Button type={editing ? 'primary' : 'default'} icon={<EditOutlined />} onClick={toggleEdit} data-testid="edit-mode">
            {t(editing ? 'gridMap.stopAdjust' : 'gridMap.adjust')}
          </Button>
        )}
      </div>
      {editing && <EditToolbar session={session} selected={selected} drawing={drawing} />}
      {gridMap.isError && <Alert type="error" showIcon title={errorMessage(gridMap.error)} className="page-alert" />}
      <div className="grid-map-body">
        {meta.isPending ? (
          <Spin className="block-spin" />
        ) : (
          <GridMapCanvas tileUrl={meta.data?.mapTileUrl ?? null} onReady={setMap}>
            <MapLegend figure={figure} domain={domain} editing={editing} />
            {(gridMap.isFetching || !map) && <Spin className="map-spin" />}
          </GridMapCanvas>
        )}
        <aside className="grid-map-side">{side()}</aside>
      </div>
      <BuildingModal at={buildingAt} onClose={() => setBuildingAt(null)} />
    </div>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Skeleton, Statistic, Tabs, Tag, Typography } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { AREA_LEVELS } from '@wangge/contracts';
import { errorMessage } from '../../api/client.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { gridQueries, type GridFeature, type GridProps } from '../../api/grids.ts';
import { useLabels } from '../../i18n/labels.ts';
import { figureKeys, formatFigure, useFigureLabel } from './figures.ts';
import { StaffTab } from './StaffTab.tsx';
import { BuildingsTab } from './BuildingsTab.tsx';
import { HistoryTab } from './HistoryTab.tsx';

/** Areas are numbered from the province (depth 1) down, so a grid drawn in a community is one deeper than it. */
const COMMUNITY_DEPTH = AREA_LEVELS.indexOf('community') + 1;

interface Props {
  grid: GridProps;
  grids: readonly GridFeature[];
  picking: boolean;
  onAddBuilding: () => void;
  onClose: () => void;
}

/** The selected grid (test id grid-card): what it is, its figures, its people, buildings and history. */
export function GridCard({ grid, grids, picking, onAddBuilding, onClose }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const formatTime = useFormatTime();
  const figureLabel = useFigureLabel();
  const card = useQuery(gridQueries.card(grid.id));

  const renderBody = () => {
    if (card.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
    if (card.isError) return <Alert type="error" showIcon title={errorMessage(card.error)} />;
    const c = card.data;
    return (
      <>
        <Descriptions
          size="small"
          column={1}
          className="grid-card-facts"
          items={[
            { key: 'code', label: t('gridMap.card.code'), children: <Typography.Text copyable>{c.code}</Typography.Text> },
            { key: 'type', label: t('gridMap.card.type'), children: labels.gridType(c.gridType) },
            { key: 'depth', label: t('gridMap.card.depth'), children: t('gridMap.card.depthValue', { level: c.depth - COMMUNITY_DEPTH }) },
            { key: 'parent', label: t('gridMap.card.parent'), children: c.parentName },
            { key: 'version', label: t('gridMap.card.validFrom'), children: t('gridMap.card.version', { version: c.version, time: formatTime(c.validFrom) }) },
          ]}
        />
        <div className="grid-card-figures">
          {figureKeys([c.figures]).map((key) => (
            <Statistic key={key} title={figureLabel(key)} value={c.figures[key] === undefined ? '—' : formatFigure(c.figures[key], key)} />
          ))}
        </div>
        <Tabs
          size="small"
          items={[
            {
              key: 'staff',
              label: `${t('gridMap.card.staff')} ${c.staff.length}`,
              children: <StaffTab gridId={c.id} staff={c.staff} />,
            },
            {
              key: 'buildings',
              label: t('gridMap.card.buildings'),
              children: <BuildingsTab gridId={c.id} grids={grids} picking={picking} onAdd={onAddBuilding} />,
            },
            {
              key: 'history',
              label: t('gridMap.card.history'),
              children: <HistoryTab parentId={grid.parentId} parentName={c.parentName} />,
            },
          ]}
        />
      </>
    );
  };

  return (
    <Card
      size="small"
      className="grid-side-card"
      data-testid="grid-card"
      title={
        <span className="area-node">
          <span>{grid.name}</span>
          <Tag color={grid.gridType === 'dedicated' ? 'purple' : 'green'} className="level-tag">
            {labels.gridType(grid.gridType)}
          </Tag>
        </span>
      }
      extra={<Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('gridMap.card.close')} onClick={onClose} />}
    >
      {renderBody()}
    </Card>
  );
}
